// Pieces shared by the bidder's room, the organiser's page and the public live page.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime, formatFen } from '../../lib/format';
import { base, type Auction, type RoomEvent } from './api';
import { formatCountdown, remainingMs } from './clock';
import type { useLive } from './useLive';

type Live = ReturnType<typeof useLive>;

const STATUS_COLOR: Record<string, string> = { open: 'processing', preemption: 'gold', sold: 'green', failed: 'default' };

export function StatusTag({ status, phase }: { status: string; phase?: string }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="au-status" data-status={status}>{t(`au.st.${status}` as DictKey)}</Tag>
      {status === 'open' && phase && <Tag data-testid="au-phase">{t(`au.ph.${phase}` as DictKey)}</Tag>}
    </Space>
  );
}

/** Re-render every `ms` (the countdown). */
export function useTick(ms = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function signedSeconds(ms: number): string {
  const s = (Math.abs(ms) / 1000).toFixed(ms !== 0 && Math.abs(ms) < 10_000 ? 2 : 0);
  return `${ms >= 0 ? '+' : '−'}${s} s`;
}

/** The board: price, leader, countdown corrected by the measured offset, the clock line and the connection. */
export function Board({ auction, live, myNo }: { auction: Auction; live: Live; myNo?: number | null }) {
  const { t } = useI18n();
  const now = useTick();
  const offset = live.offset?.offsetMs ?? 0;
  const open = auction.status === 'open';
  const notStarted = open && new Date(auction.startsAt).getTime() > now + offset;
  const left = live.endsAt ? remainingMs(notStarted ? auction.startsAt : live.endsAt, now, offset) : 0;
  const ended = !open || left === 0;
  return (
    <Card data-testid="au-board">
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} md={8}>
          <div data-testid="au-price" data-fen={live.price ?? ''}><Statistic title={t('au.currentPrice')} value={live.price === null ? t('au.noBids') : formatFen(live.price)} styles={{ content: { fontSize: 28, fontWeight: 600 } }} /></div>
        </Col>
        <Col xs={12} sm={12} md={5}>
          <div data-testid="au-leader" data-no={live.leaderNo ?? ''}><Statistic title={t('au.leader')} value={live.leaderNo === null ? '—' : t('au.bidderN', { n: live.leaderNo })} /></div>
          {myNo != null && live.leaderNo === myNo && open && <Tag color="green" data-testid="au-you-lead">{t('au.youLead')}</Tag>}
        </Col>
        {myNo !== undefined && (
          <Col xs={12} sm={12} md={4}>
            <div data-testid="au-my-no" data-no={myNo ?? ''}><Statistic title={t('au.myNo')} value={myNo === null ? '—' : t('au.bidderN', { n: myNo })} /></div>
          </Col>
        )}
        <Col xs={24} sm={12} md={myNo !== undefined ? 7 : 11}>
          <div data-testid="au-countdown" data-ended={ended && !notStarted ? 'true' : 'false'}><Statistic
            title={notStarted ? t('au.startsIn') : t('au.remaining')}
            value={ended && !notStarted ? t('au.ended') : formatCountdown(left)}
            styles={{ content: { fontVariantNumeric: 'tabular-nums', color: !ended && left < 10_000 ? '#cf1322' : undefined } }}
           
           
          /></div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('au.endsAt')}：{formatDateTime(live.endsAt, true)}</Typography.Text>
        </Col>
      </Row>
      <Space size={8} wrap style={{ marginTop: 12 }}>
        <Tag color={live.connected ? 'green' : 'orange'} data-testid="au-connection" data-live={live.connected ? 'true' : 'false'}>{live.connected ? t('au.live') : t('au.offline')}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="au-clock" data-offset={live.offset?.offsetMs ?? ''}>
          {live.offset ? t('au.clock', { offset: signedSeconds(live.offset.offsetMs), err: `${live.offset.errorMs} ms` }) : t('au.clockPending')}
        </Typography.Text>
        {live.resumedFrom !== null && <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="au-resumed">{t('au.resumed', { seq: live.resumedFrom })}</Typography.Text>}
      </Space>
    </Card>
  );
}

function eventText(e: RoomEvent, t: ReturnType<typeof useI18n>['t']): string {
  const ev = e.event;
  const who = (n: unknown) => (typeof n === 'number' ? t('au.bidderN', { n }) : '—');
  switch (ev.kind) {
    case 'bid':
      return t('au.ev.bid', { who: who(ev.biddingNo), amount: formatFen(ev.amountFen as number) }) + (ev.extended ? `，${t('au.ev.extended', { time: formatDateTime(e.endsAt, true) })}` : '');
    case 'phase':
      return t('au.ev.phase', { time: formatDateTime(e.endsAt, true) });
    case 'closed':
      return ev.outcome === 'sold' ? t('au.ev.closed.sold', { who: who(ev.winnerNo), amount: formatFen(ev.finalPriceFen as number) }) : t('au.ev.closed.failed');
    case 'preemption_window':
      return t('au.ev.preemption_window', { time: formatDateTime(ev.until as string, true) });
    default:
      return t('au.ev.other', { kind: ev.kind });
  }
}

