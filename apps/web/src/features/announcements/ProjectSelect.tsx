import { Select } from 'antd';
import { useQueries } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth/AuthProvider';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { ProjectPage } from '../projects/api';

/**
 * The project a notice belongs to (optional): one of the author's own projects the center has accepted, normally
 * or through the green channel (GET /api/projects?status=… lists a tenderer's or agency's own projects).
 */
export function ProjectSelect(props: { value?: string | null; onChange?: (v: string | null) => void; testId: string; disabled?: boolean }) {
  const { lang } = useI18n();
  const { roles } = useAuth();
  const mayList = roles.includes('tenderer') || roles.includes('agency');
  const results = useQueries({
    queries: (['accepted', 'accepted_green'] as const).map((status) => ({
      queryKey: ['projects', { status, limit: 100 }],
      queryFn: () => api.get<ProjectPage>('/api/projects', { status, limit: 100 }),
      enabled: mayList,
    })),
  });
  const projects = results.flatMap((r) => r.data?.items ?? []);
  const options = projects.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
  // A notice saved earlier may name a project not in the list (e.g. one later found elsewhere): keep it visible.
  if (props.value && !options.some((o) => o.value === props.value)) options.unshift({ value: props.value, label: props.value });
  return (
    <Select
      value={props.value ?? undefined}
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      disabled={props.disabled}
      loading={results.some((r) => r.isFetching)}
      placeholder={lang === 'en' ? 'Optional: one of your accepted projects' : '可选：本单位已受理的项目'}
      data-testid={props.testId}
    />
  );
}
