import { useEffect, useState } from 'react';
import { Select, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';

interface OrgProfile {
  id: string;
  name: string;
  uscc: string | null;
  regionCode: string;
}

/**
 * An agency names the tenderer it registers for by searching active organisations that hold the tenderer role
 * (GET /api/identity/orgs?role=tenderer — an agency may search nothing else). The value is the organisation id.
 */
export function TendererSelect(props: { value?: string; onChange?: (v: string | undefined) => void; testId: string }) {
  const { lang } = useI18n();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const orgs = useQuery({
    queryKey: ['orgs', 'tenderer', q],
    queryFn: () => api.get<{ items: OrgProfile[] }>('/api/identity/orgs', { role: 'tenderer', q: q || undefined, limit: 20 }),
    staleTime: 30_000,
  });
  const options = (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.uscc ? `${o.name}（${o.uscc}）` : o.name }));
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      options={options}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      loading={orgs.isFetching}
      notFoundContent={orgs.isFetching ? <Spin size="small" /> : orgs.isError ? (lang === 'en' ? 'Search failed' : '检索失败') : undefined}
      placeholder={lang === 'en' ? 'Search the tenderer by name or credit code' : '输入招标人名称或统一社会信用代码检索'}
      data-testid={props.testId}
    />
  );
}
