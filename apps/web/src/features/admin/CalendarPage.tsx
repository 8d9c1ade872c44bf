import { useState } from 'react';
import { Alert, App, Card, Col, Row, Select, Space, Tooltip, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { api } from '../../lib/api';
import { ApiError, errorText } from '../../lib/problem';
import { dayKind, monthGrid, toggleAction, type SpecialDay } from './calendar';
import { formatDateTime, shanghaiDay } from '../../lib/format';

interface YearData {
  year: number;
  source: string;
  updatedAt: string;
  days: (SpecialDay & { source: string })[];
}

const WEEK_ZH = ['一', '二', '三', '四', '五', '六', '日'];
const WEEK_EN = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

export default function CalendarPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const thisYear = Number(shanghaiDay(new Date())!.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const years = useQuery({ queryKey: ['calendar-years'], queryFn: () => api.get<{ items: { year: number }[] }>('/api/calendar/years') });
  const q = useQuery({ queryKey: ['calendar', year], queryFn: () => api.get<YearData>(`/api/calendar/${year}`), retry: false });
  const specials = new Map((q.data?.days ?? []).map((d) => [d.date, d]));
  const [busy, setBusy] = useState<string | null>(null);
  const yearOptions = [...new Set([...(years.data?.items ?? []).map((y) => y.year), thisYear, thisYear + 1])].sort();
  const noData = q.isError && q.error instanceof ApiError && q.error.status === 404;

  const toggle = async (date: string) => {
    const sp = specials.get(date);
    const act = toggleAction(date, sp);
    setBusy(date);
    try {
      if (act.action === 'clear') await api.del(`/api/calendar/${year}/days/${date}`);
      else await api.put(`/api/calendar/${year}/days/${date}`, { isOffDay: act.isOffDay, name: sp?.name ?? (act.isOffDay ? '休息日（管理员调整）' : '调休上班（管理员调整）') });
      await qc.invalidateQueries({ queryKey: ['calendar', year] });
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      title={t('cal.title')}
      extra={<Select value={year} onChange={setYear} options={yearOptions.map((y) => ({ value: y, label: y }))} style={{ width: 110 }} data-testid="calendar-year" />}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        {(['work', 'rest', 'holiday', 'adjusted'] as const).map((k) => (
          <span key={k} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span className={`yw-cal-day ${k === 'work' ? '' : k}`} style={{ width: 22, display: 'inline-block', border: '1px solid #f0f0f0', cursor: 'default' }}>8</span>
            {t(k === 'work' ? 'cal.workday' : k === 'rest' ? 'cal.restday' : k === 'holiday' ? 'cal.holiday' : 'cal.adjusted')}
          </span>
        ))}
        <Typography.Text type="secondary">{t('cal.hint')}</Typography.Text>
        {q.data && <Typography.Text type="secondary">{q.data.source} · {formatDateTime(q.data.updatedAt)}</Typography.Text>}
      </Space>
      {noData && <Alert type="warning" showIcon title={t('cal.noData')} style={{ marginBottom: 12 }} data-testid="calendar-no-data" />}
      {q.isError && !noData && <Alert type="error" showIcon title={errorText(q.error, lang)} />}
      {q.data && (
        <Row gutter={[12, 12]} data-testid="calendar-grid">
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={m}>
              <div className="yw-cal-month">
                <div style={{ fontWeight: 600, marginBottom: 6 }}>{lang === 'en' ? new Date(Date.UTC(year, m - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' }) : `${m} 月`}</div>
                <div className="yw-cal-grid">
                  {(lang === 'en' ? WEEK_EN : WEEK_ZH).map((w, i) => <div key={i} className="yw-cal-head">{w}</div>)}
                  {monthGrid(year, m).map((d, i) => {
                    if (!d) return <div key={`b${i}`} />;
                    const sp = specials.get(d);
                    const kind = dayKind(d, sp);
                    const cls = kind === 'work' ? '' : kind;
                    return (
                      <Tooltip key={d} title={sp ? `${d} ${sp.name}` : d}>
                        <button
                          type="button"
                          className={`yw-cal-day ${cls}`}
                          onClick={() => toggle(d)}
                          disabled={busy !== null}
                          data-testid={`calendar-day-${d}`}
                          data-kind={kind}
                          aria-label={`${d} ${t(kind === 'work' ? 'cal.workday' : kind === 'rest' ? 'cal.restday' : kind === 'holiday' ? 'cal.holiday' : 'cal.adjusted')}`}
                        >
                          {Number(d.slice(8))}
                        </button>
                      </Tooltip>
                    );
                  })}
                </div>
              </div>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
