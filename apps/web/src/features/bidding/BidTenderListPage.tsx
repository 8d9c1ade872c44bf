// 我的投标: the tenders this bidder may take part in (open procedures, and invitations), newest first.
import { Button, Space, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { label, PROCEDURES } from '../../lib/labels';
import { useBidTenders, type TenderRow } from './api';

export default function BidTenderListPage() {
  const { t, lang } = useI18n();
  const q = useBidTenders();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('bid.listTitle')}</Typography.Title>
        <Link to="/workbench/bids/keys"><Button icon={<KeyOutlined />} data-testid="bid-keys-link">{t('bid.keysTitle')}</Button></Link>
      </Space>
      <QueryView query={q}>
        {(rows) => (
          <ResponsiveList<TenderRow>
            data={rows}
            rowKey={(r) => r.id}
            testId="bid-tender-list"
            itemTestId="bid-tender-item"
            columns={[
              { title: t('bid.tender'), dataIndex: 'title', render: (_, r) => <Link to={`/workbench/bids/${r.id}`} data-testid="bid-tender-link">{r.title}</Link> },
              { title: t('bid.procedure'), dataIndex: 'procedureType', width: 180, render: (v: string) => label(PROCEDURES, v, lang) },
              { title: t('bid.publishedAt'), dataIndex: 'publishedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
              { title: t('bid.status'), dataIndex: 'status', width: 110, render: (v: string) => <StatusTag status={v} /> },
            ]}
            card={(r) => (
              <Space orientation="vertical" size={4}>
                <Link to={`/workbench/bids/${r.id}`} data-testid="bid-tender-link"><strong>{r.title}</strong></Link>
                <span>{label(PROCEDURES, r.procedureType, lang)} · {formatDateTime(r.publishedAt)}</span>
              </Space>
            )}
          />
        )}
      </QueryView>
    </Space>
  );
}