/** The event log, newest first. */
export function EventLog({ events }: { events: RoomEvent[] }) {
  const { t } = useI18n();
  const rows = [...events].reverse();
  return (
    <Card title={t('au.log')} size="small" data-testid="au-log">
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <div style={{ maxHeight: 360, overflowY: 'auto' }}>
          {rows.map((e) => (
            <div key={e.seq} data-testid="au-log-item" data-seq={e.seq} data-kind={e.event.kind} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
              <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums', marginRight: 8 }}>#{e.seq} {formatDateTime(e.at, true).slice(11)}</Typography.Text>
              <span>{eventText(e, t)}</span>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

/** The outcome once the auction has closed (and the reserve, now revealed). */
export function ResultCard({ auction, myNo, pdf }: { auction: Auction; myNo?: number | null; pdf?: boolean }) {
  const { t } = useI18n();
  const r = auction.result;
  if (!r) return null;
  const sold = r.outcome === 'sold' || r.outcome === 'preemption';
  return (
    <Card title={t('au.result')} data-testid="au-result" data-outcome={r.outcome}>
      {myNo != null && r.outcome === 'sold' && (
        <Alert style={{ marginBottom: 12 }} type={r.winnerNo === myNo ? 'success' : 'info'} showIcon title={r.winnerNo === myNo ? t('au.youWon') : t('au.youLost')} data-testid="au-my-outcome" data-won={r.winnerNo === myNo ? 'true' : 'false'} />
      )}
      {r.outcome === 'preemption' && r.preemptionEndsAt && <Alert style={{ marginBottom: 12 }} type="warning" showIcon title={t('au.preemptionNote', { time: formatDateTime(r.preemptionEndsAt, true) })} />}
      <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
        <Descriptions.Item label={t('au.status')}><StatusTag status={auction.status} /></Descriptions.Item>
        {sold ? (
          <>
            <Descriptions.Item label={t('au.winner')}><span data-testid="au-winner" data-no={r.winnerNo ?? ''}>{r.winnerNo === null ? '—' : t('au.bidderN', { n: r.winnerNo })}</span></Descriptions.Item>
            <Descriptions.Item label={t('au.finalPrice')}><span data-testid="au-final-price" data-fen={r.finalPriceFen ?? ''}>{formatFen(r.finalPriceFen)}</span></Descriptions.Item>
          </>
        ) : (
          <Descriptions.Item label={t('au.result')}>{r.reason ? t(`au.failedReason.${r.reason}` as DictKey) : '—'}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('au.bidCount')}>{auction.bidCount}</Descriptions.Item>
        {auction.hasReserve && auction.reserveFen !== null && <Descriptions.Item label={t('au.reserveRevealed')}>{formatFen(auction.reserveFen)}</Descriptions.Item>}
        <Descriptions.Item label={t('au.closedAt')}>{formatDateTime(r.closedAt, true)}</Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginTop: 12 }}>
        {auction.notices?.result && <Link to={`/announcements/${auction.notices.result}`} data-testid="au-result-notice">{t('au.resultNotice')}</Link>}
        {auction.numbers?.drawId && <Link to={`/verify/draw/${auction.numbers.drawId}`} data-testid="au-draw-record">{t('au.drawRecord')}</Link>}
        {pdf && auction.hasConfirmation && (myNo === undefined || r.winnerNo === myNo) && (
          <Button href={`${base(auction.id)}/confirmation.pdf`} target="_blank" data-testid="au-confirmation-pdf">{t('au.confirmationPdf')}</Button>
        )}
      </Space>
    </Card>
  );
}

/** The parameters a bidder and the public may see (never the reserve before the end). */
export function Params({ auction }: { auction: Auction }) {
  const { t, lang } = useI18n();
  return (
    <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" bordered data-testid="au-params">
      <Descriptions.Item label={t('au.policy')}>{lang === 'en' ? auction.policyLabel.en : auction.policyLabel.zh}</Descriptions.Item>
      <Descriptions.Item label={t('au.startPrice').replace(/（元）| \(yuan\)/, '')}>{formatFen(auction.startPriceFen)}</Descriptions.Item>
      <Descriptions.Item label={t('au.increment').replace(/（元）| \(yuan\)/, '')}>{formatFen(auction.incrementFen)}</Descriptions.Item>
      <Descriptions.Item label={t('au.deposit').replace(/（元）| \(yuan\)/, '')}>{formatFen(auction.depositFen)}</Descriptions.Item>
      <Descriptions.Item label={t('au.reserveRevealed')}>{auction.reserveFen !== null ? formatFen(auction.reserveFen) : auction.hasReserve ? t('au.hasReserve') : t('au.noReserve')}</Descriptions.Item>
      <Descriptions.Item label={t('au.countdown')}>{auction.countdownSeconds}</Descriptions.Item>
      <Descriptions.Item label={t('au.registrationEndsAt')}>{formatDateTime(auction.registrationEndsAt)}</Descriptions.Item>
      <Descriptions.Item label={t('au.startsAt')}>{formatDateTime(auction.startsAt, true)}</Descriptions.Item>
      {auction.notices?.listing && <Descriptions.Item label={t('au.listingNotice')}><Link to={`/announcements/${auction.notices.listing}`} data-testid="au-listing-notice">{t('au.listingNotice')}</Link></Descriptions.Item>}
    </Descriptions>
  );
}
