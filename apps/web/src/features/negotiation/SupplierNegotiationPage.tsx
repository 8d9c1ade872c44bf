// The supplier's side of a negotiation (ADR 0017): its own status and minutes, the written change notices it received
// (acknowledge), withdrawal before the final offer, the final offer sealed in this browser with its key (the same
// @yiwang/sdk/sealing envelope as a bid) and decrypted after the deadline, or — single source — the agreed price to
// confirm or decline. Nothing here names another supplier: the server never sends one.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { encodeContentKey, sealBid, unwrapContentKey, type BidKeyPair, type Custodian, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatBytes, formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { Countdown, KeyFileLoader, anyErrorText, serverNow, useDescLayout } from '../bidding/parts';
import { normaliseYuan } from '../bidding/price';
import { negApi, negKey, uploadFinalOffer, useNegotiation, type FinalOfferReceipt, type Negotiation } from './api';
import { ParticipantTag, StageTag, useNgText } from './NegotiationPanel';

export default function SupplierNegotiationPage() {
  const { tenderId = '', lotNo: lotParam = '1' } = useParams();
  const q = useNegotiation(tenderId, Number(lotParam));
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to={`/workbench/bids/${tenderId}`}>{t('common.back')}</Link>
      <QueryView query={q}>{(n) => <Mine n={n} />}</QueryView>
    </Space>
  );
}

