import { Link, useParams } from 'react-router';
import { Alert, Breadcrumb, Card, Col, Descriptions, Divider, Empty, List, Row, Skeleton, Space, Typography } from 'antd';
import { FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n/I18nProvider';
import { attachmentUrl, indexCatalog, useAnnouncement, useCatalog, type LinkedAnnouncement } from '../features/portal/api';
import { AnnouncementTypeTag } from '../components/Tags';
import { formatBytes, formatDateTime } from '../lib/format';
import { ApiError, errorText } from '../lib/problem';
import { NotFound } from '../components/Results';
import { regionLabel } from '../lib/regions';

function Linked({ items, testId }: { items: LinkedAnnouncement[]; testId: string }) {
  return (
    <List
      size="small"
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      renderItem={(l) => (
        <List.Item data-testid={testId}>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Link to={`/announcements/${l.id}`}>{l.title}</Link>
            <Space size={6}>
              <AnnouncementTypeTag type={l.type} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(l.publishedAt)}</Typography.Text>
            </Space>
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function AnnouncementDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const q = useAnnouncement(id);
  const catalog = useCatalog();
  if (q.isPending) return <div className="yw-container yw-main"><Card><Skeleton active paragraph={{ rows: 12 }} /></Card></div>;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) return <NotFound title={t('ann.notFound')} />;
    return <div className="yw-container yw-main"><Alert type="error" showIcon title={t('common.loadFailed')} description={errorText(q.error, lang)} /></div>;
  }
  const a = q.data;
  const cat = indexCatalog(catalog.data?.categories ?? []).get(a.category);
  return (
    <div className="yw-container yw-main">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">{t('nav.home')}</Link> }, { title: <Link to="/announcements">{t('nav.announcements')}</Link> }, { title: a.title }]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={17}>
          <Card>
            <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 4 }} data-testid="announcement-title">{a.title}</Typography.Title>
            <div style={{ textAlign: 'center', color: '#8c8c8c', marginBottom: 8 }}>
              <Space wrap separator="|" size={8}>
                <AnnouncementTypeTag type={a.type} />
                <span>{t('ann.publishedAt')}：{formatDateTime(a.publishedAt)}</span>
                <span>{t('ann.publisher')}：{a.publisherName}</span>
              </Space>
            </div>
            <Divider style={{ margin: '12px 0 20px' }} />
            {/* The server sanitises announcement HTML on save (allow-list); it is shown exactly as published. */}
            <div className="yw-richtext" data-testid="announcement-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
            <Divider titlePlacement="start"><PaperClipOutlined /> {t('ann.attachments')}</Divider>
            {a.attachments.length === 0 ? (
              <Typography.Text type="secondary">{t('ann.noAttachments')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={a.attachments}
                renderItem={(f) => (
                  <List.Item data-testid="announcement-attachment" extra={f.size === undefined ? undefined : <Typography.Text type="secondary">{formatBytes(f.size)}</Typography.Text>}>
                    <a href={attachmentUrl(a.id, f)} download={f.name ?? true}><FileOutlined /> {f.name ?? `${t('ann.attachments')} ${a.attachments.indexOf(f) + 1}`}</a>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'type', label: t('ann.type'), children: <AnnouncementTypeTag type={a.type} /> },
                { key: 'cat', label: t('ann.category'), children: cat ? (lang === 'en' ? cat.nameEn : cat.name) : a.category },
                { key: 'region', label: t('ann.region'), children: regionLabel(a.regionCode, lang) },
                { key: 'pub', label: t('ann.publisher'), children: a.publisherName },
                ...(a.contentHash ? [{ key: 'hash', label: 'SHA-256', children: <Typography.Text code copyable style={{ fontSize: 11, wordBreak: 'break-all' }}>{a.contentHash}</Typography.Text> }] : []),
              ]}
            />
          </Card>
          <Card size="small" title={t('ann.changes')} style={{ marginBottom: 16 }}>
            <Linked items={a.changes} testId="announcement-change" />
          </Card>
          {a.links.length > 0 && (
            <Card size="small" title={t('ann.links')}>
              <Linked items={a.links} testId="announcement-related" />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
