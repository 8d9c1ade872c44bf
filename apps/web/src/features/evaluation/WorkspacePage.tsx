import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Grid, Input, Popconfirm, Radio, Space, Steps, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatFen } from '../../lib/format';
import { errorText } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { evalApi, scoreProblem, sha256Hex, useWorkspace, type TemplateItem, type Workspace } from './api';

const STAGES = ['review', 'scoring', 'flags', 'report', 'signed'] as const;

/**
 * 评标工作台 (ADR 0020): one committee member's view of a lot — qualification review, own scores (the others' stay
 * sealed until one's own are submitted), deviation flags, results, and the report PDF whose SHA-256 is checked in the
 * browser before signing. The server decides membership; a non-member sees its refusal.
 */
export default function WorkspacePage() {
  const { lotId = '' } = useParams();
  const { t } = useI18n();
  const q = useWorkspace(lotId);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="ev-workspace">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('ev.workspace')}</Typography.Title>
      <QueryView query={q}>{(w) => <Body w={w} />}</QueryView>
    </Space>
  );
}

function useRun(lotId: string) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      message.success(t('ev.saved'));
      return true;
    } catch (e) {
      message.error(errorText(e, lang));
      return false;
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: ['evaluation', lotId] });
    }
  };
  return { run, busy };
}

