// Pieces shared by the expert's own page and the regulator's review page: the status tag and the record itself.
import type { ReactNode } from 'react';
import { Button, Card, Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { ResponsiveList } from '../../components/ResponsiveList';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDate, formatDateTime } from '../../lib/format';
import { regionLabel } from '../../lib/regions';
import type { Conflict, ExpertDetail, ExpertStatus } from './api';

const STATUS_COLORS: Record<ExpertStatus, string> = {
  submitted: 'processing',
  returned: 'warning',
  rejected: 'error',
  active: 'success',
  suspended: 'orange',
  exited: 'default',
  removed: 'error',
};

export function ExpertStatusTag({ status }: { status: ExpertStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="expert-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`ex.status.${status}` as DictKey)}
    </Tag>
  );
}

/** A key under a prefix when the dictionary has it, else the raw value (an industry code the UI does not know yet). */
export function useLabel() {
  const { t } = useI18n();
  return (prefix: string, value: string) => {
    const key = `${prefix}.${value}` as DictKey;
    const text = t(key);
    return text === key ? value : text;
  };
}

export function AvailabilityTag({ e }: { e: ExpertDetail }) {
  const { t } = useI18n();
  if (e.availability.eligibleNow) return <Tag color="green" data-testid="expert-eligible">{t('ex.eligibleNow')}</Tag>;
  return (
    <Space size={4} wrap>
      <Tag color="default" data-testid="expert-not-eligible">{t('ex.notEligible')}</Tag>
      {e.availability.onLeaveNow && <Tag color="blue">{t('ex.onLeave')}</Tag>}
      {e.availability.blacklistedNow && <Tag color="red">{t('ex.blacklisted')}</Tag>}
    </Space>
  );
}

