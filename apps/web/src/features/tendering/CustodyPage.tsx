import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, List, Progress, Select, Space, Tag, Typography, Upload } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { encodeShare, importKeyFile, unwrapEscrowShare, type BidKeyPair } from '@yiwang/sdk/sealing';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useAuth } from '../../lib/auth/AuthProvider';
import { ApiError, errorText } from '../../lib/problem';
import { ROLE_FAMILY, type Role } from '@yiwang/contracts';
import { tenderApi, useTender, useTenders } from './api';
import type { DictKey } from '../../lib/i18n/dict';
import { BjTime, LotStatusTag } from './parts';

/**
 * Key custodians (开标密钥托管): after the center declares a platform incident for an opening (电子招标投标办法 31),
 * each custodian loads its key file in the browser — the password and the key never leave it —, unwraps its share of
 * every bid with `unwrapEscrowShare` and hands the share in. Center staff also declare the incident here.
 */
export default function CustodyPage() {
  const { t, lang } = useI18n();
  const { roles } = useAuth();
  const { message } = App.useApp();
  const center = roles.some((r) => ROLE_FAMILY[r as Role] === 'center');
  const tenders = useTenders();
  const [tenderId, setTenderId] = useState<string>();
  const [lotNo, setLotNo] = useState<number>();
  const tender = useTender(tenderId);
  const recovery = useQuery({
    queryKey: ['tender-sub', tenderId, 'recovery', lotNo],
    enabled: !!tenderId && !!lotNo,
    retry: false,
    queryFn: () => tenderApi.recovery(tenderId!, lotNo!),
    refetchInterval: 10_000,
  });
  const [keyText, setKeyText] = useState<string | null>(null);
  const [keyName, setKeyName] = useState<string>('');
  const [password, setPassword] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');

  const submitAll = async () => {
    if (!keyText || !recovery.data) return;
    setBusy(true);
    let key: BidKeyPair;
    try {
      key = await importKeyFile(keyText, password);
    } catch (e) {
      setBusy(false);
      message.error(`${t('tn.keyFileBad')} ${(e as { zh?: string }).zh ?? errorText(e, lang)}`);
      return;
    }
    const todo = recovery.data.bids.filter((b) => !b.shareSubmitted);
    setProgress({ done: 0, total: todo.length });
    let ok = 0;
    for (const b of todo) {
      try {
        const share = await unwrapEscrowShare(b.header as never, key);
        await tenderApi.submitShare(b.bidId, encodeShare(share.share));
        ok++;
      } catch (e) {
        message.error(`${b.bidder}: ${(e as { zh?: string }).zh ?? errorText(e, lang)}`);
      }
      setProgress({ done: ok, total: todo.length });
    }
    setBusy(false);
    await recovery.refetch();
    if (ok) message.success(t('tn.sharesSubmitted', { n: ok }));
  };

  return (
    <Card title={t('menu.custody')}>
      <Typography.Paragraph type="secondary">{t('tn.custodyIntro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select style={{ minWidth: 280 }} placeholder={t('tn.pickTender')} data-testid="custody-tender" value={tenderId} loading={tenders.isPending}
          showSearch={{ optionFilterProp: 'label' }} onChange={(v: string) => { setTenderId(v); setLotNo(undefined); }}
          options={(tenders.data ?? []).map((x) => ({ value: x.id, label: x.title }))} />
        <Select style={{ minWidth: 200 }} placeholder={t('tn.lot')} data-testid="custody-lot" value={lotNo} disabled={!tender.data}
          onChange={(v: number) => setLotNo(v)}
          options={(tender.data?.lots ?? []).map((l) => ({ value: l.lotNo, label: `${t('tn.lotNo', { n: l.lotNo })} ${l.name}` }))} />
        {lotNo && tender.data && <LotStatusTag status={tender.data.lots.find((l) => l.lotNo === lotNo)?.status ?? ''} />}
      </Space>
      {!tenderId || !lotNo ? <Empty description={t('tn.pickTender')} /> : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {center && (
            <Card size="small" title={t('tn.declareIncident')}>
              <Typography.Paragraph type="secondary">{t('tn.incidentHint')}</Typography.Paragraph>
              <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="incident-reason" maxLength={2000} />
              <Button danger style={{ marginTop: 8 }} disabled={!reason.trim()} data-testid="incident-submit" onClick={async () => {
                try {
                  await tenderApi.incident(tenderId, lotNo, reason.trim());
                  setReason('');
                  message.success(t('tn.incidentDeclared'));
                  await recovery.refetch();
                } catch (e) {
                  message.error(errorText(e, lang));
                }
              }}>{t('tn.declareIncident')}</Button>
            </Card>
          )}
          <Card size="small" title={t('tn.recovery')}>
            {recovery.isPending ? null : recovery.isError ? (
              <Alert type={recovery.error instanceof ApiError && recovery.error.status === 403 ? 'info' : 'error'} showIcon title={errorText(recovery.error, lang)} data-testid="custody-refused" />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color="blue" data-testid="recovery-status" data-status={recovery.data.status ?? ''}>{recovery.data.status ? t(`tn.room.${recovery.data.status}` as DictKey) : t('tn.room.waiting')}</Tag>
                  {recovery.data.recoveryEndsAt && <span>{t('tn.recoveryEndsAt')}：<BjTime at={recovery.data.recoveryEndsAt} /></span>}
                </Space>
                {recovery.data.bids.length === 0 ? <Empty description={t('tn.noRecovery')} /> : (
                  <List size="small" dataSource={recovery.data.bids} data-testid="recovery-bids"
                    renderItem={(b) => <List.Item>{b.bidder} {b.shareSubmitted ? <Tag color="success">{t('tn.shareIn')}</Tag> : <Tag>{t('tn.shareOwed')}</Tag>}</List.Item>} />
                )}
                {recovery.data.bids.length > 0 && <Form layout="vertical">
                  <Form.Item label={t('tn.keyFile')} extra={t('tn.keyFileHint')}>
                    <Upload accept=".json,application/json" showUploadList={false} beforeUpload={async (f) => { setKeyText(await f.text()); setKeyName(f.name); return false; }}>
                      <Button icon={<KeyOutlined />} data-testid="custody-keyfile">{keyName || t('tn.chooseKeyFile')}</Button>
                    </Upload>
                  </Form.Item>
                  <Form.Item label={t('tn.keyPassword')}>
                    <Input.Password value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" data-testid="custody-password" />
                  </Form.Item>
                  <Button type="primary" loading={busy} disabled={!keyText || !password || !recovery.data.bids.some((b) => !b.shareSubmitted)} onClick={submitAll} data-testid="custody-submit">
                    {t('tn.unwrapAndSubmit')}
                  </Button>
                </Form>}
                {progress && <Progress percent={progress.total ? Math.round((progress.done / progress.total) * 100) : 100} format={() => `${progress.done}/${progress.total}`} data-testid="custody-progress" />}
              </Space>
            )}
          </Card>
        </Space>
      )}
    </Card>
  );
}