function Body({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const current = STAGES.indexOf(w.stage as (typeof STAGES)[number]);
  return (
    <>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('ev.stage')}><Tag color="blue" data-testid="ev-stage" data-stage={w.stage}>{t(`ev.stage.${w.stage}` as DictKey)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('ev.seat')}><span data-testid="ev-my-seat">{w.me.seat}</span>{w.me.chair && <Tag color="purple" style={{ marginLeft: 8 }}>{t('ev.chair')}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t('ev.memberProgress')}>
            <Space size={4} wrap data-testid="ev-members">
              {w.members.map((m) => (
                <Tag key={m.seat} color={m.signed ? 'green' : m.submitted ? 'cyan' : m.reviewed ? 'blue' : 'default'}>
                  {m.seat}{m.name ? ` ${m.name}` : ''}{m.chair ? '★' : ''}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
        {/* On a phone the stage tag says enough; five vertical steps would push the work below the fold. */}
        {screens.md !== false && (
          <Steps size="small" current={current} status={w.stage === 'signed' ? 'finish' : 'process'} style={{ marginTop: 12 }} items={STAGES.map((s) => ({ title: t(`ev.stage.${s}` as DictKey) }))} />
        )}
      </Card>
      {w.stage === 'review' && <Review w={w} />}
      {w.stage === 'scoring' && <Scoring w={w} />}
      {w.stage === 'flags' && <Flags w={w} />}
      {w.results.length > 0 && <Results w={w} />}
      {(w.stage === 'report' || w.stage === 'signed') && <Report w={w} />}
    </>
  );
}

const bidderOf = (w: Workspace, bidId: string) => w.bids.find((b) => b.bidId === bidId)?.bidderName ?? bidId.slice(0, 8);

function Review({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const { run, busy } = useRun(w.lotId);
  const [draft, setDraft] = useState<Record<string, { pass?: boolean; reason: string }>>(() =>
    Object.fromEntries(w.myReviews.map((r) => [r.bidId, { pass: r.pass, reason: r.reason ?? '' }])),
  );
  const set = (bidId: string, v: Partial<{ pass: boolean; reason: string }>) => setDraft((d) => ({ ...d, [bidId]: { reason: '', ...d[bidId], ...v } }));
  const incomplete = w.bids.some((b) => draft[b.bidId]?.pass === undefined || (draft[b.bidId]?.pass === false && draft[b.bidId]!.reason.trim().length < 2));
  const save = () => run(async () => {
    for (const b of w.bids) {
      const d = draft[b.bidId]!;
      await evalApi.review(w.lotId, b.bidId, d.pass!, d.pass ? null : d.reason.trim());
    }
  });
  if (w.me.reviewed) return <Alert type="success" showIcon title={t('ev.reviewSubmitted')} data-testid="ev-review-done" />;
  const editor = (b: Workspace['bids'][number], i: number) => {
    const d = draft[b.bidId];
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group value={d?.pass} onChange={(e) => set(b.bidId, { pass: e.target.value })} data-testid={`ev-review-${i}`}>
          <Radio.Button value={true}><span data-testid={`ev-review-${i}-pass`}>{t('ev.pass')}</span></Radio.Button>
          <Radio.Button value={false}><span data-testid={`ev-review-${i}-fail`}>{t('ev.fail')}</span></Radio.Button>
        </Radio.Group>
        {d?.pass === false && (
          <Input.TextArea rows={2} value={d.reason} onChange={(e) => set(b.bidId, { reason: e.target.value })} placeholder={t('ev.reasonRequired')} status={d.reason.trim().length < 2 ? 'warning' : undefined} data-testid={`ev-review-${i}-reason`} />
        )}
      </Space>
    );
  };
  return (
    <Card title={t('ev.reviewTitle')} size="small" data-testid="ev-review">
      <ResponsiveList
        data={w.bids.map((b, i) => ({ ...b, i }))}
        rowKey={(b) => b.bidId}
        itemTestId="ev-review-bid"
        columns={[
          { title: t('ev.bidder'), dataIndex: 'bidderName' },
          { title: t('ev.price'), render: (_, b) => formatFen(b.priceFen) },
          { title: t('ev.reviewTitle'), render: (_, b) => editor(b, b.i) },
        ]}
        card={(b) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{b.bidderName}</Typography.Text>
            <span>{t('ev.price')}：{formatFen(b.priceFen)}</span>
            {editor(b, b.i)}
          </Space>
        )}
      />
      <Space wrap style={{ marginTop: 12 }}>
        <Button disabled={incomplete} loading={busy} onClick={save} data-testid="ev-review-save">{t('ev.saveReview')}</Button>
        <Button type="primary" disabled={incomplete} loading={busy} onClick={() => run(async () => { await save(); await evalApi.submitReview(w.lotId); })} data-testid="ev-review-submit">
          {t('ev.submitReview')}
        </Button>
      </Space>
    </Card>
  );
}

function Scoring({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const { run, busy } = useRun(w.lotId);
  const items: TemplateItem[] = w.template?.method === 'comprehensive' ? w.template.items : [];
  // Bids that failed the committee's (majority) review are not scored.
  const bids = useMemo(() => w.bids.filter((b) => b.qualified !== false), [w.bids]);
  const key = (bidId: string, item: string) => `${bidId}/${item}`;
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(w.myScores.map((s) => [key(s.bidId, s.item), s.score])));
  useEffect(() => setDraft(Object.fromEntries(w.myScores.map((s) => [key(s.bidId, s.item), s.score]))), [w.myScores]);
  const problems = useMemo(() => {
    const p: Record<string, 'format' | 'range' | null> = {};
    for (const b of bids) for (const it of items) {
      const v = draft[key(b.bidId, it.code)];
      p[key(b.bidId, it.code)] = v == null || v === '' ? 'format' : scoreProblem(v, it);
    }
    return p;
  }, [draft, bids, items]);
  const filled = Object.values(problems).every((x) => x === null);
  const entered = Object.entries(draft).filter(([k, v]) => v !== '' && problems[k] === null);
  const save = () => evalApi.scores(w.lotId, entered.map(([k, score]) => { const [bidId, item] = k.split('/') as [string, string]; return { bidId, item, score: score.trim() }; }));
  if (w.me.submitted) {
    return (
      <Card title={t('ev.scoringTitle')} size="small">
        <Alert type="success" showIcon title={t('ev.scoresSubmitted')} data-testid="ev-scores-done" />
        <MyScores w={w} />
      </Card>
    );
  }
  if (!items.length) return <Alert type="info" title={t('ev.lowestPrice')} />;
  return (
    <Card title={t('ev.scoringTitle')} size="small" data-testid="ev-scoring">
      <Alert type="info" showIcon title={t('ev.scoreHint')} style={{ marginBottom: 12 }} />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {bids.map((b, bi) => (
          <Card key={b.bidId} size="small" type="inner" title={`${b.bidderName} · ${formatFen(b.priceFen)}`} data-testid="ev-score-bid">
            {items.map((it) => {
              const k = key(b.bidId, it.code);
              const pr = draft[k] ? problems[k] : null;
              return (
                <div key={it.code} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 8 }}>
                  <span style={{ minWidth: 140, flex: '1 1 140px' }}>{it.name} <Typography.Text type="secondary">（{it.min}–{it.max}）</Typography.Text></span>
                  <Input style={{ width: 120 }} inputMode="decimal" value={draft[k] ?? ''} status={pr ? 'error' : undefined}
                    onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))} data-testid={`ev-score-${bi}-${it.code}`} />
                  {pr && <Typography.Text type="danger">{t(pr === 'format' ? 'ev.scoreFormat' : 'ev.scoreRange')}</Typography.Text>}
                </div>
              );
            })}
          </Card>
        ))}
      </Space>
      <Space wrap style={{ marginTop: 12 }}>
        <Button disabled={!entered.length} loading={busy} onClick={() => run(save)} data-testid="ev-scores-save">{t('ev.saveScores')}</Button>
        <Popconfirm title={t('ev.submitScoresConfirm')} disabled={!filled} onConfirm={() => run(async () => { await save(); await evalApi.submitScores(w.lotId); })} okButtonProps={{ 'data-testid': 'ev-scores-submit-ok' } as never}>
          <Button type="primary" disabled={!filled} loading={busy} data-testid="ev-scores-submit">{t('ev.submitScores')}</Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}