/** The record as both sides read it: profile, scope, conflicts, materials, and (once admitted) the pool sections. */
export function ExpertRecord({
  e,
  extra,
  conflictTools,
  onEndConflict,
}: {
  e: ExpertDetail;
  extra?: ReactNode;
  /** The expert's own page: a form to declare one more, and an action to record a relation's end. */
  conflictTools?: ReactNode;
  onEndConflict?: (conflictId: string) => void;
}) {
  const { t, lang } = useI18n();
  const lbl = useLabel();
  const inPool = e.activatedAt !== null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={t('ex.profile')} extra={extra} data-testid="expert-record">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'code', label: t('ex.code'), children: <span data-testid="expert-code">{e.code}</span> },
            {
              key: 'status',
              label: t('ex.status'),
              children: (
                <Space size={6} wrap>
                  <ExpertStatusTag status={e.status} />
                  {e.suspendedReason && <Typography.Text type="secondary">{lbl('ex.suspended', e.suspendedReason)}</Typography.Text>}
                  {e.endReason && <Typography.Text type="secondary">{e.endReason}</Typography.Text>}
                </Space>
              ),
            },
            { key: 'name', label: t('ex.name'), children: e.name },
            { key: 'phone', label: t('ex.phone'), children: e.phone ?? '—' },
            {
              key: 'title',
              label: t('ex.titleLevel'),
              children: `${lbl('ex.title', e.titleLevel)}${e.titleName ? ` · ${e.titleName}` : ''}${e.equivalentLevel ? ` · ${t('ex.equivalent')}` : ''}`,
            },
            { key: 'years', label: t('ex.years'), children: e.experienceYears },
            { key: 'employer', label: t('ex.employer'), children: e.employer ? `${e.employer.name}（${e.employer.uscc}）` : t('ex.employerNone') },
            { key: 'home', label: t('ex.homeRegion'), children: regionLabel(e.homeRegion, lang) },
            { key: 'kinds', label: t('ex.kinds'), children: e.kinds.map((k) => <Tag key={k}>{lbl('ex.kind', k)}</Tag>) },
            { key: 'regions', label: t('ex.regions'), children: e.regions.map((r) => regionLabel(r, lang)).join('、') },
            {
              key: 'specialties',
              label: t('ex.field.specialties'),
              span: 2,
              children: (
                <Space size={4} wrap data-testid="expert-specialties">
                  {e.specialtyDetails.map((s) => (
                    <Tag key={s.code} color="blue">{`${s.code} ${lang === 'en' ? s.nameEn : s.nameZh}`}</Tag>
                  ))}
                </Space>
              ),
            },
            { key: 'industries', label: t('ex.industries'), children: e.industries.map((i) => lbl('ex.industry', i)).join('、') },
            { key: 'submitted', label: t('ex.submittedAt'), children: `${formatDateTime(e.submittedAt)} · ${t('ex.submitCount', { n: e.submitCount })}` },
            ...(inPool ? [{ key: 'availability', label: t('ex.availability'), children: <AvailabilityTag e={e} /> }] : []),
          ]}
        />
      </Card>

      <Card size="small" title={t('ex.sectionConflicts')} data-testid="expert-conflicts-card">
        {conflictTools}
        {e.conflicts.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ex.none')} />
        ) : (
          <ResponsiveList<Conflict>
            data={e.conflicts}
            rowKey={(c) => c.id}
            testId="expert-conflicts"
            itemTestId="expert-conflict"
            card={(c) => (
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap size={6}>
                  <Tag>{`${lbl('ex.conflict', c.kind)}${c.relation ? `（${c.relation}）` : ''}`}</Tag>
                  <span>{c.orgName}</span>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.orgUscc}</Typography.Text>
                <Space wrap size={6}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.startedOn ?? '—'} ~ {c.endedOn ?? '—'}
                  </Typography.Text>
                  {c.active ? <Tag color="orange">{`${t('ex.conflict.avoidUntil')} ${c.avoidUntil ?? t('ex.conflict.open')}`}</Tag> : <Tag>{t('ex.conflict.expired')}</Tag>}
                  {onEndConflict && !c.endedOn && (
                    <Button size="small" onClick={() => onEndConflict(c.id)}>
                      {t('ex.conflict.end')}
                    </Button>
                  )}
                </Space>
              </Space>
            )}
            columns={[
              { title: t('ex.conflict.kind'), dataIndex: 'kind', width: 120, render: (k: string, c: Conflict) => `${lbl('ex.conflict', k)}${c.relation ? `（${c.relation}）` : ''}` },
              { title: t('ex.conflict.org'), dataIndex: 'orgName', render: (n: string, c: Conflict) => <Space orientation="vertical" size={0}><span>{n}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.orgUscc}</Typography.Text></Space> },
              { title: t('ex.conflict.startedOn'), dataIndex: 'startedOn', width: 110, render: (d: string | null) => d ?? '—' },
              { title: t('ex.conflict.endedOn'), dataIndex: 'endedOn', width: 110, render: (d: string | null) => d ?? '—' },
              {
                title: t('ex.conflict.avoidUntil'),
                dataIndex: 'avoidUntil',
                width: 130,
                render: (d: string | null, c: Conflict) => (c.active ? <Tag color="orange">{d ?? t('ex.conflict.open')}</Tag> : <Tag>{t('ex.conflict.expired')}</Tag>),
              },
              ...(onEndConflict
                ? [
                    {
                      title: '',
                      key: 'end',
                      width: 100,
                      render: (_: unknown, c: Conflict) =>
                        c.endedOn ? null : (
                          <Button size="small" onClick={() => onEndConflict(c.id)} data-testid="expert-conflict-end">
                            {t('ex.conflict.end')}
                          </Button>
                        ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>

      <Card size="small" title={t('ex.sectionMaterials')}>
        <List
          size="small"
          dataSource={e.materials}
          locale={{ emptyText: t('ex.none') }}
          renderItem={(m) => (
            <List.Item data-testid="expert-material">
              <Space wrap>
                <Tag>{lbl('ex.material', m.code)}</Tag>
                <a href={`/api/files/${m.fileId}`} target="_blank" rel="noreferrer">{m.name}</a>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(m.suppliedAt)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>

      {e.reviews.length > 0 && (
        <Card size="small" title={t('ex.reviews')}>
          <List
            size="small"
            dataSource={[...e.reviews].reverse()}
            renderItem={(r) => (
              <List.Item data-testid="expert-review-entry">
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap>
                    <Tag color={r.decision === 'approve' ? 'green' : r.decision === 'return' ? 'orange' : 'red'}>{lbl('ex.decision', r.decision)}</Tag>
                    <Typography.Text type="secondary">{formatDateTime(r.decidedAt)}</Typography.Text>
                    {r.comment && r.decision === 'approve' && <span>{r.comment}</span>}
                  </Space>
                  {r.decision !== 'approve' && (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {r.reasons.map((x) => (
                        <li key={x.field}>
                          <b>{lbl('ex.field', x.field)}</b>：{x.note}
                        </li>
                      ))}
                    </ul>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}

      {inPool && <PoolSections e={e} />}
    </Space>
  );
}

/** Leave, annual review, performance, points and blacklist: only once the expert has been in the pool. */
function PoolSections({ e }: { e: ExpertDetail }) {
  const { t } = useI18n();
  const lbl = useLabel();
  return (
    <>
      <Card size="small" title={t('ex.annual')}>
        {e.annualReviewDue && (
          <Typography.Paragraph data-testid="expert-annual-due">
            {t('ex.annualDue', { year: e.annualReviewDue.year, due: formatDate(new Date(new Date(e.annualReviewDue.dueAt).getTime() - 1)) })}{' '}
            <Tag color={e.annualReviewDue.done ? 'green' : 'gold'}>{e.annualReviewDue.done ? t('ex.annualDone') : t('ex.annualPending')}</Tag>
          </Typography.Paragraph>
        )}
        {(e.annualReviews.length > 0 || !e.annualReviewDue) && (
        <List
          size="small"
          dataSource={e.annualReviews}
          locale={{ emptyText: t('ex.none') }}
          renderItem={(a) => (
            <List.Item>
              <Space wrap>
                <b>{a.year}</b>
                <Tag color={a.result === 'pass' ? 'green' : 'red'}>{t(a.result === 'pass' ? 'ex.pass' : 'ex.fail')}</Tag>
                {a.comment && <span>{a.comment}</span>}
              </Space>
            </List.Item>
          )}
        />
        )}
      </Card>
      <Card size="small" title={t('ex.performance')}>
        <Typography.Paragraph>
          {e.performance.count ? t('ex.ratingAvg', { avg: e.performance.average ?? 0, n: e.performance.count }) : t('ex.noRatings')} ·{' '}
          {t('ex.points')}: {t('ex.pointsTotal', { n: e.incentives.points })}
        </Typography.Paragraph>
        {e.incentives.entries.length > 0 && (
          <List
            size="small"
            dataSource={e.incentives.entries}
            renderItem={(i) => (
              <List.Item>
                <Space wrap>
                  <Tag color={i.kind === 'incentive' ? 'green' : 'red'}>{`${t(i.kind === 'incentive' ? 'ex.incentive' : 'ex.penalty')} ${i.kind === 'incentive' ? '+' : '−'}${i.points}`}</Tag>
                  <span>{i.reason}</span>
                  <Typography.Text type="secondary">{formatDate(i.createdAt)}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      {e.blacklist.length > 0 && (
        <Card size="small" title={t('ex.blacklist')}>
          <List
            size="small"
            dataSource={e.blacklist}
            renderItem={(b) => (
              <List.Item data-testid="expert-blacklist-entry">
                <Space wrap>
                  <Tag color={b.inForce ? 'red' : 'default'}>{b.inForce ? t('ex.inForce') : b.liftedAt ? t('ex.lifted') : t('ex.leavePast')}</Tag>
                  <span>{b.reason}</span>
                  {b.basis && <Typography.Text type="secondary">{b.basis}</Typography.Text>}
                  <Typography.Text type="secondary">
                    {formatDateTime(b.startsAt)} {b.endsAt ? t('ex.until', { until: formatDateTime(b.endsAt) }) : t('ex.indefinite')}
                  </Typography.Text>
                  {b.liftReason && <Typography.Text type="secondary">{lbl('ex', 'lifted')}：{b.liftReason}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
    </>
  );
}
