import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../lib/i18n/I18nProvider';
import { indexCatalog, useAnnouncements, useCatalog, type AnnouncementFilters, type AnnouncementSummary, type CatalogNode } from '../features/portal/api';
import { ResponsiveList } from '../components/ResponsiveList';
import { AnnouncementTypeTag } from '../components/Tags';
import { AnnouncementCard, Highlighted } from './AnnouncementItems';
import { ANNOUNCEMENT_TYPES } from '../lib/labels';
import { formatDateTime, startOfShanghaiDay, TZ } from '../lib/format';
import { errorText } from '../lib/problem';
import { prefixToCode, regionLabel, regionTree } from '../lib/regions';
import { Alert } from 'antd';

const KEYS = ['q', 'category', 'region', 'type', 'from', 'to'] as const;

/** `from`/`to` in the URL are Beijing calendar days; the API gets instants, `to` exclusive (start of the next day). */
function toApiFilters(sp: URLSearchParams): AnnouncementFilters {
  const f: AnnouncementFilters = {};
  for (const k of KEYS) {
    const v = sp.get(k);
    if (v) f[k] = v;
  }
  if (f.from) f.from = startOfShanghaiDay(f.from);
  if (f.to) f.to = startOfShanghaiDay(dayjs.tz(f.to, TZ).add(1, 'day').format('YYYY-MM-DD'));
  return f;
}

interface Opt {
  title: string;
  value: string;
  children: Opt[];
}

function treeData(nodes: CatalogNode[], lang: string): Opt[] {
  return nodes.map((n) => ({ title: `${lang === 'en' ? n.nameEn : n.name}`, value: n.code, children: treeData(n.children, lang) }));
}

export default function AnnouncementListPage() {
  const { t, lang } = useI18n();
  const [sp, setSp] = useSearchParams();
  const [form] = Form.useForm();
  const filters = useMemo(() => toApiFilters(sp), [sp]);
  const q = useAnnouncements(filters);
  const catalog = useCatalog();
  const catIndex = useMemo(() => indexCatalog(catalog.data?.categories ?? []), [catalog.data]);
  const catName = (code: string) => {
    const n = catIndex.get(code);
    return n ? (lang === 'en' ? n.nameEn : n.name) : code;
  };
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];

  const initial = {
    q: sp.get('q') ?? '',
    category: sp.get('category') ?? undefined,
    region: sp.get('region') ? prefixToCode(sp.get('region')!) : undefined,
    type: sp.get('type') ?? undefined,
    range: sp.get('from') || sp.get('to') ? [sp.get('from') ? dayjs(sp.get('from')) : null, sp.get('to') ? dayjs(sp.get('to')) : null] : undefined,
  };

  const apply = (v: { q?: string; category?: string; region?: string; type?: string; range?: [Dayjs | null, Dayjs | null] | null }) => {
    const next = new URLSearchParams();
    if (v.q?.trim()) next.set('q', v.q.trim());
    if (v.category) next.set('category', v.category);
    if (v.region?.trim()) next.set('region', v.region.trim());
    if (v.type) next.set('type', v.type);
    if (v.range?.[0]) next.set('from', v.range[0].format('YYYY-MM-DD'));
    if (v.range?.[1]) next.set('to', v.range[1].format('YYYY-MM-DD'));
    setSp(next);
  };

  const columns = [
    {
      title: t('ann.title'),
      dataIndex: 'title',
      render: (_: unknown, a: AnnouncementSummary) => (
        <>
          <Link to={`/announcements/${a.id}`} data-testid="announcement-link"><Highlighted segments={a.highlight?.title} fallback={a.title} /></Link>
          {a.highlight?.snippet.length ? (
            <div style={{ color: '#8c8c8c', fontSize: 13, marginTop: 2 }}><Highlighted segments={a.highlight.snippet} fallback="" /></div>
          ) : null}
        </>
      ),
    },
    { title: t('ann.type'), dataIndex: 'type', width: 140, render: (v: string) => <AnnouncementTypeTag type={v} /> },
    { title: t('ann.category'), dataIndex: 'category', width: 160, render: (v: string) => catName(v) },
    { title: t('ann.region'), dataIndex: 'regionCode', width: 120, render: (v: string) => <span title={v}>{regionLabel(v, lang)}</span> },
    { title: t('ann.publisher'), dataIndex: 'publisherName', width: 180, ellipsis: true },
    { title: t('ann.publishedAt'), dataIndex: 'publishedAt', width: 150, render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(v)}</span> },
  ];

  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('ann.listTitle')}</Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" initialValues={initial} onFinish={apply} data-testid="announcement-filters" key={sp.toString()}>
          <Row gutter={12}>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="q" label={t('ann.keyword')}>
                <Input allowClear placeholder={t('home.searchPlaceholder')} data-testid="filter-q" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="type" label={t('ann.type')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={Object.entries(ANNOUNCEMENT_TYPES).map(([value, l]) => ({ value, label: lang === 'en' ? l.en : l.zh }))}
                  data-testid="filter-type"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="category" label={t('ann.category')}>
                <TreeSelect allowClear placeholder={t('common.all')} treeData={treeData(catalog.data?.categories ?? [], lang)} treeDefaultExpandAll={false} data-testid="filter-category" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={3}>
              <Form.Item name="region" label={t('ann.region')}>
                {/* A city includes its districts: the server filters by code prefix (350200 → 3502…). */}
                <TreeSelect allowClear placeholder={t('common.all')} treeData={regionTree(lang)} treeDefaultExpandedKeys={['350000']} showSearch={{ treeNodeFilterProp: 'title' }} data-testid="filter-region" />
              </Form.Item>
            </Col>
            <Col xs={12} md={12} lg={5}>
              <Form.Item name="range" label={t('ann.dateRange')}>
                <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} data-testid="filter-range" />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="filter-submit">{t('common.search')}</Button>
            <Button onClick={() => setSp(new URLSearchParams())} data-testid="filter-reset">{t('common.reset')}</Button>
          </Space>
        </Form>
      </Card>
      <Card>
        {q.isError ? (
          <Alert type="error" showIcon title={t('common.loadFailed')} description={errorText(q.error, lang)} action={<Button size="small" onClick={() => q.refetch()}>{t('common.retry')}</Button>} />
        ) : (
          <ResponsiveList<AnnouncementSummary>
            data={items}
            columns={columns}
            rowKey={(a) => a.id}
            loading={q.isPending}
            testId="announcement-results"
            itemTestId="announcement-item"
            card={(a) => <AnnouncementCard a={a} categoryName={catName(a.category)} />}
            footer={
              <div style={{ textAlign: 'center', marginTop: 16 }}>
                <Typography.Text type="secondary" style={{ marginRight: 12 }}>{t('ann.count', { n: items.length })}</Typography.Text>
                {q.hasNextPage ? (
                  <Button onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="load-more">{t('common.loadMore')}</Button>
                ) : (
                  !q.isPending && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
                )}
              </div>
            }
          />
        )}
      </Card>
    </div>
  );
}
