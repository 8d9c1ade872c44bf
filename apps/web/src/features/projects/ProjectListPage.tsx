import { Link } from 'react-router';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useProjects, type ProjectSummary } from './api';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { formatDateTime, formatFen } from '../../lib/format';
import { label, PROCEDURES } from '../../lib/labels';

export default function ProjectListPage() {
  const { t, lang } = useI18n();
  const q = useProjects({});
  const columns = [
    { title: t('project.code'), dataIndex: 'code', width: 150 },
    { title: t('project.name'), dataIndex: 'name', render: (_: unknown, p: ProjectSummary) => <Link to={`/workbench/projects/${p.id}`} data-testid="project-link">{p.name}</Link> },
    { title: t('project.procedure'), dataIndex: 'procedureType', width: 150, render: (v: string) => label(PROCEDURES, v, lang) },
    { title: t('project.budget'), dataIndex: 'estimateFen', width: 160, align: 'right' as const, render: (v: number) => formatFen(v) },
    { title: t('project.status'), dataIndex: 'status', width: 110, render: (v: string) => <StatusTag status={v} /> },
    { title: t('project.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
  ];
  return (
    <Card
      title={t('project.list')}
      extra={
        <Link to="/workbench/projects/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="project-new">{t('project.register')}</Button>
        </Link>
      }
    >
      <QueryView query={q}>
        {(page) => (
          <ResponsiveList<ProjectSummary>
            data={page.items}
            columns={columns}
            rowKey={(p) => p.id}
            testId="project-list"
            itemTestId="project-item"
            card={(p) => (
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Link to={`/workbench/projects/${p.id}`} style={{ fontWeight: 500 }}>{p.name}</Link>
                <Space wrap size={6}>
                  <StatusTag status={p.status} />
                  <Typography.Text type="secondary">{p.code}</Typography.Text>
                  {p.overdue && <Tag color="red">{t('project.overdue')}</Tag>}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatFen(p.estimateFen)} · {formatDateTime(p.submittedAt)}</Typography.Text>
              </Space>
            )}
          />
        )}
      </QueryView>
    </Card>
  );
}
