import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Badge, Button, Card, Descriptions, Empty, Progress, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { ApiError, errorText } from '../../lib/problem';
import { formatFen } from '../../lib/format';
import { ResponsiveList } from '../../components/ResponsiveList';
import { tenderApi, useInvalidateTender, type RoomBid, type Tender } from './api';
import { AnswerBox, BjTime, LotStatusTag } from './parts';
import { RetenderModal } from './RetenderModal';
import { useRoom } from './useRoom';
import type { DictKey } from '../../lib/i18n/dict';

const DONE = new Set(['decrypted', 'recovered', 'revoked', 'withdrawn']);

/** The tenderer's view of the opening room of one lot (不见面开标): bids, decryption progress, record, objections. */
export function OpeningPanel({ tender, lotNo }: { tender: Tender; lotNo: number }) {
  const { t, lang } = useI18n();
  const lot = tender.lots.find((l) => l.lotNo === lotNo);
  const started = !!lot && lot.status !== 'draft' && lot.status !== 'bidding';
  const q = useRoom(tender.id, lotNo, !!lot);
  const invalidate = useInvalidateTender(tender.id);
  const [retender, setRetender] = useState(false);
  if (!lot) return <Empty />;
  if (q.isPending) return <Card loading />;
  if (q.isError) {
    const secret = q.error instanceof ApiError && q.error.status === 403;
    return (
      <Alert type={secret ? 'info' : 'error'} showIcon data-testid="secrecy-message"
        title={secret ? t('tn.roomNotYet', { at: '' }) : t('common.loadFailed')}
        description={<>{errorText(q.error, lang)}<div>{t('tn.deadline')}：<BjTime at={lot.bidDeadline} /></div></>} />
    );
  }
  const room = q.data;
  const decT = (d: string) => { const k = `tn.dec.${d}` as DictKey; const s = t(k); return s === k ? d : s; };
  const done = room.bids.filter((b) => DONE.has(b.decryption)).length;
  const failed = room.status === 'failed' || room.lotStatus === 'failed';
  const columns = [
    { title: t('tn.bidder'), key: 'b', render: (_: unknown, b: RoomBid) => b.bidder.name },
    { title: t('tn.receivedAt'), dataIndex: 'receivedAt', width: 200, render: (v: string) => <BjTime at={v} /> },
    { title: t('tn.decryption'), dataIndex: 'decryption', width: 170, render: (v: string, b: RoomBid) => <Space size={4}><Tag data-testid="bid-decryption" data-status={v} color={v === 'decrypted' || v === 'recovered' ? 'success' : v === 'pending' || v === 'recovering' ? 'processing' : 'error'}>{decT(v)}</Tag>{b.failedAttempts > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>×{b.failedAttempts}</Typography.Text>}</Space> },
    { title: t('tn.price'), dataIndex: 'priceFen', width: 150, align: 'right' as const, render: (v: number | null) => (v === null ? '—' : formatFen(v)) },
    { title: t('tn.duration'), dataIndex: 'durationDays', width: 90, render: (v: number | null) => v ?? '—' },
  ];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="opening-room" data-status={room.status}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('tn.roomStatus')}>
          <Space size={6}>
            <Tag color="blue" data-testid="room-status" data-status={room.status}>{t(`tn.room.${room.status}` as DictKey)}</Tag>
            <LotStatusTag status={room.lotStatus} />
            <Badge status={q.live ? 'success' : 'default'} text={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{q.live ? t('tn.live') : t('tn.polling')}</Typography.Text>} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('tn.openedAt')}><BjTime at={room.openedAt} /></Descriptions.Item>
        <Descriptions.Item label={t('tn.windowEndsAt')}><BjTime at={room.windowEndsAt} /></Descriptions.Item>
        <Descriptions.Item label={t('tn.minBidders')}>{room.minBidders ?? '—'}</Descriptions.Item>
        {room.recoveryEndsAt && <Descriptions.Item label={t('tn.recoveryEndsAt')}><BjTime at={room.recoveryEndsAt} /></Descriptions.Item>}
        {room.objectionsUntil && <Descriptions.Item label={t('tn.objectionsUntil')}><BjTime at={room.objectionsUntil} /></Descriptions.Item>}
      </Descriptions>
      {!started && room.status === 'waiting' && <Alert type="info" showIcon title={t('tn.roomWaiting')} />}
      {room.incident && <Alert type="warning" showIcon data-testid="room-incident" title={t('tn.incidentDeclared')} description={<><BjTime at={room.incident.at} /> · {room.incident.reason}</>} />}
      <Card size="small" title={t('tn.decryptProgress')}>
        <Progress percent={room.bids.length ? Math.round((done / room.bids.length) * 100) : 0} format={() => `${done}/${room.bids.length}`} data-testid="decrypt-progress" />
      </Card>
      <ResponsiveList<RoomBid>
        data={room.bids}
        columns={columns}
        rowKey={(b) => b.bidId}
        testId="room-bids"
        itemTestId="room-bid"
        card={(b) => (
          <Space orientation="vertical" size={2}>
            <Typography.Text strong>{b.bidder.name}</Typography.Text>
            <Space size={4}><Tag>{decT(b.decryption)}</Tag>{b.priceFen !== null && <Typography.Text>{formatFen(b.priceFen)}</Typography.Text>}</Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}><BjTime at={b.receivedAt} /></Typography.Text>
          </Space>
        )}
      />
      {room.recordAnnouncementId && (
        <Alert type="success" showIcon data-testid="opening-record" title={t('tn.recordPublished')}
          action={<Link to={`/announcements/${room.recordAnnouncementId}`} data-testid="opening-record-link">{t('tn.viewRecord')}</Link>} />
      )}
      {failed && (
        <Alert type="error" showIcon data-testid="lot-failed" title={t('tn.lotFailed')} description={room.failedReason ?? undefined}
          action={<Button danger onClick={() => setRetender(true)} data-testid="retender-open">{t('tn.retender')}</Button>} />
      )}
      <Card size="small" title={t('tn.roomObjections')}>
        {room.objections.length === 0 ? <Empty description={t('tn.noObjections')} /> : room.objections.map((o) => (
          <Card key={o.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="room-objection">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{o.text}</Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{o.objector} · <BjTime at={o.raisedAt} /></Typography.Text>
            {o.answer ? <Alert style={{ marginTop: 8 }} type="success" title={t('tn.answer')} description={o.answer} /> : (
              <div style={{ marginTop: 8 }}><AnswerBox testId="room-objection-answer" button={t('tn.answerIt')} onSubmit={async (text) => { await tenderApi.answerRoomObjection(o.id, text); await q.refetch(); }} /></div>
            )}
          </Card>
        ))}
      </Card>
      <RetenderModal open={retender} onClose={() => setRetender(false)} tender={tender} lotNo={lotNo} onDone={invalidate} />
    </Space>
  );
}
