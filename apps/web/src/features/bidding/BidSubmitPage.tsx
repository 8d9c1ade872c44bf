// 递交投标文件: the price sheet (开标一览表), attachments, deposit reference, the key file; sealed in this browser
// (@yiwang/sdk/sealing, ADR 0008), uploaded as one streamed body (ADR 0010), the platform-signed receipt shown and
// checked here against the ledger's public key. Change = seal and upload again; withdraw before the deadline.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Popconfirm, Progress, Radio, Space, Steps, Tag, Typography, Upload, type UploadFile } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { sealBid, type BidKeyPair, type Custodian } from '@yiwang/sdk/sealing';
import { verifyBidReceipt } from '@yiwang/sdk/bid-receipt';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatBytes, formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { Countdown, KeyFileLoader, anyErrorText, serverNow, useDescLayout } from './parts';
import { normaliseYuan } from './price';
import { rememberHeader, saveBlob, uploadSealedBid, useMyBid, useSealing, useTender, withdraw, type Receipt } from './api';

interface SheetForm {
  price: string;
  durationDays?: number;
  quality?: string;
  depositKind?: 'guarantee' | 'cash' | 'none';
  depositRef?: string;
}

export function ReceiptCard({ receipt }: { receipt: Receipt }) {
  const { t } = useI18n();
  const [check, setCheck] = useState<{ local: boolean; server?: { valid: boolean } } | null>(null);
  const pub = useQuery({ queryKey: ['ledger-public-key'], queryFn: () => api.get<{ publicKeyHex: string }>('/api/ledger/public-key'), staleTime: Infinity });
  const verify = async () => {
    const local = !!pub.data && verifyBidReceipt(receipt, pub.data.publicKeyHex);
    setCheck({ local });
    const server = await api.post<{ valid: boolean }>('/api/bidding/receipts/verify', { receipt });
    setCheck({ local, server });
  };
  return (
    <Card size="small" title={t('bid.receipt')} data-testid="bid-receipt"
      extra={<Space><Button size="small" onClick={() => saveBlob(new Blob([JSON.stringify(receipt, null, 2)], { type: 'application/json' }), `receipt-${receipt.bidId}.json`)}>{t('bid.download')}</Button>
        <Button size="small" type="primary" onClick={verify} disabled={!pub.data} data-testid="bid-receipt-verify">{t('bid.verifyReceipt')}</Button></Space>}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('bid.receivedAt')}><span data-testid="bid-receipt-time">{formatDateTime(receipt.receivedAt, true)}</span></Descriptions.Item>
        <Descriptions.Item label="SHA-256"><Typography.Text code style={{ wordBreak: 'break-all' }}>{receipt.envelopeSha256}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('bid.size')}>{formatBytes(receipt.envelopeSize)}</Descriptions.Item>
        <Descriptions.Item label={t('bid.ledgerSeq')}>#{receipt.ledger.seq}</Descriptions.Item>
        {receipt.supersedes && <Descriptions.Item label={t('bid.supersedes')}>{receipt.supersedes}</Descriptions.Item>}
      </Descriptions>
      {check && (
        <Space wrap data-testid="bid-receipt-check" data-valid={String(check.local && check.server?.valid !== false)}>
          <Tag color={check.local ? 'green' : 'red'}>{t(check.local ? 'bid.sigOk' : 'bid.sigBad')}</Tag>
          {check.server && <Tag color={check.server.valid ? 'green' : 'red'}>{t(check.server.valid ? 'bid.recordOk' : 'bid.recordBad')}</Tag>}
        </Space>
      )}
    </Card>
  );
}

