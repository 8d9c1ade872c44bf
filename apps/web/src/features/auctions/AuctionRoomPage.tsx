// The bidder's room: registration state → number → bidding. Quick bids (+1/+2/+5 increments) and a custom amount,
// each confirmed in a dialog; the bid carries a client bid id (a retry after a network error reuses it, so the server
// counts it once) and the corrected client time (the server refuses a clock more than 10 s off and says so).
import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Input, Modal, Row, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime, formatFen, parseYuanToFen } from '../../lib/format';
import { ApiError, errorText } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { auctionApi, auctionKey, useAuction, type Auction } from './api';
import { amountProblem, minimumBid, newClientBidId, quickBid, remainingMs } from './clock';
import { Board, EventLog, Params, ResultCard, StatusTag, useTick } from './parts';
import { useLive } from './useLive';

type Live = ReturnType<typeof useLive>;

function Registration({ auction }: { auction: Auction }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
      await qc.invalidateQueries({ queryKey: auctionKey(auction.id) });
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const me = auction.me;
  if (!me) {
    if (new Date(auction.registrationEndsAt).getTime() <= Date.parse(auction.serverTime)) return <Alert type="warning" showIcon title={t('au.registrationClosed')} />;
    return (
      <Card data-testid="au-registration">
        <Button type="primary" loading={busy} onClick={() => void run(() => auctionApi.apply(auction.id, []))} data-testid="au-apply">{t('au.apply')}</Button>
      </Card>
    );
  }
  if (me.status === 'applied') return <Alert type="info" showIcon title={t('au.applied')} data-testid="au-reg-state" data-state="applied" />;
  if (me.status === 'rejected') return <Alert type="error" showIcon title={t('au.rejected')} data-testid="au-reg-state" data-state="rejected" />;
  if (me.biddingNo === null && Date.parse(auction.serverTime) < new Date(auction.registrationEndsAt).getTime())
    return <Alert type="info" showIcon title={t('au.awaitDraw', { time: formatDateTime(auction.registrationEndsAt, true) })} data-testid="au-reg-state" data-state="approved" />;
  if (me.biddingNo === null)
    return (
      <Alert
        type="warning"
        showIcon
        title={t('au.needDeposit')}
        data-testid="au-reg-state"
        data-state="no-number"
        action={<Button size="small" loading={busy} onClick={() => void run(() => auctionApi.claimNumber(auction.id))} data-testid="au-claim">{t('au.claim')}</Button>}
      />
    );
  return null;
}

/** The server states amounts in 分 (details carry them as numbers): say them in 元 as the board does. */
function refusalText(e: unknown, t: ReturnType<typeof useI18n>['t'], lang: ReturnType<typeof useI18n>['lang']): string {
  const d = e instanceof ApiError ? e.details : undefined;
  if (e instanceof ApiError && e.code === 'AUCTION_BID_BELOW_MINIMUM' && typeof d?.minimumFen === 'number') return t('au.belowMinimum', { amount: formatFen(d.minimumFen) });
  if (e instanceof ApiError && e.code === 'AUCTION_BID_NOT_MULTIPLE' && typeof d?.incrementFen === 'number') return t('au.notMultiple', { inc: formatFen(d.incrementFen) });
  return errorText(e, lang);
}

interface Pending {
  amountFen: number;
  clientBidId: string;
}

