// 不见面开标 — the opening room (ADR 0010): live over a WebSocket (the server pushes a new view whenever the room's
// version changes), polling when the socket cannot be held. The bidder decrypts its own bid here: the content key is
// unwrapped in this browser with the key file and only that key is sent.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, List, Space, Tag, Typography, Upload } from 'antd';
import { encodeContentKey, readSealedBidHeader, unwrapContentKey, type BidKeyPair, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatBytes, formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { Countdown, KeyFileLoader, anyErrorText, serverNow, useDescLayout } from './parts';
import { decrypt, recalledHeader, roomPath, type Room, type RoomBid } from './api';

/** The room view, kept fresh by the live socket; `live` says whether pushes arrive (else polled every 5 s). */
function useRoom(tenderId: string, lotNo: number) {
  const qc = useQueryClient();
  const key = ['opening-room', tenderId, lotNo];
  const [live, setLive] = useState(false);
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    try {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(`${proto}//${location.host}${roomPath(tenderId, lotNo)}/live`);
      ws.onopen = () => !stopped && setLive(true);
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as { type: string; room?: Room };
        if (m.type === 'room' && m.room) qc.setQueryData(['opening-room', tenderId, lotNo], m.room);
      };
      ws.onclose = () => !stopped && setLive(false);
      ws.onerror = () => !stopped && setLive(false);
    } catch {
      setLive(false);
    }
    return () => {
      stopped = true;
      ws?.close();
    };
  }, [qc, tenderId, lotNo]);
  const q = useQuery({ queryKey: key, queryFn: () => api.get<Room>(roomPath(tenderId, lotNo)), refetchInterval: live ? false : 5000 });
  return { q, live };
}

function DecryptCard({ tenderId, lotNo, onDone }: { tenderId: string; lotNo: number; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const remembered = recalledHeader(tenderId, lotNo);
  const [header, setHeader] = useState<SealedBidHeader | null>((remembered?.header as SealedBidHeader) ?? null);
  const [key, setKey] = useState<BidKeyPair | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card size="small" title={t('bid.decryptTitle')} data-testid="room-decrypt">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('bid.decryptIntro')} />
        {header ? (
          <Tag color="green" data-testid="room-header-ready">{t('bid.headerReady')}</Tag>
        ) : (
          <Upload showUploadList={false} beforeUpload={async (f) => {
            try { setHeader(await readSealedBidHeader(f)); } catch (e) { setError(anyErrorText(e, lang)); }
            return false;
          }}>
            <Button data-testid="room-envelope">{t('bid.loadEnvelope')}</Button>
          </Upload>
        )}
        <KeyFileLoader prefix="room" onKey={setKey} current={key} />
        <Button type="primary" size="large" disabled={!header || !key} loading={busy} data-testid="room-decrypt-submit"
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const contentKey = encodeContentKey(await unwrapContentKey(header!, key!));
              const r = await decrypt(tenderId, lotNo, contentKey);
              message.success(t('bid.decrypted', { price: formatFen(r.priceFen) }));
              onDone();
            } catch (e) {
              setError(anyErrorText(e, lang));
            } finally {
              setBusy(false);
            }
          }}>
          {t('bid.decrypt')}
        </Button>
        {error && <Alert type="error" showIcon title={error} data-testid="room-error" />}
      </Space>
    </Card>
  );
}

