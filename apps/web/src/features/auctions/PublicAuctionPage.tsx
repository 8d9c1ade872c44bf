// /auctions/:id — the public live page (no login): the same board and log as the rooms, bidders as numbers only,
// the reserve hidden until the end; after the close, the result.
import { useParams } from 'react-router';
import { Alert, Space, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { QueryView } from '../../components/Results';
import { useAuction, type Auction } from './api';
import { Board, EventLog, Params, ResultCard, StatusTag } from './parts';
import { useLive } from './useLive';

function Live({ auction }: { auction: Auction }) {
  const { t } = useI18n();
  const live = useLive(auction.id, auction);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="au-public">
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="au-title">{auction.title}</Typography.Title>
        <StatusTag status={auction.status} phase={auction.phase} />
      </Space>
      <Alert type="info" showIcon title={t('au.publicNote')} />
      <ResultCard auction={auction} />
      <Board auction={auction} live={live} />
      <EventLog events={live.events} />
      <Params auction={auction} />
    </Space>
  );
}

export default function PublicAuctionPage() {
  const { id = '' } = useParams();
  const q = useAuction(id);
  return (
    <div style={{ maxWidth: 1200, margin: '0 auto', padding: '16px 12px' }}>
      <QueryView query={q}>{(a) => <Live auction={a} />}</QueryView>
    </div>
  );
}
