import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Segmented, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useWorkbenchAnnouncements, type WorkbenchAnnouncement } from './api';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { AnnouncementTypeTag, StatusTag } from '../../components/Tags';
import { formatDateTime } from '../../lib/format';

export default function AnnouncementWorkList() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<string>('');
  const q = useWorkbenchAnnouncements('mine', status || undefined);
  const columns = [
    { title: t('ann.title'), dataIndex: 'title', render: (_: unknown, a: WorkbenchAnnouncement) => <Link to={`/workbench/announcements/${a.id}`} data-testid="annwb-link">{a.title}</Link> },
    { title: t('ann.type'), dataIndex: 'type', width: 160, render: (v: string) => <AnnouncementTypeTag type={v} /> },
    { title: t('common.status'), dataIndex: 'status', width: 100, render: (v: string) => <StatusTag status={v} /> },
    { title: lang === 'en' ? 'Updated' : '更新时间', dataIndex: 'updatedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('ann.publishedAt'), dataIndex: 'publishedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
  ];
  return (
    <Card
      title={t('annwb.list')}
      extra={
        <Link to="/workbench/announcements/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="annwb-new">{t('annwb.new')}</Button>
        </Link>
      }
    >
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={[{ value: '', label: t('common.all') }, ...['draft', 'in_review', 'published'].map((s) => ({ value: s, label: t(`status.${s}` as 'status.draft') }))]}
        data-testid="annwb-status-filter"
      />
      <QueryView query={q}>
        {(page) => (
          <ResponsiveList<WorkbenchAnnouncement>
            data={page.items}
            columns={columns}
            rowKey={(a) => a.id}
            testId="annwb-list"
            itemTestId="annwb-item"
            card={(a) => (
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Link to={`/workbench/announcements/${a.id}`} style={{ fontWeight: 500 }}>{a.title}</Link>
                <Space wrap size={6}>
                  <AnnouncementTypeTag type={a.type} />
                  <StatusTag status={a.status} />
                </Space>
                {a.rejectReason && <Typography.Text type="danger" style={{ fontSize: 12 }}>{a.rejectReason}</Typography.Text>}
              </Space>
            )}
          />
        )}
      </QueryView>
    </Card>
  );
}
