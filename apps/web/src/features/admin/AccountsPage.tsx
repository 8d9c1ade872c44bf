import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Popconfirm, Row, Select, Space, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ROLE_LABELS, ROLES, type Role, type RoleGrant } from '@yiwang/contracts';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { api } from '../../lib/api';
import { errorText, fieldErrors } from '../../lib/problem';
import { formatDateTime } from '../../lib/format';
import { useQueryClient } from '@tanstack/react-query';
import { AccountList } from './AccountList';

interface Account {
  id: string;
  username: string;
  displayName: string;
  orgId: string | null;
  isOrgAdmin: boolean;
  totpEnabled: boolean;
  status: string;
  roles: RoleGrant[];
  createdAt: string;
  orgName?: string | null;
}

interface GrantForm {
  role: Role;
  industries?: string;
  regions?: string;
}

const split = (s?: string) => (s ?? '').split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);
const toGrants = (gs: GrantForm[] = []): RoleGrant[] => gs.map((g) => ({ role: g.role, industries: split(g.industries), regions: split(g.regions) }));

function GrantsField({ name }: { name: string }) {
  const { t, lang } = useI18n();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Row gutter={8} key={f.key}>
              <Col xs={24} md={8}>
                <Form.Item name={[f.name, 'role']} rules={[{ required: true }]}>
                  <Select options={ROLES.map((r) => ({ value: r, label: lang === 'en' ? ROLE_LABELS[r].en : ROLE_LABELS[r].zh }))} data-testid="acct-role" />
                </Form.Item>
              </Col>
              <Col xs={11} md={7}>
                <Form.Item name={[f.name, 'industries']}><Input placeholder={lang === 'en' ? 'industries, comma-separated (* = all)' : '行业（逗号分隔，* 表示全部）'} /></Form.Item>
              </Col>
              <Col xs={11} md={7}>
                <Form.Item name={[f.name, 'regions']}><Input placeholder={lang === 'en' ? 'region codes' : '区划代码'} /></Form.Item>
              </Col>
              <Col span={2}><MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 8 }} /></Col>
            </Row>
          ))}
          <Button size="small" icon={<PlusOutlined />} onClick={() => add({ role: undefined })} style={{ marginBottom: 16 }}>{t('acct.roles')}</Button>
        </>
      )}
    </Form.List>
  );
}

function AccountView({ account, onChange }: { account: Account; onChange: (a: Account) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ roles: GrantForm[] }>();
  return (
    <Card size="small" title={`${account.displayName} (${account.username})`} data-testid="acct-view">
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { key: 'id', label: 'ID', children: <Typography.Text copyable code>{account.id}</Typography.Text> },
        { key: 'st', label: t('acct.status'), children: account.status },
        { key: 'org', label: t('acct.org'), children: account.orgName ?? account.orgId ?? '—' },
        { key: 'totp', label: 'TOTP', children: account.totpEnabled ? <Tag color="green">ON</Tag> : <Tag>OFF</Tag> },
        { key: 'c', label: lang === 'en' ? 'Created' : '创建时间', children: formatDateTime(account.createdAt) },
      ]} />
      <Form form={form} layout="vertical" initialValues={{ roles: account.roles.map((g) => ({ role: g.role, industries: g.industries.join(','), regions: g.regions.join(',') })) }}
        onFinish={async (v) => {
          try {
            onChange(await api.put<Account>(`/api/admin/accounts/${account.id}/roles`, { roles: toGrants(v.roles) }));
            message.success(t('common.saved'));
          } catch (e) {
            message.error(errorText(e, lang));
          }
        }}
      >
        <Typography.Text strong>{t('acct.roles')}</Typography.Text>
        <GrantsField name="roles" />
        <Space wrap>
          <Button type="primary" htmlType="submit" data-testid="acct-save-roles">{t('common.save')}</Button>
          {account.totpEnabled && (
            <Popconfirm title={lang === 'en' ? 'Reset this account’s TOTP?' : '确认重置该账号的动态口令？'} onConfirm={async () => {
              try {
                await api.del(`/api/admin/accounts/${account.id}/totp`);
                onChange({ ...account, totpEnabled: false });
              } catch (e) {
                message.error(errorText(e, lang));
              }
            }}>
              <Button danger>{lang === 'en' ? 'Reset TOTP' : '重置动态口令'}</Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}

/**
 * Accounts: the searchable list of every account, create staff/system accounts with roles, look up by ID, change
 * roles and jurisdiction, reset TOTP.
 */
export default function AccountsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [account, setAccountState] = useState<Account | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  // Any change shown in the detail card (created, roles, TOTP) may change the list too.
  const setAccount = (a: Account | null) => {
    // The write endpoints answer without the organisation's name; keep the one the list gave.
    setAccountState((prev) => (a && prev && prev.id === a.id && a.orgName === undefined ? { ...a, orgName: prev.orgName } : a));
    void qc.invalidateQueries({ queryKey: ['admin', 'accounts'] });
  };
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <AccountList onOpen={(a) => { setLookupError(null); setAccountState(a); }} />
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('acct.new')}>
          <Form form={form} layout="vertical" data-testid="acct-create-form" initialValues={{ roles: [{ role: 'center_intake' }] }}
            onFinish={async (v: { username: string; displayName: string; password?: string; orgId?: string; roles: GrantForm[] }) => {
              try {
                const a = await api.post<Account>('/api/admin/accounts', {
                  username: v.username.trim(),
                  displayName: v.displayName.trim(),
                  ...(v.password ? { password: v.password } : {}),
                  ...(v.orgId?.trim() ? { orgId: v.orgId.trim() } : {}),
                  roles: toGrants(v.roles),
                });
                setAccount(a);
                form.resetFields();
                message.success(t('common.saved'));
              } catch (e) {
                const fe = fieldErrors(e, lang);
                if (fe) form.setFields(fe as never);
                else message.error(errorText(e, lang));
              }
            }}
          >
            <Row gutter={12}>
              <Col xs={24} md={12}><Form.Item name="username" label={t('acct.username')} rules={[{ required: true, whitespace: true }]}><Input data-testid="acct-username" /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="displayName" label={t('acct.displayName')} rules={[{ required: true, whitespace: true }]}><Input data-testid="acct-display-name" /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="password" label={t('login.password')}><Input.Password autoComplete="new-password" data-testid="acct-password" /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="orgId" label={t('acct.org')}><Input placeholder="UUID" /></Form.Item></Col>
            </Row>
            <Typography.Text strong>{t('acct.roles')}</Typography.Text>
            <GrantsField name="roles" />
            <div><Button type="primary" htmlType="submit" data-testid="acct-create">{t('common.create')}</Button></div>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={lang === 'en' ? 'Find an account' : '查找账号'} style={{ marginBottom: 16 }}>
          <Input.Search placeholder={lang === 'en' ? 'Account ID' : '账号 ID'} enterButton={t('common.search')} data-testid="acct-lookup"
            onSearch={async (id) => {
              setLookupError(null);
              if (!id.trim()) return;
              try {
                setAccount(await api.get<Account>(`/api/admin/accounts/${encodeURIComponent(id.trim())}`));
              } catch (e) {
                setLookupError(errorText(e, lang));
              }
            }}
          />
          {lookupError && <Alert type="error" showIcon title={lookupError} style={{ marginTop: 12 }} />}
        </Card>
        {account && <AccountView account={account} onChange={setAccount} key={account.id + account.roles.length} />}
      </Col>
    </Row>
  );
}