function MyScores({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const names = new Map((w.template?.method === 'comprehensive' ? w.template.items : []).map((i) => [i.code, i.name]));
  return (
    <Table size="small" style={{ marginTop: 12 }} pagination={false} rowKey={(s) => `${s.bidId}/${s.item}`} data-testid="ev-my-scores" scroll={{ x: true }}
      dataSource={w.myScores}
      columns={[
        { title: t('ev.bidder'), render: (_, s) => bidderOf(w, s.bidId) },
        { title: t('ev.item'), render: (_, s) => names.get(s.item) ?? s.item },
        { title: t('ev.myScore'), dataIndex: 'score' },
      ]} />
  );
}

function Flags({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const itemName = new Map((w.template?.method === 'comprehensive' ? w.template.items : []).map((i) => [i.code, i.name]));
  const { run, busy } = useRun(w.lotId);
  const [edit, setEdit] = useState<Record<string, { action: 'confirm' | 'correct'; score: string; note: string }>>({});
  const open = w.myFlags.filter((f) => f.status === 'open');
  if (!open.length) return <Alert type="info" showIcon title={t('ev.scoresSubmitted')} data-testid="ev-flags-none" />;
  return (
    <Card title={t('ev.flagsTitle')} size="small" data-testid="ev-flags">
      <Alert type="warning" showIcon title={t('ev.flagHint')} style={{ marginBottom: 12 }} />
      <Space orientation="vertical" style={{ width: '100%' }}>
        {open.map((f, i) => {
          const k = `${f.bidId}/${f.item}`;
          const e = edit[k] ?? { action: 'confirm' as const, score: f.score, note: '' };
          const set = (v: Partial<typeof e>) => setEdit((d) => ({ ...d, [k]: { ...e, ...v } }));
          return (
            <Card key={k} size="small" type="inner" data-testid="ev-flag" title={`${bidderOf(w, f.bidId)} · ${itemName.get(f.item) ?? f.item}`}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <span>{t('ev.myScore')}：<b>{f.score}</b>{'\u3000'}{t('ev.mean')}：{f.mean}</span>
                <Radio.Group value={e.action} onChange={(x) => set({ action: x.target.value })}>
                  <Radio value="confirm" data-testid={`ev-flag-${i}-confirm`}>{t('ev.keep')}</Radio>
                  <Radio value="correct" data-testid={`ev-flag-${i}-correct`}>{t('ev.correct')}</Radio>
                </Radio.Group>
                {e.action === 'correct' && <Input style={{ width: 120 }} value={e.score} onChange={(x) => set({ score: x.target.value })} data-testid={`ev-flag-${i}-score`} />}
                <Input.TextArea rows={2} value={e.note} onChange={(x) => set({ note: x.target.value })} placeholder={t('ev.note')} data-testid={`ev-flag-${i}-note`} />
                <Button type="primary" loading={busy} disabled={e.note.trim().length < 2} data-testid={`ev-flag-${i}-submit`}
                  onClick={() => run(() => evalApi.resolveFlag(w.lotId, { bidId: f.bidId, item: f.item, action: e.action, score: e.action === 'correct' ? e.score.trim() : undefined, note: e.note.trim() }))}>
                  {t('ev.flagSubmit')}
                </Button>
              </Space>
            </Card>
          );
        })}
      </Space>
    </Card>
  );
}

function Results({ w }: { w: Workspace }) {
  const { t } = useI18n();
  type R = Workspace['results'][number];
  return (
    <Card title={t('ev.results')} size="small">
      <ResponsiveList<R>
        data={w.results}
        rowKey={(r) => r.bidId}
        testId="ev-results"
        itemTestId="ev-result"
        columns={[
          { title: t('ev.rank'), render: (_, r) => r.rank ?? '—' },
          { title: t('ev.bidder'), render: (_, r) => bidderOf(w, r.bidId) },
          { title: t('ev.price'), render: (_, r) => formatFen(r.priceFen) },
          { title: t('ev.total'), render: (_, r) => (r.qualified ? r.total : <Tag>{t('ev.notQualified')}</Tag>) },
        ]}
        card={(r) => (
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <span><b>{r.rank ?? '—'}</b>{'\u3000'}{bidderOf(w, r.bidId)}</span>
            <span>{r.qualified ? r.total : <Tag>{t('ev.notQualified')}</Tag>}</span>
          </Space>
        )}
      />
    </Card>
  );
}

function Report({ w }: { w: Workspace }) {
  const { t } = useI18n();
  const { run, busy } = useRun(w.lotId);
  const [local, setLocal] = useState<string | null>(null);
  if (!w.report) return <Alert type="info" showIcon title={t('ev.reportWaiting')} data-testid="ev-report-waiting" />;
  const report = w.report;
  const download = async () => {
    const res = await fetch(`/api/files/${report.fileId}`, { credentials: 'same-origin' });
    const bytes = await res.arrayBuffer();
    setLocal(await sha256Hex(bytes));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    a.download = `evaluation-report-${report.sha256.slice(0, 12)}.pdf`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const allSigned = w.members.every((m) => m.signed);
  return (
    <Card title={t('ev.reportTitle')} size="small" data-testid="ev-report">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <div>
          <Typography.Text type="secondary">{t('ev.sha')}</Typography.Text>
          <Typography.Paragraph copyable code style={{ wordBreak: 'break-all', margin: 0 }} data-testid="ev-report-sha">{report.sha256}</Typography.Paragraph>
        </div>
        <Button onClick={download} data-testid="ev-report-download">{t('ev.download')}</Button>
        {local && (
          <Alert type={local === report.sha256 ? 'success' : 'error'} showIcon data-testid="ev-report-check" data-match={String(local === report.sha256)}
            title={local === report.sha256 ? t('ev.shaMatch') : t('ev.shaMismatch')} description={<span style={{ wordBreak: 'break-all' }}>{t('ev.shaLocal')}：{local}</span>} />
        )}
        {w.me.signed ? (
          <Alert type="success" showIcon title={allSigned ? t('ev.handedOver') : t('ev.signed')} data-testid="ev-signed" />
        ) : (
          <>
            <Typography.Text type="secondary">{t('ev.signHint')}</Typography.Text>
            <Button type="primary" disabled={local !== report.sha256} loading={busy} onClick={() => run(() => evalApi.sign(w.lotId, report.sha256))} data-testid="ev-sign">{t('ev.sign')}</Button>
          </>
        )}
      </Space>
    </Card>
  );
}