function Mine({ n }: { n: Negotiation }) {
  const { t, lang } = useI18n();
  const tx = useNgText();
  const desc = useDescLayout();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [key, setKey] = useState<BidKeyPair | null>(null);
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<FinalOfferReceipt | null>(null);
  const [declineReason, setDeclineReason] = useState('');
  const me = n.me!;
  const active = me.status === 'active';
  const refresh = () => qc.invalidateQueries({ queryKey: negKey(n.tenderId, n.lotNo) });
  const act = async (step: string, fn: () => Promise<unknown>) => {
    setBusy(step);
    setError(null);
    try {
      await fn();
      await refresh();
      message.success(t('common.saved'));
    } catch (e) {
      setError(anyErrorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  const sealAndSubmit = () =>
    act('seal', async () => {
      const s = n.sealing!;
      const priceYuan = normaliseYuan(price);
      if (!priceYuan) throw new Error(t('bid.priceInvalid'));
      const missing = s.custodians.filter((c) => !c.publicKey || !c.algorithm);
      if (missing.length) throw new Error(t('bid.custodianMissing', { names: missing.map((c) => c.label).join('、') }));
      const parts: Uint8Array<ArrayBuffer>[] = [];
      const summary = await sealBid(
        {
          tenderId: n.tenderId,
          lotIds: [s.lotId],
          priceSheet: { currency: 'CNY', lots: [{ lotId: s.lotId, priceYuan }], fields: { 报价类型: '最后报价' } },
          bidderKey: key!,
          custodians: s.custodians.map((c) => ({ kind: c.kind as Custodian['kind'], accountId: c.accountId, label: c.label, algorithm: c.algorithm as Custodian['algorithm'], publicKey: c.publicKey! })),
          threshold: s.k,
        },
        (b) => {
          parts.push(new Uint8Array(b));
        },
      );
      setReceipt(await uploadFinalOffer(n.tenderId, n.lotNo, new Blob(parts, { type: 'application/vnd.yiwang.sealed-bid' }), summary.digest));
      setPrice('');
    });

  const decrypt = () =>
    act('decrypt', async () => {
      const header = me.finalOffer!.header as SealedBidHeader;
      const contentKey = encodeContentKey(await unwrapContentKey(header, key!));
      await negApi.post(n.tenderId, n.lotNo, 'final-offer/decrypt', { contentKey });
    });

  const deadlineAhead = !!n.finalCall && new Date(n.finalCall.deadline).getTime() > serverNow();
  const offer = me.finalOffer;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="ng-supplier" data-stage={n.stage}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('ng.mine')}</Typography.Title>
        <Typography.Text type="secondary">{n.tenderTitle} · {t('bid.lotNo')} {n.lotNo} {n.lotName}</Typography.Text>
      </div>
      <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('ng.stage')}><Space size={4} wrap><Tag>{tx(`ng.kind.${n.kind}`)}</Tag><StageTag stage={n.stage} /></Space></Descriptions.Item>
        <Descriptions.Item label={t('ng.myStatus')}><ParticipantTag status={me.status} />{me.statusReason && <div data-testid="ng-my-reason"><Typography.Text type="secondary">{me.statusReason}</Typography.Text></div>}</Descriptions.Item>
        {n.finalCall && <Descriptions.Item label={t('ng.deadline')}><Countdown until={n.finalCall.deadline} testId="ng-final-deadline" /></Descriptions.Item>}
        {n.finalCall?.decryptionEndsAt && (
          <Descriptions.Item label={t('ng.decryptionEnds')}>
            {/* A countdown only while decryption runs: once the stage is over it would tick on for nothing. */}
            {n.stage === 'decrypting' ? <Countdown until={n.finalCall.decryptionEndsAt} /> : formatDateTime(n.finalCall.decryptionEndsAt)}
          </Descriptions.Item>
        )}
        {me.finalPriceFen !== null && <Descriptions.Item label={t('ng.finalPrice')}><Typography.Text strong data-testid="ng-my-final-price">{formatFen(me.finalPriceFen)}</Typography.Text></Descriptions.Item>}
      </Descriptions>
      {n.failedReason && <Alert type="error" showIcon title={n.failedReason} />}
      {error && <Alert type="error" showIcon title={error} data-testid="ng-error" />}

      {n.stage === 'agreement' && n.agreement && active && (
        <Card size="small" title={t('ng.agreement')} data-testid="ng-agreement-confirm">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('ng.priceYuan')}><Typography.Text strong>{formatFen(n.agreement.priceFen)}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label={t('ng.terms')}><span style={{ whiteSpace: 'pre-wrap' }}>{n.agreement.terms}</span></Descriptions.Item>
            {n.agreement.recordFileId && <Descriptions.Item label={t('ng.recordFile')}><a href={`/api/files/${n.agreement.recordFileId}`} target="_blank" rel="noreferrer">{t('ng.recordFile')}</a></Descriptions.Item>}
          </Descriptions>
          <Space wrap style={{ marginTop: 8 }}>
            <Button type="primary" loading={busy === 'confirm'} onClick={() => act('confirm', () => negApi.post(n.tenderId, n.lotNo, 'agreement/confirm'))} data-testid="ng-confirm">{t('ng.confirm')}</Button>
            <Input placeholder={t('ng.declineReason')} value={declineReason} onChange={(e) => setDeclineReason(e.target.value)} style={{ width: 260 }} />
            <Button danger disabled={declineReason.trim().length < 2} loading={busy === 'decline'} onClick={() => act('decline', () => negApi.post(n.tenderId, n.lotNo, 'agreement/decline', { reason: declineReason.trim() }))}>{t('ng.decline')}</Button>
          </Space>
        </Card>
      )}

      {n.kind !== 'single_source' && (n.stage === 'final_offers' || offer) && (
        <Card size="small" title={t('ng.myFinal')} data-testid="ng-final">
          {offer ? (
            <Space wrap data-testid="ng-final-current" data-decryption={offer.decryption}>
              <Tag color="green">{t('ng.submitted')}</Tag>
              {formatDateTime(offer.receivedAt, true)}
              <Typography.Text code>{offer.sha256.slice(0, 16)}…</Typography.Text>
              <Typography.Text type="secondary">{formatBytes(offer.size)} · #{offer.ledger.seq}</Typography.Text>
              {offer.priceFen !== null && <Tag color="blue">{t('ng.decrypted', { price: formatFen(offer.priceFen) })}</Tag>}
            </Space>
          ) : <Typography.Text data-testid="ng-final-none">{t('ng.notSubmitted')}</Typography.Text>}
          {receipt && (
            <Alert style={{ marginTop: 8 }} type="success" showIcon data-testid="ng-receipt" title={t('ng.receipt')}
              description={<span>{formatDateTime(receipt.receivedAt, true)} · SHA-256 {receipt.envelopeSha256.slice(0, 16)}… · #{receipt.ledger.seq}</span>} />
          )}
          {n.stage === 'final_offers' && active && deadlineAhead && n.sealing && (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ng.finalHint')}</Typography.Paragraph>
              <Input addonBefore={t('ng.finalPriceInput')} addonAfter="元" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} style={{ maxWidth: 420 }} data-testid="ng-final-price" />
              <KeyFileLoader prefix="ng" onKey={setKey} current={key} />
              <Button type="primary" disabled={!key || !normaliseYuan(price)} loading={busy === 'seal'} onClick={sealAndSubmit} data-testid="ng-final-submit">
                {offer ? t('ng.replaceFinal') : t('ng.sealFinal')}
              </Button>
            </Space>
          )}
          {n.stage === 'decrypting' && offer?.decryption === 'pending' && (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
              <KeyFileLoader prefix="ng-dec" onKey={setKey} current={key} />
              <Button type="primary" disabled={!key} loading={busy === 'decrypt'} onClick={decrypt} data-testid="ng-decrypt">{t('ng.decrypt')}</Button>
            </Space>
          )}
        </Card>
      )}

      <Card size="small" title={t('ng.myChanges')}>
        {n.changes.length === 0 ? <Empty description={t('ng.noChanges')} /> : n.changes.map((c) => (
          <Card key={c.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="ng-my-change" title={t('ng.changeN', { n: c.seq })} extra={formatDateTime(c.issuedAt)}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Paragraph>
            {c.fileId && <a href={`/api/files/${c.fileId}`} target="_blank" rel="noreferrer">{t('ng.changeFile')}</a>}
            <div>
              {c.acknowledgedAt ? <Tag color="green">{t('ng.acknowledged')} {formatDateTime(c.acknowledgedAt)}</Tag> : (
                <Button size="small" loading={busy === c.id} onClick={() => act(c.id, () => negApi.post(n.tenderId, n.lotNo, `changes/${c.id}/acknowledge`))} data-testid="ng-acknowledge">{t('ng.acknowledge')}</Button>
              )}
            </div>
          </Card>
        ))}
      </Card>

      <Card size="small" title={t('ng.myRounds')}>
        {n.rounds.length === 0 ? <Empty description={t('ng.noRounds')} /> : n.rounds.map((r) => (
          <Card key={r.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="ng-my-round" title={t('ng.roundN', { n: r.roundNo })} extra={formatDateTime(r.heldAt)}>
            {r.minutesText && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{r.minutesText}</Typography.Paragraph>}
            {r.minutesFileId && <a href={`/api/files/${r.minutesFileId}`} target="_blank" rel="noreferrer">{t('ng.minutesFile')}</a>}
          </Card>
        ))}
      </Card>

      {active && (n.stage === 'rounds' || n.stage === 'agreement') && (
        <Popconfirm title={t('ng.withdrawConfirm')} onConfirm={() => act('withdraw', () => negApi.post(n.tenderId, n.lotNo, 'withdraw', {}))}>
          <Button danger data-testid="ng-withdraw">{t('ng.withdraw')}</Button>
        </Popconfirm>
      )}
    </Space>
  );
}