function BidPanel({ auction, live, myNo }: { auction: Auction; live: Live; myNo: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const now = useTick(500);
  const [custom, setCustom] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ text: string; code: string; retry: Pending | null } | null>(null);
  const state = { startPriceFen: auction.startPriceFen, incrementFen: auction.incrementFen, currentPriceFen: live.price };
  const offset = live.offset?.offsetMs ?? 0;
  const started = new Date(auction.startsAt).getTime() <= now + offset;
  const open = auction.status === 'open' && started && live.endsAt !== null && remainingMs(live.endsAt, now, offset) > 0;
  const inc = formatFen(auction.incrementFen);
  const customFen = parseYuanToFen(custom);
  const customProblem = custom === '' ? null : customFen === undefined ? t('au.money') : ((p) => (p === 'below_minimum' ? t('au.belowMinimum', { amount: formatFen(minimumBid(state)) }) : p === 'not_multiple' ? t('au.notMultiple', { inc }) : null))(amountProblem(state, customFen));

  const send = async (p: Pending) => {
    setSending(true);
    setError(null);
    try {
      const r = await auctionApi.bid(auction.id, { amountFen: p.amountFen, clientBidId: p.clientBidId, clientTime: new Date(Date.now() + offset).toISOString() });
      setPending(null);
      setCustom('');
      message.success(t('au.accepted', { amount: formatFen(r.amountFen) }));
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'UNKNOWN';
      // Only a lost answer may be retried with the same id; a refusal is final for that intention.
      setError({ text: refusalText(e, t, lang), code, retry: e instanceof ApiError && e.status === 0 ? p : null });
      setPending(null);
      if (code === 'AUCTION_CLIENT_CLOCK_SKEWED') void live.resync();
    } finally {
      setSending(false);
    }
  };
  const ask = (amountFen: number) => {
    setError(null);
    setPending({ amountFen, clientBidId: newClientBidId() });
  };

  return (
    <Card title={t('au.bid')} data-testid="au-bid-panel">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary" data-testid="au-minimum">{t('au.minimum', { amount: formatFen(minimumBid(state)), inc })}</Typography.Text>
        <Row gutter={[8, 8]}>
          {[1, 2, 5].map((n) => (
            <Col xs={24} sm={8} key={n}>
              {/* One line per button on phones (full width), two lines side by side on wider screens. */}
              <Button block size="large" type={n === 1 ? 'primary' : 'default'} disabled={!open || sending} onClick={() => ask(quickBid(state, n))} data-testid={`au-quick-${n}`} data-fen={quickBid(state, n)} style={{ height: 'auto', padding: '6px 4px', whiteSpace: 'normal' }}>
                <span style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'center', columnGap: 8 }}>
                  <span style={{ fontSize: 12, opacity: 0.85 }}>{t('au.bidPlus', { n })}</span>
                  <span style={{ fontWeight: 600 }}>{formatFen(quickBid(state, n))}</span>
                </span>
              </Button>
            </Col>
          ))}
        </Row>
        <Space.Compact style={{ width: '100%' }}>
          <Input size="large" prefix="¥" inputMode="decimal" placeholder={t('au.custom')} value={custom} onChange={(e) => setCustom(e.target.value)} status={customProblem ? 'error' : undefined} disabled={!open} data-testid="au-custom" />
          <Button size="large" type="primary" disabled={!open || sending || customFen === undefined || customProblem !== null} onClick={() => ask(customFen!)} data-testid="au-custom-bid">{t('au.bid')}</Button>
        </Space.Compact>
        {customProblem && <Typography.Text type="danger" data-testid="au-custom-problem">{customProblem}</Typography.Text>}
        {error && (
          <Alert
            type="error"
            showIcon
            title={t('au.bidRefused')}
            description={error.text}
            data-testid="au-bid-error"
            data-code={error.code}
            action={error.retry && <Button size="small" onClick={() => void send(error.retry!)} data-testid="au-bid-retry">{t('common.retry')}</Button>}
          />
        )}
      </Space>
      <Modal
        open={pending !== null}
        title={t('au.confirmTitle')}
        okText={t('au.confirm')}
        cancelText={t('au.cancel')}
        okButtonProps={{ loading: sending, 'data-testid': 'au-confirm-ok' } as never}
        cancelButtonProps={{ 'data-testid': 'au-confirm-cancel' } as never}
        onOk={() => pending && void send(pending)}
        onCancel={() => setPending(null)}
      >
        <Typography.Paragraph data-testid="au-confirm-text">{pending && t('au.confirmBody', { n: myNo, amount: formatFen(pending.amountFen) })}</Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function Room({ auction }: { auction: Auction }) {
  const live = useLive(auction.id, auction);
  const myNo = auction.me?.biddingNo ?? null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="au-room">
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="au-title">{auction.title}</Typography.Title>
        <StatusTag status={auction.status} phase={auction.phase} />
      </Space>
      <ResultCard auction={auction} myNo={myNo} pdf />
      <Registration auction={auction} />
      <Board auction={auction} live={live} myNo={myNo} />
      <Row gutter={[16, 16]}>
        {myNo !== null && auction.status === 'open' && (
          <Col xs={24} lg={12}>
            <BidPanel auction={auction} live={live} myNo={myNo} />
          </Col>
        )}
        <Col xs={24} lg={myNo !== null && auction.status === 'open' ? 12 : 24}>
          <EventLog events={live.events} />
        </Col>
      </Row>
      <Params auction={auction} />
    </Space>
  );
}

export default function AuctionRoomPage() {
  const { id = '' } = useParams();
  const q = useAuction(id);
  return <QueryView query={q}>{(a) => <Room auction={a} />}</QueryView>;
}
