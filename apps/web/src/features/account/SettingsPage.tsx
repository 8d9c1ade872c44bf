import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLE_LABELS } from '@yiwang/contracts';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { ME_KEY, useAuth, type Session } from '../../lib/auth/AuthProvider';
import { api } from '../../lib/api';
import { ApiError, errorText } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { formatDateTime } from '../../lib/format';

interface SigningKey {
  id: string;
  algorithm: string;
  publicKey: string;
  fingerprint: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

function Totp() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const session = qc.getQueryData<Session | null>(ME_KEY);
  const [enrolment, setEnrolment] = useState<{ uri: string; secret: string } | null>(null);
  const [enabled, setEnabled] = useState(session?.secondFactor === 'ok');
  const start = async () => {
    try {
      setEnrolment(await api.post('/api/auth/totp/enrol'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_ALREADY_ENABLED') setEnabled(true);
      else message.error(errorText(e, lang));
    }
  };
  return (
    <Card title={t('settings.totp')} size="small">
      <Typography.Paragraph type="secondary">{t('settings.totpDesc')}</Typography.Paragraph>
      {enabled ? (
        <Alert type="success" showIcon title={t('settings.totpDone')} data-testid="settings-totp-on" />
      ) : enrolment ? (
        <Form layout="inline" onFinish={async (v: { code: string }) => {
          try {
            await api.post('/api/auth/totp/confirm', { code: v.code });
            setEnabled(true);
            setEnrolment(null);
            message.success(t('settings.totpDone'));
          } catch (e) {
            message.error(errorText(e, lang));
          }
        }}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div>{t('settings.totpSecret')}: <Typography.Text code copyable data-testid="settings-totp-secret">{enrolment.secret}</Typography.Text> <a href={enrolment.uri}>otpauth://</a></div>
            <Space wrap>
              <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpRequired') }]} style={{ marginInlineEnd: 0 }}>
                <Input maxLength={6} inputMode="numeric" placeholder="123456" data-testid="settings-totp-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" data-testid="settings-totp-confirm">{t('settings.totpConfirm')}</Button>
            </Space>
          </Space>
        </Form>
      ) : (
        <Button onClick={start} data-testid="settings-totp-enrol">{t('settings.totpEnroll')}</Button>
      )}
    </Card>
  );
}

function Keys() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['identity-keys'], queryFn: () => api.get<{ items: SigningKey[] }>('/api/identity/keys') });
  const [challenge, setChallenge] = useState<string | null>(null);
  const [form] = Form.useForm();
  return (
    <Card title={t('settings.keys')} size="small">
      <Typography.Paragraph type="secondary">{t('settings.keysDesc')}</Typography.Paragraph>
      <QueryView query={q}>
        {(d) => (
          <List
            size="small"
            dataSource={d.items}
            data-testid="settings-keys"
            renderItem={(k) => (
              <List.Item
                actions={k.revokedAt ? [<Tag key="r">{lang === 'en' ? 'Revoked' : '已吊销'}</Tag>] : [
                  <Popconfirm key="x" title={lang === 'en' ? 'Revoke this key?' : '确认吊销该公钥？'} onConfirm={async () => { await api.del(`/api/identity/keys/${k.id}`); await qc.invalidateQueries({ queryKey: ['identity-keys'] }); }}>
                    <a>{lang === 'en' ? 'Revoke' : '吊销'}</a>
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta title={<Space><Tag>{k.algorithm}</Tag>{k.label}</Space>} description={<><Typography.Text code style={{ fontSize: 11 }}>{k.fingerprint}</Typography.Text> · {formatDateTime(k.createdAt)}</>} />
              </List.Item>
            )}
          />
        )}
      </QueryView>
      {challenge ? (
        <Form form={form} layout="vertical" style={{ marginTop: 12 }} initialValues={{ algorithm: 'sm2' }}
          onFinish={async (v: { algorithm: string; publicKey: string; proof: string; label?: string }) => {
            try {
              await api.post('/api/identity/keys', { ...v, challenge, ...(v.label ? {} : { label: undefined }) });
              setChallenge(null);
              form.resetFields();
              await qc.invalidateQueries({ queryKey: ['identity-keys'] });
            } catch (e) {
              message.error(errorText(e, lang));
            }
          }}
        >
          <Alert type="info" style={{ marginBottom: 12 }} title={lang === 'en' ? 'Sign this challenge with the private key (bidder toolkit), then paste the public key and the signature.' : '请用投标工具以私钥对下列挑战值签名，再粘贴公钥与签名。'} description={<Typography.Text code copyable>{challenge}</Typography.Text>} />
          <Form.Item name="algorithm" label={t('settings.keyAlgorithm')}><Select options={['sm2', 'ed25519', 'p256'].map((a) => ({ value: a, label: a.toUpperCase() }))} /></Form.Item>
          <Form.Item name="publicKey" label={t('settings.keyPublic')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="proof" label={lang === 'en' ? 'Signature of the challenge' : '挑战值签名'} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="label" label={lang === 'en' ? 'Label' : '备注'}><Input /></Form.Item>
          <Button type="primary" htmlType="submit">{t('settings.keyAdd')}</Button>
        </Form>
      ) : (
        <Button style={{ marginTop: 12 }} onClick={async () => setChallenge((await api.get<{ challenge: string }>('/api/identity/keys/challenge')).challenge)} data-testid="settings-key-add">{t('settings.keyAdd')}</Button>
      )}
    </Card>
  );
}

export default function SettingsPage() {
  const { t, lang } = useI18n();
  const { actor } = useAuth();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('settings.profile')} size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
          { key: 'u', label: t('acct.username'), children: actor?.username },
          { key: 'n', label: t('acct.displayName'), children: actor?.displayName },
          { key: 'o', label: t('acct.org'), children: actor?.orgName ?? '—' },
          { key: 'r', label: t('acct.roles'), children: actor?.roles.map((r) => <Tag key={r.role}>{lang === 'en' ? ROLE_LABELS[r.role].en : ROLE_LABELS[r.role].zh}</Tag>) },
        ]} />
      </Card>
      <Totp />
      <Keys />
    </Space>
  );
}
