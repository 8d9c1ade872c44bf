// /tenders/:id — a published tender on the portal: lots and deadlines (Beijing time), the documents' names and
// hashes, the notice; and the notices that follow it (opening record, candidate publicity, result), found on the
// portal by the tender's title, as every visitor would find them.
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, List, Space, Typography } from 'antd';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatBytes, formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { AnnouncementLines } from '../../portal/AnnouncementItems';
import { normaliseSummary, type AnnouncementSummary } from '../portal/api';
import { Countdown, useDescLayout } from './parts';
import { usePublicTender, type TenderLot } from './api';
import { SingleSourceObjection } from '../negotiation/SingleSourceObjection';

function Related({ title, noticeId }: { title: string; noticeId: string | null }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['public-tender-notices', title],
    queryFn: async () => {
      const page = await api.get<{ items: Parameters<typeof normaliseSummary>[0][] }>('/api/portal/announcements', { q: title, limit: 30 });
      return page.items.map(normaliseSummary).filter((a) => a.id !== noticeId && a.title.startsWith(title));
    },
  });
  return (
    <Card size="small" title={t('bid.followingNotices')}>
      <QueryView query={q}>{(items: AnnouncementSummary[]) => <AnnouncementLines items={items} testId="ptender-notice" />}</QueryView>
    </Card>
  );
}

export default function PublicTenderPage() {
  const { id = '' } = useParams();
  const { t, pick } = useI18n();
  const desc = useDescLayout();
  const q = usePublicTender(id);
  return (
    <div className="yw-page" style={{ maxWidth: 1200, margin: '0 auto', padding: 16 }}>
      <QueryView query={q}>
        {(td) => (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="ptender-title">{td.title}</Typography.Title>
            <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('bid.procedure')}>{pick(td.procedureName)}</Descriptions.Item>
              <Descriptions.Item label={t('bid.publishedAt')}>{formatDateTime(td.publishedAt)}</Descriptions.Item>
              {td.noticeId && <Descriptions.Item label={t('bid.tenderNotice')} span={2}><Link to={`/announcements/${td.noticeId}`} data-testid="ptender-notice-link">{t('bid.viewNotice')}</Link></Descriptions.Item>}
            </Descriptions>
            <Card size="small" title={t('bid.lots')}>
              <ResponsiveList<TenderLot>
                data={td.lots}
                rowKey={(l) => String(l.lotNo)}
                testId="ptender-lots"
                itemTestId="ptender-lot"
                columns={[
                  { title: t('bid.lotNo'), dataIndex: 'lotNo', width: 70 },
                  { title: t('bid.lotName'), dataIndex: 'name' },
                  { title: t('bid.deposit'), dataIndex: 'depositFen', width: 130, render: (v: number) => formatFen(v) },
                  { title: t('bid.deadline'), dataIndex: 'bidDeadline', render: (v: string) => <Countdown until={v} /> },
                  { title: t('bid.openingAt'), dataIndex: 'openingAt', width: 160, render: (v: string) => formatDateTime(v) },
                  { title: t('bid.status'), dataIndex: 'status', width: 110, render: (v: string) => <StatusTag status={v} /> },
                ]}
                card={(l) => (
                  <Space orientation="vertical" size={4}>
                    <Space wrap><strong>{t('bid.lotNo')} {l.lotNo} · {l.name}</strong><StatusTag status={l.status} /></Space>
                    <span>{t('bid.deposit')}: {formatFen(l.depositFen)}</span>
                    <span>{t('bid.deadline')}: <Countdown until={l.bidDeadline} /></span>
                  </Space>
                )}
              />
            </Card>
            <Card size="small" title={t('bid.documents')}>
              <List data-testid="ptender-documents" dataSource={td.documents} renderItem={(d) => (
                <List.Item><List.Item.Meta title={d.name} description={<Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>{formatBytes(d.size)} · SHA-256 {d.sha256}</Typography.Text>} /></List.Item>
              )} />
              <Link to={`/workbench/bids/${td.id}`}><Button type="primary" data-testid="ptender-participate">{t('bid.participate')}</Button></Link>
            </Card>
            {td.procedureType === 'single_source' && (
              <SingleSourceObjection tenderId={td.id} publicityEndsAt={td.lots.map((l) => l.bidDeadline).sort()[0] ?? null} />
            )}
            <Related title={td.title} noticeId={td.noticeId} />
          </Space>
        )}
      </QueryView>
    </div>
  );
}
