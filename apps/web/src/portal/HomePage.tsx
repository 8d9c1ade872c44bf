import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Card, Col, Input, Row, Skeleton, Statistic, Tabs, Typography } from 'antd';
import { AuditOutlined, DatabaseOutlined, SafetyCertificateOutlined, SolutionOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n/I18nProvider';
import { useAnnouncements, useCatalog, useStats } from '../features/portal/api';
import { QueryView } from '../components/Results';
import { AnnouncementLines } from './AnnouncementItems';
import { ANNOUNCEMENT_TYPES, label } from '../lib/labels';
import { formatFenCompact } from '../lib/format';
import { CHART_COLORS } from '../components/chartColors';

const Chart = lazy(() => import('../components/Chart'));

/** Tabs on the home page: the notice families people look for first. */
const HOME_TYPES = ['', 'tender_notice', 'change_notice', 'candidate_publicity', 'award_notice'];

function Latest({ type }: { type: string }) {
  const q = useAnnouncements(type ? { type } : {}, 8);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <QueryView query={{ ...q, data: q.data ? items : undefined }} rows={6}>
      {(list) => <AnnouncementLines items={list} />}
    </QueryView>
  );
}

function Categories() {
  const { lang, t } = useI18n();
  const q = useCatalog();
  return (
    <QueryView query={q}>
      {(c) => (
        <Row gutter={[12, 12]}>
          {c.categories.map((cat) => (
            <Col xs={12} sm={8} lg={6} key={cat.code}>
              <Link to={`/announcements?category=${encodeURIComponent(cat.code)}`} data-testid="category-tile">
                <Card hoverable size="small" className="yw-tile">
                  <div style={{ fontWeight: 600, fontSize: 15, color: '#1f2329' }}>{lang === 'en' ? cat.nameEn : cat.name}</div>
                  <div className="yw-tile-code">
                    {cat.children.length > 0
                      ? `${cat.children.length} ${lang === 'en' ? 'sub-categories' : '个子类'}`
                      : `${cat.procedures.length} ${lang === 'en' ? 'procedures' : '种交易方式'}`}
                  </div>
                </Card>
              </Link>
            </Col>
          ))}
          {c.categories.length === 0 && <Col span={24}><Typography.Text type="secondary">{t('common.empty')}</Typography.Text></Col>}
        </Row>
      )}
    </QueryView>
  );
}

function MiniStats() {
  const { t, lang } = useI18n();
  const q = useStats();
  const option = useMemo(() => {
    const trend = q.data?.trend ?? [];
    return {
      color: CHART_COLORS,
      grid: { left: 36, right: 12, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: trend.map((d) => d.date.slice(5)), axisTick: { show: false } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', barMaxWidth: 8, itemStyle: { borderRadius: [2, 2, 0, 0] }, data: trend.map((d) => d.count), name: t('stats.count') }],
    };
  }, [q.data, t]);
  return (
    <QueryView query={q}>
      {(s) => (
        <>
          <Row gutter={12}>
            <Col span={8}><Statistic title={t('stats.totalAnnouncements')} value={s.totals.announcements ?? '—'} /></Col>
            <Col span={8}><Statistic title={t('stats.last30')} value={s.totals.last30 ?? '—'} /></Col>
            <Col span={8}>
              {s.totals.amountFen === null ? (
                <Statistic title={t('stats.byCategory')} value={s.byCategory.length} />
              ) : (
                <Statistic title={t('stats.totalAmount')} value={formatFenCompact(s.totals.amountFen, lang)} />
              )}
            </Col>
          </Row>
          <Suspense fallback={<Skeleton active />}>
            <Chart option={option} height={180} testId="home-trend-chart" />
          </Suspense>
        </>
      )}
    </QueryView>
  );
}

export function HomePage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [tab, setTab] = useState('');
  const services = [
    { icon: <SolutionOutlined />, text: t('home.serviceRegister'), to: '/login' },
    { icon: <AuditOutlined />, text: t('home.serviceIntake'), to: '/workbench/projects' },
    { icon: <SafetyCertificateOutlined />, text: t('home.serviceVerify'), to: '/verify' },
    { icon: <DatabaseOutlined />, text: t('home.serviceOpenData'), to: '/stats' },
  ];
  return (
    <>
      <section className="yw-hero">
        <div className="yw-container">
          <h1>{t('home.heroTitle')}</h1>
          <p>{t('home.heroDesc')}</p>
          <Input.Search
            size="large"
            enterButton={<span style={{ padding: '0 12px' }}>{t('common.search')}</span>}
            placeholder={t('home.searchPlaceholder')}
            allowClear
            onSearch={(q) => navigate(q.trim() ? `/announcements?q=${encodeURIComponent(q.trim())}` : '/announcements')}
            data-testid="home-search"
          />
        </div>
      </section>
      <div className="yw-container yw-main">
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={16}>
            <Card
              title={<h2 className="yw-section-title">{t('home.latest')}</h2>}
              extra={<Link to={tab ? `/announcements?type=${tab}` : '/announcements'}>{t('home.viewAll')}</Link>}
              styles={{ body: { paddingTop: 0 } }}
            >
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={HOME_TYPES.map((ty) => ({ key: ty, label: ty ? label(ANNOUNCEMENT_TYPES, ty, lang) : t('common.all') }))}
              />
              <Latest type={tab} />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={<h2 className="yw-section-title">{t('home.stats')}</h2>} extra={<Link to="/stats">{t('common.more')}</Link>} style={{ marginBottom: 16 }}>
              <MiniStats />
            </Card>
            <Card title={<h2 className="yw-section-title">{t('home.services')}</h2>}>
              <Row gutter={[8, 8]}>
                {services.map((s) => (
                  <Col span={12} key={s.to}>
                    <Link to={s.to}>
                      <Card size="small" hoverable styles={{ body: { textAlign: 'center', padding: '12px 4px' } }}>
                        <div style={{ fontSize: 22, color: '#1d5bb0' }}>{s.icon}</div>
                        <div style={{ fontSize: 13, color: '#1f2329' }}>{s.text}</div>
                      </Card>
                    </Link>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
          <Col span={24}>
            <Card title={<h2 className="yw-section-title">{t('home.categories')}</h2>} extra={<Link to="/catalog">{t('home.viewAll')}</Link>}>
              <Categories />
            </Card>
          </Col>
        </Row>
      </div>
    </>
  );
}
