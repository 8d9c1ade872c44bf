import { Link } from 'react-router';
import { useQueries } from '@tanstack/react-query';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { formatDateTime } from '../../lib/format';
import { label, PROCEDURES } from '../../lib/labels';
import { tenderApi, useTenders, type Tender, type TenderSummary } from './api';
import { LotStatusTag } from './parts';

/** My tenders (as tenderer or agency), each with its lots' statuses (GET /api/tendering/tenders + each detail). */
export default function TenderListPage() {
  const { t, lang } = useI18n();
  const q = useTenders();
  const details = useQueries({
    queries: (q.data ?? []).map((s) => ({ queryKey: ['tender', s.id], queryFn: () => tenderApi.get(s.id), staleTime: 30_000 })),
  });
  const byId = new Map<string, Tender>();
  for (const d of details) if (d.data) byId.set(d.data.id, d.data);
  const lots = (s: TenderSummary) => (
    <Space wrap size={4}>
      {(byId.get(s.id)?.lots ?? []).map((l) => (
        <span key={l.lotNo} data-testid="tender-lot-status">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tn.lotNo', { n: l.lotNo })}</Typography.Text> <LotStatusTag status={l.status} />
        </span>
      ))}
      {byId.get(s.id)?.paused && <Tag color="orange">{t('tn.paused')}</Tag>}
    </Space>
  );
  const link = (s: TenderSummary) => <Link to={`/workbench/tenders/${s.id}`} data-testid="tender-link">{s.title}</Link>;
  const columns = [
    { title: t('tn.title'), dataIndex: 'title', render: (_: unknown, s: TenderSummary) => link(s) },
    { title: t('project.procedure'), dataIndex: 'procedureType', width: 150, render: (v: string) => label(PROCEDURES, v, lang) },
    { title: t('tn.status'), dataIndex: 'status', width: 100, render: (v: string) => <StatusTag status={v} /> },
    { title: t('tn.lots'), key: 'lots', render: (_: unknown, s: TenderSummary) => lots(s) },
    { title: t('tn.publishedAt'), dataIndex: 'publishedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
  ];
  return (
    <Card
      title={t('menu.tenders')}
      extra={
        <Link to="/workbench/tenders/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="tender-new">{t('tn.new')}</Button>
        </Link>
      }
    >
      <QueryView query={q}>
        {(items) => (
          <ResponsiveList<TenderSummary>
            data={items}
            columns={columns}
            rowKey={(s) => s.id}
            testId="tender-list"
            itemTestId="tender-item"
            card={(s) => (
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <span style={{ fontWeight: 500 }}>{link(s)}</span>
                <Space wrap size={6}>
                  <StatusTag status={s.status} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{label(PROCEDURES, s.procedureType, lang)}</Typography.Text>
                </Space>
                {lots(s)}
              </Space>
            )}
          />
        )}
      </QueryView>
    </Card>
  );
}
