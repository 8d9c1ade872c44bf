import { useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ROLE_LABELS, ROLES, type Role, type RoleGrant } from '@yiwang/contracts';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { ResponsiveList } from '../../components/ResponsiveList';

export interface AccountListItem {
  id: string;
  username: string;
  displayName: string;
  orgId: string | null;
  orgName: string | null;
  isOrgAdmin: boolean;
  totpEnabled: boolean;
  status: string;
  roles: RoleGrant[];
  createdAt: string;
}

/** Every account, searchable by username, name or organisation and filterable by role (GET /api/admin/accounts). */
export function AccountList({ onOpen }: { onOpen: (a: AccountListItem) => void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const list = useInfiniteQuery({
    queryKey: ['admin', 'accounts', q, role],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: AccountListItem[]; nextCursor: string | null }>('/api/admin/accounts', { q: q || undefined, role, cursor: pageParam, limit: 20 }, { signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const roleName = (r: string) => (lang === 'en' ? ROLE_LABELS[r as Role]?.en : ROLE_LABELS[r as Role]?.zh) ?? r;
  const roleTags = (a: AccountListItem) => (
    <Space size={[4, 4]} wrap>
      {a.roles.map((g) => <Tag key={g.role} color={g.role === 'admin' ? 'red' : undefined} data-testid="acct-list-role-tag">{roleName(g.role)}</Tag>)}
    </Space>
  );
  const open = (a: AccountListItem) => (
    <Typography.Link onClick={() => onOpen(a)} data-testid="acct-list-open">{a.username}</Typography.Link>
  );
  return (
    <Card title={lang === 'en' ? 'All accounts' : '账号列表'}>
      <Row gutter={8} style={{ marginBottom: 12 }}>
        <Col xs={24} md={14}>
          <Input.Search
            allowClear
            placeholder={lang === 'en' ? 'Username, name or organisation' : '用户名、姓名或单位名称'}
            enterButton={t('common.search')}
            onSearch={(v) => setQ(v.trim())}
            data-testid="acct-list-search"
          />
        </Col>
        <Col xs={24} md={10}>
          <Select
            allowClear
            style={{ width: '100%' }}
            placeholder={lang === 'en' ? 'Any role' : '全部角色'}
            value={role}
            onChange={(v: Role | undefined) => setRole(v)}
            options={ROLES.map((r) => ({ value: r, label: roleName(r) }))}
            data-testid="acct-list-role"
          />
        </Col>
      </Row>
      {list.isError && <Alert type="error" showIcon title={errorText(list.error, lang)} style={{ marginBottom: 12 }} />}
      <ResponsiveList
        data={items}
        rowKey={(a) => a.id}
        loading={list.isPending}
        testId="acct-list"
        itemTestId="acct-list-item"
        columns={[
          { title: t('acct.username'), key: 'u', render: (_: unknown, a: AccountListItem) => open(a) },
          { title: t('acct.displayName'), dataIndex: 'displayName' },
          { title: t('acct.org'), key: 'o', render: (_: unknown, a: AccountListItem) => a.orgName ?? '—', ellipsis: true },
          { title: t('acct.roles'), key: 'r', render: (_: unknown, a: AccountListItem) => roleTags(a) },
          { title: t('acct.status'), key: 's', width: 90, render: (_: unknown, a: AccountListItem) => (a.status === 'active' ? <Tag color="green">{a.status}</Tag> : <Tag>{a.status}</Tag>) },
        ]}
        card={(a) => (
          <Space orientation="vertical" size={4}>
            <span>{open(a)} · {a.displayName}</span>
            {a.orgName && <Typography.Text type="secondary">{a.orgName}</Typography.Text>}
            {roleTags(a)}
          </Space>
        )}
        footer={
          list.hasNextPage ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="acct-list-more">{lang === 'en' ? 'Load more' : '加载更多'}</Button>
            </div>
          ) : null
        }
      />
    </Card>
  );
}
