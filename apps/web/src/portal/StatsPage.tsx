import { useMemo } from 'react';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useI18n } from '../lib/i18n/I18nProvider';
import { indexCatalog, useCatalog, useStats } from '../features/portal/api';
import { QueryView } from '../components/Results';
import Chart from '../components/Chart';
import { CHART_COLORS } from '../components/chartColors';
import { ANNOUNCEMENT_TYPES, label } from '../lib/labels';
import { formatFenCompact } from '../lib/format';

export default function StatsPage() {
  const { t, lang } = useI18n();
  const q = useStats();
  const catalog = useCatalog();
  const cats = useMemo(() => indexCatalog(catalog.data?.categories ?? []), [catalog.data]);
  const options = useMemo(() => {
    const s = q.data;
    if (!s) return null;
    const catName = (key: string, name?: { zh: string; en: string }) => {
      if (name) return lang === 'en' ? name.en : name.zh;
      const n = cats.get(key);
      return n ? (lang === 'en' ? n.nameEn : n.name) : key;
    };
    return {
      byType: {
        color: CHART_COLORS,
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        series: [
          {
            type: 'pie',
            radius: ['32%', '56%'],
            center: ['50%', '50%'],
            minShowLabelAngle: 3,
            label: { formatter: '{b}\n{c}', width: 90, overflow: 'break', lineHeight: 16 },
            data: s.byType.map((b) => ({ name: label(ANNOUNCEMENT_TYPES, b.key, lang), value: b.count })),
          },
        ],
      },
      byCategory: {
        color: CHART_COLORS,
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: s.byCategory.map((b) => catName(b.key, b.name)), axisLabel: { width: 110, overflow: 'truncate' } },
        series: [{ type: 'bar', name: t('stats.count'), data: s.byCategory.map((b) => b.count), barMaxWidth: 22, itemStyle: { borderRadius: [0, 3, 3, 0] } }],
      },
      trend: {
        color: CHART_COLORS,
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: s.trend.map((d) => d.date.slice(5)), axisTick: { alignWithLabel: true } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name: t('stats.count'), barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] }, data: s.trend.map((d) => d.count) }],
      },
    };
  }, [q.data, cats, lang, t]);

  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('stats.title')}</Typography.Title>
      <QueryView query={q} rows={10}>
        {(s) => (
          <Row gutter={[16, 16]}>
            {/* Only the figures the server reports: an empty tile says nothing. */}
            {[
              { key: 'ann', title: t('stats.totalAnnouncements'), value: s.totals.announcements },
              { key: 'l30', title: t('stats.last30'), value: s.totals.last30 },
              { key: 'cat', title: t('stats.byCategory'), value: s.byCategory.length || null },
              { key: 'prj', title: t('stats.totalProjects'), value: s.totals.projects },
              { key: 'amt', title: t('stats.totalAmount'), value: s.totals.amountFen === null ? null : formatFenCompact(s.totals.amountFen, lang) },
            ]
              .filter((x) => x.value !== null)
              .map((x) => (
                <Col xs={12} md={6} key={x.key}>
                  <Card><Statistic title={x.title} value={x.value!} /></Card>
                </Col>
              ))}
            <Col xs={24} lg={10}>
              <Card title={t('stats.byType')}>{options && <Chart option={options.byType} height={320} testId="chart-by-type" />}</Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title={t('stats.byCategory')}>{options && <Chart option={options.byCategory} height={320} testId="chart-by-category" />}</Card>
            </Col>
            <Col span={24}>
              <Card title={t('stats.trend')}>{options && <Chart option={options.trend} height={300} testId="chart-trend" />}</Card>
            </Col>
          </Row>
        )}
      </QueryView>
    </div>
  );
}
