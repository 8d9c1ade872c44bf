import { useState } from 'react';
import { Link } from 'react-router';
import { Card, Segmented, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime } from '../../lib/format';
import { regionLabel } from '../../lib/regions';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { useExpertQueue, useSpecialties, type ExpertSummary } from './api';
import { ExpertStatusTag, useLabel } from './parts';

const FILTERS = ['submitted', 'returned', 'active', 'suspended', 'rejected', 'exited', 'removed', 'all'] as const;

/** The regulator's queue (applications in order of submission) and the experts of its jurisdiction by status. */
export default function ExpertReviewListPage() {
  const { t, lang } = useI18n();
  const lbl = useLabel();
  const [status, setStatus] = useState<string>('submitted');
  const q = useExpertQueue(status);
  const specs = useSpecialties();
  const specName = (code: string) => {
    const s = specs.data?.items.find((x) => x.code === code);
    return s ? `${code} ${lang === 'en' ? s.nameEn : s.nameZh}` : code;
  };
  const link = (e: ExpertSummary) => (
    <Link to={`/workbench/expert-review/${e.id}`} data-testid="expert-review-link">
      {e.name}
    </Link>
  );
  const columns = [
    { title: t('ex.code'), dataIndex: 'code', width: 110 },
    { title: t('ex.name'), dataIndex: 'name', width: 110, render: (_: unknown, e: ExpertSummary) => link(e) },
    { title: t('ex.status'), dataIndex: 'status', width: 100, render: (_: unknown, e: ExpertSummary) => <ExpertStatusTag status={e.status} /> },
    {
      title: t('ex.titleLevel'),
      dataIndex: 'titleLevel',
      width: 170,
      render: (_: unknown, e: ExpertSummary) => `${lbl('ex.title', e.titleLevel)}${e.titleName ? ` · ${e.titleName}` : ''} · ${e.experienceYears}${lang === 'en' ? ' y' : ' 年'}`,
    },
    { title: t('ex.field.specialties'), dataIndex: 'specialties', render: (s: string[]) => s.map((c) => <Tag key={c} style={{ marginBottom: 2 }}>{specName(c)}</Tag>) },
    { title: t('ex.industries'), dataIndex: 'industries', width: 170, render: (s: string[]) => s.map((i) => lbl('ex.industry', i)).join('、') },
    { title: t('ex.homeRegion'), dataIndex: 'homeRegion', width: 130, render: (r: string) => regionLabel(r, lang) },
    { title: t('ex.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatDateTime(v) },
  ];
  return (
    <Card title={t('ex.queue')}>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={FILTERS.map((s) => ({ value: s, label: s === 'all' ? t('ex.filter.all') : t(`ex.status.${s}` as DictKey) }))}
          data-testid="expert-review-filter"
        />
      </div>
      <QueryView query={q}>
        {(page) => (
          <ResponsiveList<ExpertSummary>
            data={page.items}
            columns={columns}
            rowKey={(e) => e.id}
            testId="expert-review-queue"
            itemTestId="expert-review-item"
            card={(e) => (
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap size={6}>
                  <span style={{ fontWeight: 500 }}>{link(e)}</span>
                  <ExpertStatusTag status={e.status} />
                  <Typography.Text type="secondary">{e.code}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {lbl('ex.title', e.titleLevel)} · {e.specialties.map(specName).join('、')} · {regionLabel(e.homeRegion, lang)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ex.submittedAt')}: {formatDateTime(e.submittedAt)}</Typography.Text>
              </Space>
            )}
          />
        )}
      </QueryView>
    </Card>
  );
}