export default function OpeningRoomPage() {
  const { tenderId = '', lotNo: lotParam = '1' } = useParams();
  const desc = useDescLayout();
  const lotNo = Number(lotParam);
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { q, live } = useRoom(tenderId, lotNo);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <Link to={`/workbench/bids/${tenderId}`}>{t('common.back')}</Link>
        <Typography.Title level={3} style={{ margin: '4px 0 0' }}>{t('bid.openingRoom')}</Typography.Title>
      </div>
      <QueryView query={q}>
        {(room) => {
          const mine = room.bids.find((b) => b.mine);
          const canObject = room.status !== 'waiting' && room.status !== 'closed' && room.status !== 'failed' && (!room.objectionsUntil || new Date(room.objectionsUntil).getTime() > serverNow());
          return (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }} data-testid="room-info">
                <Descriptions.Item label={t('bid.lotName')}>{t('bid.lotNo')} {room.lotNo} · {room.lotName}</Descriptions.Item>
                <Descriptions.Item label={t('bid.roomStatus')}>
                  <Space wrap><span data-testid="room-status" data-status={room.status}>{t(`bid.room.${room.status}` as never)}</span>
                    <Tag color={live ? 'green' : 'default'} data-testid="room-live">{live ? t('bid.live') : t('bid.polling')}</Tag></Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('bid.openedAt')}>{formatDateTime(room.openedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('bid.windowEnds')}>{room.status === 'decrypting' ? <Countdown until={room.windowEndsAt} testId="room-window" /> : formatDateTime(room.windowEndsAt)}</Descriptions.Item>
                {room.objectionsUntil && <Descriptions.Item label={t('bid.objectionsUntil')}>{formatDateTime(room.objectionsUntil)}</Descriptions.Item>}
                {room.failedReason && <Descriptions.Item label={t('bid.failedReason')}>{room.failedReason}</Descriptions.Item>}
              </Descriptions>
              {room.status === 'decrypting' && mine && mine.decryption !== 'decrypted' && (
                <DecryptCard tenderId={tenderId} lotNo={lotNo} onDone={() => void q.refetch()} />
              )}
              <Card size="small" title={t('bid.bidList', { n: room.bids.length })}>
                <ResponsiveList<RoomBid>
                  data={room.bids}
                  rowKey={(b) => b.bidId}
                  testId="room-bids"
                  itemTestId="room-bid"
                  columns={[
                    { title: t('bid.bidder'), key: 'b', render: (_, b) => <Space wrap>{b.bidder.name}{b.mine && <Tag color="blue">{t('bid.mine')}</Tag>}</Space> },
                    { title: t('bid.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (v: string) => formatDateTime(v, true) },
                    { title: t('bid.decryption'), dataIndex: 'decryption', width: 110, render: (v: string) => <StatusTag status={v} /> },
                    { title: t('bid.price'), dataIndex: 'priceFen', width: 150, render: (v: number | null) => (v === null ? '—' : <span data-testid="room-price">{formatFen(v)}</span>) },
                    { title: t('bid.duration'), dataIndex: 'durationDays', width: 90, render: (v: number | null) => v ?? '—' },
                    { title: t('bid.quality'), dataIndex: 'quality', width: 90, render: (v: string | null) => v ?? '—' },
                    { title: t('bid.size'), dataIndex: 'size', width: 90, render: (v: number) => formatBytes(v) },
                  ]}
                  card={(b) => (
                    <Space orientation="vertical" size={2}>
                      <Space wrap><strong>{b.bidder.name}</strong>{b.mine && <Tag color="blue">{t('bid.mine')}</Tag>}<StatusTag status={b.decryption} /></Space>
                      <span>{t('bid.price')}: {b.priceFen === null ? '—' : <span data-testid="room-price">{formatFen(b.priceFen)}</span>}{b.durationDays ? ` · ${b.durationDays}${t('bid.days')}` : ''}{b.quality ? ` · ${b.quality}` : ''}</span>
                      <Typography.Text type="secondary">{formatDateTime(b.receivedAt, true)}</Typography.Text>
                    </Space>
                  )}
                />
                {room.recordAnnouncementId && (
                  <Link to={`/announcements/${room.recordAnnouncementId}`} data-testid="room-record-link">{t('bid.openingRecord')}</Link>
                )}
              </Card>
              <Card size="small" title={t('bid.roomObjections')}>
                <List data-testid="room-objections" dataSource={room.objections} locale={{ emptyText: t('common.empty') }} renderItem={(o) => (
                  <List.Item><List.Item.Meta title={<Space wrap>{o.objector}{o.mine && <Tag>{t('bid.mine')}</Tag>}</Space>}
                    description={<><div style={{ whiteSpace: 'pre-wrap' }}>{o.text}</div><div>{formatDateTime(o.raisedAt)}</div>{o.answer && <Alert type="success" title={o.answer} />}</>} /></List.Item>
                )} />
                {canObject && mine && (
                  <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
                    <Input.TextArea rows={2} value={text} onChange={(e) => setText(e.target.value)} data-testid="room-objection-text" />
                    <Button danger disabled={text.trim().length < 2} loading={busy} data-testid="room-objection-submit" onClick={async () => {
                      setBusy(true);
                      try { await api.post(`${roomPath(tenderId, lotNo)}/objections`, { text: text.trim() }); setText(''); message.success(t('common.submitted')); await q.refetch(); }
                      catch (e) { message.error(anyErrorText(e, lang)); } finally { setBusy(false); }
                    }}>{t('bid.raiseObjection')}</Button>
                  </Space>
                )}
              </Card>
            </Space>
          );
        }}
      </QueryView>
    </Space>
  );
}
