// 投标密钥: generate a key pair in the browser, register its public key with a signed challenge, and download the
// private key only inside a password-protected key file (scrypt + AES-GCM, ADR 0008). Nothing secret is sent.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Progress, Radio, Space, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { exportKeyFile, generateKeyPair, signKeyProof, type BidKeyPair } from '@yiwang/sdk/sealing';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime } from '../../lib/format';
import { anyErrorText } from './parts';
import { saveBlob } from './api';

interface SigningKey {
  id: string;
  algorithm: string;
  fingerprint: string;
  label?: string | null;
  createdAt?: string;
  revokedAt?: string | null;
}

export default function BidKeysPage() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['identity-keys'], queryFn: () => api.get<{ items: SigningKey[] }>('/api/identity/keys') });
  const [alg, setAlg] = useState<'sm2' | 'ed25519' | 'p256'>('sm2');
  const [key, setKey] = useState<BidKeyPair | null>(null);
  const [step, setStep] = useState<'idle' | 'registering' | 'encrypting' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string; confirm: string; label?: string }>();

  const run = async (v: { password: string; label?: string }) => {
    setError(null);
    try {
      const pair = key ?? generateKeyPair(alg);
      setKey(pair);
      setStep('registering');
      const { challenge } = await api.get<{ challenge: string }>('/api/identity/keys/challenge');
      await api.post('/api/identity/keys', { algorithm: pair.algorithm, publicKey: pair.publicKey, challenge, proof: signKeyProof(pair, challenge), ...(v.label ? { label: v.label } : {}) });
      await qc.invalidateQueries({ queryKey: ['identity-keys'] });
      setStep('encrypting');
      const file = await exportKeyFile(pair, v.password, { label: v.label || undefined });
      saveBlob(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }), `yiwang-bid-key-${pair.fingerprint.slice(0, 8)}.json`);
      setStep('done');
    } catch (e) {
      setStep('idle');
      setError(anyErrorText(e, lang));
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('bid.keysTitle')}</Typography.Title>
      <Alert type="info" showIcon title={t('bid.keysIntro')} />
      <Card size="small" title={t('bid.keyNew')}>
        <Form form={form} layout="vertical" onFinish={run} style={{ maxWidth: 560 }} data-testid="bidkey-form" disabled={step === 'registering' || step === 'encrypting'}>
          <Form.Item label={t('bid.keyAlg')}>
            <Radio.Group value={alg} onChange={(e) => { setAlg(e.target.value); setKey(null); }} data-testid="bidkey-alg">
              <Radio.Button value="sm2">SM2</Radio.Button>
              <Radio.Button value="ed25519">Ed25519</Radio.Button>
              <Radio.Button value="p256">P-256</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="label" label={t('bid.keyLabel')}><Input maxLength={60} data-testid="bidkey-label" /></Form.Item>
          <Form.Item name="password" label={t('bid.keyPassword')} rules={[{ required: true, min: 8, message: t('bid.keyPasswordRule') }]}>
            <Input.Password data-testid="bidkey-password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('bid.keyPasswordConfirm')}
            dependencies={['password']}
            rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('bid.keyPasswordMismatch')))) })]}
          >
            <Input.Password data-testid="bidkey-confirm" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={step === 'registering' || step === 'encrypting'} data-testid="bidkey-generate">{t('bid.keyGenerate')}</Button>
        </Form>
        {step !== 'idle' && (
          <div style={{ marginTop: 16 }}>
            <Progress percent={step === 'registering' ? 40 : step === 'encrypting' ? 75 : 100} status={step === 'done' ? 'success' : 'active'} />
            <Typography.Text type="secondary">{t(step === 'registering' ? 'bid.keyStep.registering' : step === 'encrypting' ? 'bid.keyStep.encrypting' : 'bid.keyStep.done')}</Typography.Text>
          </div>
        )}
        {step === 'done' && key && (
          <Alert style={{ marginTop: 12 }} type="success" showIcon data-testid="bidkey-done" title={t('bid.keyDone')} description={<Typography.Text code copyable>{key.fingerprint}</Typography.Text>} />
        )}
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} data-testid="bidkey-error" />}
      </Card>
      <Card size="small" title={t('bid.keysRegistered')}>
        <List
          data-testid="bidkey-list"
          loading={keys.isPending}
          dataSource={keys.data?.items ?? []}
          renderItem={(k) => (
            <List.Item data-testid="bidkey-item">
              <List.Item.Meta
                title={<Space wrap><Tag>{k.algorithm.toUpperCase()}</Tag>{k.label}{k.revokedAt && <Tag color="red">{t('bid.keyRevoked')}</Tag>}</Space>}
                description={<Space orientation="vertical" size={0}><Typography.Text code style={{ wordBreak: 'break-all' }}>{k.fingerprint}</Typography.Text>{k.createdAt && <span>{formatDateTime(k.createdAt)}</span>}</Space>}
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