export default function BidSubmitPage() {
  const { tenderId = '', lotNo: lotParam = '1' } = useParams();
  const desc = useDescLayout();
  const lotNo = Number(lotParam);
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const tender = useTender(tenderId);
  const sealing = useSealing(tenderId);
  const mine = useMyBid(tenderId, lotNo);
  const [form] = Form.useForm<SheetForm>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [key, setKey] = useState<BidKeyPair | null>(null);
  const [phase, setPhase] = useState<'idle' | 'sealing' | 'uploading' | 'done'>('idle');
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [sealed, setSealed] = useState<Blob | null>(null);

  const submit = async (v: SheetForm) => {
    const s = sealing.data;
    const lot = s?.lots.find((l) => l.lotNo === lotNo);
    if (!s || !lot || !key) return;
    const priceYuan = normaliseYuan(v.price);
    if (!priceYuan) return setError(t('bid.priceInvalid'));
    const missing = s.escrow.custodians.filter((c) => !c.publicKey || !c.algorithm);
    if (missing.length) return setError(t('bid.custodianMissing', { names: missing.map((c) => c.label).join('、') }));
    setError(null);
    setReceipt(null);
    setPhase('sealing');
    setProgress(0);
    try {
      const raw = files.map((f) => f.originFileObj!).filter(Boolean);
      const total = raw.reduce((n, f) => n + f.size, 0) + 4096;
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let written = 0;
      const summary = await sealBid(
        {
          tenderId,
          lotIds: [lot.lotId],
          priceSheet: { currency: 'CNY', lots: [{ lotId: lot.lotId, priceYuan, ...(v.durationDays ? { durationDays: v.durationDays } : {}), ...(v.quality ? { quality: v.quality } : {}) }] },
          files: raw.map((f) => ({ name: f.name, mediaType: f.type || 'application/octet-stream', size: f.size, content: f })),
          bidderKey: key,
          custodians: s.escrow.custodians.map((c) => ({ kind: c.kind as Custodian['kind'], accountId: c.accountId, label: c.label, algorithm: c.algorithm as Custodian['algorithm'], publicKey: c.publicKey! })),
          threshold: s.escrow.k,
        },
        (b) => {
          parts.push(new Uint8Array(b));
          written += b.length;
          setProgress(Math.min(99, Math.round((written / total) * 100)));
        },
      );
      const blob = new Blob(parts, { type: 'application/vnd.yiwang.sealed-bid' });
      setSealed(blob);
      rememberHeader(tenderId, lotNo, summary.digest, summary.header);
      setPhase('uploading');
      setProgress(0);
      const deposit = v.depositKind && v.depositKind !== 'none' && v.depositRef ? { depositKind: v.depositKind, depositRef: v.depositRef.trim() } : {};
      const r = await uploadSealedBid(tenderId, lotNo, blob, { digest: summary.digest, ...deposit }, (f) => setProgress(Math.round(f * 100)));
      setReceipt(r);
      setPhase('done');
      await qc.invalidateQueries({ queryKey: ['my-bid', tenderId, lotNo] });
      message.success(t('bid.submitDone'));
    } catch (e) {
      setPhase('idle');
      setError(anyErrorText(e, lang));
    }
  };

  const lot = tender.data?.lots.find((l) => l.lotNo === lotNo);
  const current = mine.data?.current;
  const open = lot ? new Date(lot.bidDeadline).getTime() > serverNow() : false;
  const busy = phase === 'sealing' || phase === 'uploading';

  return (
    <QueryView query={tender}>
      {(td) => (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div>
            <Link to={`/workbench/bids/${tenderId}`}>{t('common.back')}</Link>
            <Typography.Title level={3} style={{ margin: '4px 0 0' }}>{t('bid.submitTitle')}</Typography.Title>
            <Typography.Text type="secondary">{td.title} · {t('bid.lotNo')} {lotNo} {lot?.name}</Typography.Text>
          </div>
          <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('bid.deadline')}><Countdown until={lot?.bidDeadline} /></Descriptions.Item>
            <Descriptions.Item label={t('bid.deposit')}>{formatFen(lot?.depositFen)}</Descriptions.Item>
            <Descriptions.Item label={t('bid.myBid')} span={2}>
              {current ? (
                <Space wrap data-testid="bid-current">
                  <Tag color="green">{t('bid.submittedTag')}</Tag>{formatDateTime(current.receivedAt, true)}
                  <Typography.Text code>{current.sha256.slice(0, 16)}…</Typography.Text>
                  {current.deposit.ref && <Tag>{t(current.deposit.kind === 'cash' ? 'bid.depositCash' : 'bid.depositGuarantee')} {current.deposit.ref}</Tag>}
                  {open && (
                    <Popconfirm title={t('bid.withdrawConfirm')} onConfirm={async () => {
                      try { await withdraw(tenderId, lotNo); message.success(t('bid.withdrawn')); await mine.refetch(); } catch (e) { message.error(anyErrorText(e, lang)); }
                    }}>
                      <Button danger size="small" data-testid="bid-withdraw">{t('bid.withdraw')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ) : <span data-testid="bid-current-none">{t('bid.notSubmitted')}</span>}
            </Descriptions.Item>
          </Descriptions>
          {!open && <Alert type="warning" showIcon title={t('bid.deadlinePassed')} />}
          {phase !== 'idle' && (
            <Card size="small" data-testid="bid-progress">
              <Steps size="small" current={phase === 'sealing' ? 0 : phase === 'uploading' ? 1 : 3} items={[{ title: t('bid.stepSeal') }, { title: t('bid.stepUpload') }, { title: t('bid.stepReceipt') }]} />
              {busy && <Progress percent={progress} status="active" style={{ marginTop: 12 }} />}
            </Card>
          )}
          {error && <Alert type="error" showIcon title={error} data-testid="bid-error" />}
          {receipt && (
            <>
              <ReceiptCard receipt={receipt} />
              {sealed && <Alert type="info" showIcon title={t('bid.backupHint')} action={<Button size="small" onClick={() => saveBlob(sealed, `bid-${tenderId.slice(0, 8)}-lot${lotNo}.sealed`)} data-testid="bid-backup">{t('bid.backup')}</Button>} />}
            </>
          )}
          <QueryView query={sealing}>
            {() => (
              <Form form={form} layout="vertical" onFinish={submit} disabled={!open || busy} data-testid="bid-form" initialValues={{ depositKind: 'guarantee' }}>
                <Card size="small" title={t('bid.priceSheet')} style={{ marginBottom: 16 }}>
                  <Form.Item name="price" label={t('bid.price')} rules={[{ required: true, validator: (_, v?: string) => (v && normaliseYuan(v) ? Promise.resolve() : Promise.reject(new Error(t('bid.priceInvalid')))) }]}>
                    <Input addonAfter="元" inputMode="decimal" data-testid="bid-price" style={{ maxWidth: 320 }} />
                  </Form.Item>
                  <Space wrap size={16}>
                    <Form.Item name="durationDays" label={t('bid.duration')}><InputNumber min={1} max={3650} precision={0} addonAfter={t('bid.days')} data-testid="bid-duration" /></Form.Item>
                    <Form.Item name="quality" label={t('bid.quality')}><Input maxLength={100} data-testid="bid-quality" /></Form.Item>
                  </Space>
                </Card>
                <Card size="small" title={t('bid.files')} style={{ marginBottom: 16 }}>
                  <div data-testid="bid-files">
                    <Upload.Dragger multiple fileList={files} beforeUpload={() => false} onChange={(i) => setFiles(i.fileList)}>
                      <p className="ant-upload-drag-icon"><InboxOutlined /></p>
                      <p>{t('bid.filesHint')}</p>
                    </Upload.Dragger>
                  </div>
                </Card>
                <Card size="small" title={t('bid.depositRef')} style={{ marginBottom: 16 }}>
                  <Form.Item name="depositKind">
                    <Radio.Group data-testid="bid-deposit-kind">
                      <Radio value="guarantee">{t('bid.depositGuarantee')}</Radio>
                      <Radio value="cash">{t('bid.depositCash')}</Radio>
                      <Radio value="none">{t('bid.depositNone')}</Radio>
                    </Radio.Group>
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {({ getFieldValue }) => getFieldValue('depositKind') !== 'none' && (
                      <Form.Item name="depositRef" label={t('bid.depositRefNo')} rules={[{ required: true }]}><Input maxLength={100} data-testid="bid-deposit-ref" style={{ maxWidth: 320 }} /></Form.Item>
                    )}
                  </Form.Item>
                </Card>
                <Card size="small" title={t('bid.keyCard')} style={{ marginBottom: 16 }}>
                  <KeyFileLoader prefix="bid" onKey={setKey} current={key} />
                </Card>
                <Button type="primary" size="large" htmlType="submit" disabled={!key || !open} loading={busy} data-testid="bid-seal-submit">
                  {current ? t('bid.sealReplace') : t('bid.sealSubmit')}
                </Button>
              </Form>
            )}
          </QueryView>
        </Space>
      )}
    </QueryView>
  );
}
