import { useState } from 'react';
import { Link } from 'react-router';
import { Card, Segmented, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useProjects, type ProjectSummary } from '../projects/api';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { formatDateTime, formatFen } from '../../lib/format';
import { label, PROCEDURES } from '../../lib/labels';

/** The intake window's queue: submitted projects, oldest due first, overdue ones tagged. */
export default function IntakeQueuePage() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<string>('submitted');
  const q = useProjects({ status });
  const DueCell = ({ p }: { p: ProjectSummary }) => (
    <Space size={4}>
      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(p.dueAt)}</span>
      {p.overdue && <Tag color="red" data-testid="overdue-tag">{t('project.overdue')}</Tag>}
    </Space>
  );
  const columns = [
    { title: t('project.code'), dataIndex: 'code', width: 140 },
    { title: t('project.name'), dataIndex: 'name', render: (_: unknown, p: ProjectSummary) => <Link to={`/workbench/intake/${p.id}`} data-testid="intake-link">{p.name}</Link> },
    { title: t('intake.applicant'), dataIndex: 'ownerOrgName', width: 180, render: (v: string | undefined, p: ProjectSummary) => v ?? p.ownerOrgId.slice(0, 8) },
    { title: t('project.procedure'), dataIndex: 'procedureType', width: 140, render: (v: string) => label(PROCEDURES, v, lang) },
    { title: t('project.budget'), dataIndex: 'estimateFen', width: 150, align: 'right' as const, render: (v: number) => formatFen(v) },
    { title: t('project.submittedAt'), dataIndex: 'submittedAt', width: 140, render: (v: string | null) => formatDateTime(v) },
    { title: t('project.dueAt'), dataIndex: 'dueAt', width: 210, render: (_: unknown, p: ProjectSummary) => <DueCell p={p} /> },
  ];
  return (
    <Card title={t('intake.queue')}>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={['submitted', 'returned', 'accepted', 'accepted_green'].map((s) => ({ value: s, label: t(`status.${s}` as 'status.submitted') }))}
          data-testid="intake-status-filter"
        />
      </div>
      <QueryView query={q}>
        {(page) => {
          const items = [...page.items].sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
          return (
            <ResponsiveList<ProjectSummary>
              data={items}
              columns={columns}
              rowKey={(p) => p.id}
              testId="intake-queue"
              itemTestId="intake-item"
              card={(p) => (
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Link to={`/workbench/intake/${p.id}`} style={{ fontWeight: 500 }}>{p.name}</Link>
                  <Space wrap size={6}>
                    <StatusTag status={p.status} />
                    <Typography.Text type="secondary">{p.code}</Typography.Text>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('project.dueAt')}: <DueCell p={p} /></Typography.Text>
                </Space>
              )}
            />
          );
        }}
      </QueryView>
    </Card>
  );
}
