import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { formatFen, parseYuanToFen } from '../../lib/format';
import { FileSlot } from '../../components/FileUpload';
import { QueryView } from '../../components/Results';
import { tenderApi, useInvalidateTender, type AwardLot, type Tender, type Warning } from './api';
import { AnswerBox, BjTime, LotStatusTag, Warnings } from './parts';
import { RetenderModal } from './RetenderModal';
import { bjTextToIso } from './time';
import { finalCandidates } from '../negotiation/ranking';
import { NEGOTIATING_PROCEDURES, useNegotiation } from '../negotiation/api';

// The lot machine's allowed sources (apps/server/src/modules/tendering/tendering.machine.ts): no ending after the award.
const TERMINABLE = new Set(['draft', 'bidding', 'opening', 'negotiating', 'evaluation', 'publicity']);
const FAILABLE = new Set(['opening', 'negotiating', 'evaluation', 'publicity']);

type Refund = { id: string; bidderOrgId: string; amountFen: number; dueAt: string };

/** After the opening: evaluation result, candidate publicity, objections, award + notice, contract, performance, end. */
export function AwardPanel({ tender, lotNo }: { tender: Tender; lotNo: number }) {
  const key = ['tender-sub', tender.id, 'award', lotNo];
  const q = useQuery({ queryKey: key, queryFn: () => tenderApi.award(tender.id, lotNo), retry: false });
  return <QueryView query={q}>{(a) => <Award a={a} tender={tender} lotNo={lotNo} refetch={() => q.refetch()} />}</QueryView>;
}

function Award({ a, tender, lotNo, refetch }: { a: AwardLot; tender: Tender; lotNo: number; refetch: () => unknown }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const invalidate = useInvalidateTender(tender.id);
  const [warnings, setWarnings] = useState<Warning[]>([]);
  const [refunds, setRefunds] = useState<Refund[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [ending, setEnding] = useState<null | 'terminate' | 'fail'>(null);
  const [retender, setRetender] = useState(false);
  const openObjections = a.objections.filter((o) => o.status === 'open');
  const works = a.procedureType.startsWith('works');

  const run = async <R extends { warnings?: Warning[]; refunds?: Refund[] }>(step: string, body: unknown) => {
    setBusy(step);
    try {
      const r = await tenderApi.awardPost<R>(tender.id, lotNo, step, body);
      if (r?.warnings) setWarnings(r.warnings);
      if (r?.refunds) setRefunds(r.refunds);
      await Promise.all([refetch(), invalidate()]);
      message.success(t('common.saved'));
      return true;
    } catch (e) {
      message.error(errorText(e, lang));
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="award-panel" data-status={a.status}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('tn.status')}><LotStatusTag status={a.status} /></Descriptions.Item>
        <Descriptions.Item label={t('tn.refundRule')}>
          <Typography.Text style={{ fontSize: 12 }}>{t('tn.refundLosers', { n: a.refunds.losers.n, unit: a.refunds.losers.unit === 'day' ? t('tn.days') : t('tn.workdays') })}（{a.refunds.losers.basis}）</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Warnings warnings={[...a.warnings, ...warnings.filter((w) => !a.warnings.some((x) => x.code === w.code))]} />

      {!a.operator && <Alert type="info" showIcon title={t('tn.readOnly')} />}

      {/* 1. Evaluation result */}
      <Card size="small" title={t('tn.evaluation')}>
        {a.result ? (
          <>
            <Table size="small" pagination={false} rowKey="rank" dataSource={a.result.candidates} data-testid="candidate-list"
              columns={[
                { title: t('tn.rank'), dataIndex: 'rank', width: 56 },
                // Name with the price under it: three columns fit a phone without sideways scrolling.
                { title: `${t('tn.bidder')} / ${t('tn.price')}`, dataIndex: 'name', render: (v: string, c: { priceFen: number }) => <><div>{v}</div><Typography.Text type="secondary">{formatFen(c.priceFen)}</Typography.Text></> },
                { title: t('tn.score'), dataIndex: 'score', width: 72, render: (v: string | null) => v ?? '—' },
              ]} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('tn.reportReceived')} <BjTime at={a.result.reportReceivedAt} />
              {a.result.reportFileId && <> · <a href={`/api/files/${a.result.reportFileId}`} target="_blank" rel="noreferrer">{t('tn.report')}</a></>}
            </Typography.Text>
          </>
        ) : a.status === 'evaluation' && a.operator ? (
          <EvaluationForm tender={tender} lotNo={lotNo} busy={busy === 'evaluation-result'} onSubmit={(body) => run('evaluation-result', body)} />
        ) : (
          <Empty description={t('tn.noResult')} />
        )}
      </Card>

      {/* 2. Publicity (works, 条例 54) */}
      {works && a.result && (
        <Card size="small" title={t('tn.publicity')}>
          {a.publicity ? (
            <Space orientation="vertical" data-testid="publicity-info">
              <span><BjTime at={a.publicity.startsAt} /> — <BjTime at={a.publicity.endsAt} /></span>
              <Link to={`/announcements/${a.publicity.noticeId}`} data-testid="publicity-link">{t('tn.viewPublicity')}</Link>
            </Space>
          ) : a.operator && !a.award ? (
            <PublicityForm busy={busy === 'publicity'} onSubmit={(body) => run('publicity', body)} />
          ) : <Empty />}
        </Card>
      )}

      {/* 3. Objections to the result */}
      <Card size="small" title={t('tn.resultObjections')}>
        {a.objectionWindow && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="objection-window">
            {t('tn.objectionWindow')}：<BjTime at={a.objectionWindow.opensAt} /> — <BjTime at={a.objectionWindow.closesAt} />（{a.objectionWindow.basis}）
          </Typography.Paragraph>
        )}
        {openObjections.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="award-paused" title={t('tn.awardPaused')} />}
        {a.objections.length === 0 ? <Empty description={t('tn.noObjections')} /> : a.objections.map((o) => (
          <Card key={o.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="result-objection">
            <Space wrap size={6} style={{ marginBottom: 4 }}>
              <Tag>{t(o.kind === 'challenge' ? 'tn.challenge' : 'tn.objection')}</Tag>
              {o.objectorName && <Typography.Text>{o.objectorName}</Typography.Text>}
              {o.overdue && <Tag color="red">{t('tn.overdue')}</Tag>}
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{o.text}</Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tn.raisedAt')} <BjTime at={o.raisedAt} /> · {t('tn.answerDue')} <BjTime at={o.answerDueAt} /></Typography.Text>
            {o.answer ? <Alert style={{ marginTop: 8 }} type="success" title={t('tn.answer')} description={o.answer} /> : a.operator && (
              <div style={{ marginTop: 8 }}>
                <AnswerBox testId="result-objection-answer" button={t('tn.answerIt')} onSubmit={async (text) => {
                  const r = await tenderApi.answerAwardObjection(o.id, text);
                  if (r.late) message.warning(t('tn.answeredLate'));
                  await refetch();
                }} />
              </div>
            )}
          </Card>
        ))}
      </Card>

      {/* 4. Award and the notice of award */}
      {a.result && (
        <Card size="small" title={t('tn.award')}>
          {a.award ? (
            <Space orientation="vertical" size={6} data-testid="award-info">
              <Typography.Text>{t('tn.winner')}：<Typography.Text strong data-testid="award-winner">{a.award.winnerName}</Typography.Text>（{t('tn.rankN', { n: a.award.rank })}）· {formatFen(a.award.priceFen)}</Typography.Text>
              <Typography.Text type="secondary">{t('tn.awardedAt')} <BjTime at={a.award.awardedAt} /></Typography.Text>
              {a.award.noticeNo && <Typography.Text>{t('tn.noticeNo')}：{a.award.noticeNo}</Typography.Text>}
              {a.award.noticeSha256 && <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: a.award.noticeSha256 }}>SHA-256 {a.award.noticeSha256.slice(0, 16)}… · {t('tn.ledgerSeq')} {a.award.noticeLedgerSeq}</Typography.Text>}
              {a.award.contractDueAt && <Typography.Text>{t('tn.contractDue')}：<BjTime at={a.award.contractDueAt} testId="contract-due" /></Typography.Text>}
              <Space wrap>
                <a href={tenderApi.noticePdfUrl(tender.id, lotNo)} download data-testid="notice-pdf"><Button type="primary">{t('tn.downloadNotice')}</Button></a>
                {a.award.resultNoticeId && <Link to={`/announcements/${a.award.resultNoticeId}`} data-testid="result-notice-link">{t('tn.viewResult')}</Link>}
              </Space>
            </Space>
          ) : a.operator ? (
            <AwardForm a={a} paused={openObjections.length > 0} busy={busy === 'award'} onSubmit={(body) => run('award', body)} />
          ) : <Empty />}
          {refunds.length > 0 && (
            <Alert style={{ marginTop: 8 }} type="info" showIcon data-testid="refunds-created" title={t('tn.refundsCreated', { n: refunds.length })}
              description={refunds.map((r) => <div key={r.id}>{formatFen(r.amountFen)} · {t('tn.dueBy')} <BjTime at={r.dueAt} /></div>)} />
          )}
        </Card>
      )}

      {/* 5. Contract and performance */}
      {a.award && (
        <Card size="small" title={t('tn.contract')}>
          {a.contract ? (
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="contract-info">
              <Typography.Text>{formatFen(a.contract.valueFen)} · {t('tn.signedAt')} <BjTime at={a.contract.signedAt} /></Typography.Text>
              {a.contract.noticeId && <Link to={`/announcements/${a.contract.noticeId}`}>{t('tn.viewContractNotice')}</Link>}
              <Typography.Title level={5}>{t('tn.performance')}</Typography.Title>
              <Table size="small" pagination={false} rowKey="id" dataSource={a.contract.performance} data-testid="performance-list" scroll={{ x: 420 }}
                columns={[
                  { title: t('tn.perfKind'), dataIndex: 'kind', width: 90, render: (v: string) => t(v === 'payment' ? 'tn.payment' : 'tn.milestone') },
                  { title: t('tn.occurredOn'), dataIndex: 'occurredOn', width: 110 },
                  { title: t('tn.amount'), dataIndex: 'amountFen', width: 130, render: (v: number | null) => (v === null ? '—' : formatFen(v)) },
                  { title: t('tn.description'), dataIndex: 'description' },
                ]} />
              {a.operator && <PerformanceForm busy={busy === 'performance'} onSubmit={(body) => run('performance', body)} />}
            </Space>
          ) : a.operator ? (
            <ContractForm busy={busy === 'contract'} onSubmit={(body) => run('contract', body)} />
          ) : <Empty />}
        </Card>
      )}

      {/* 6. Termination / failure and re-tender */}
      {a.ending ? (
        <Alert type="error" showIcon data-testid="lot-ended" title={t(a.ending.kind === 'terminated' ? 'tn.terminated' : 'tn.lotFailed')}
          description={<>{a.ending.reason} · <BjTime at={a.ending.endedAt} />{a.ending.noticeId && <> · <Link to={`/announcements/${a.ending.noticeId}`}>{t('tn.viewNotice')}</Link></>}</>}
          action={a.retender ? <Link to={`/workbench/tenders/${a.retender.tenderId}`} data-testid="retender-link">{t('tn.viewRetender')}</Link> : a.operator && <Button danger onClick={() => setRetender(true)} data-testid="retender-open">{t('tn.retender')}</Button>} />
      ) : a.operator && TERMINABLE.has(a.status) && (
        <Space wrap>
          <Button danger onClick={() => setEnding('terminate')} data-testid="lot-terminate">{t('tn.terminate')}</Button>
          {FAILABLE.has(a.status) && <Button onClick={() => setEnding('fail')} data-testid="lot-fail">{t('tn.declareFailed')}</Button>}
        </Space>
      )}
      <EndModal kind={ending} onClose={() => setEnding(null)} busy={busy !== null} onSubmit={async (reason) => { if (await run(ending!, { reason })) setEnding(null); }} />
      <RetenderModal open={retender} onClose={() => setRetender(false)} tender={tender} lotNo={lotNo} onDone={refetch} />
    </Space>
  );
}

function EvaluationForm({ tender, lotNo, busy, onSubmit }: { tender: Tender; lotNo: number; busy: boolean; onSubmit: (b: unknown) => unknown }) {
  const { t } = useI18n();
  const room = useQuery({ queryKey: ['tender-sub', tender.id, 'room', lotNo], queryFn: () => tenderApi.room(tender.id, lotNo), retry: false });
  // Negotiation procedures: the suppliers still in, at their final (or agreed) prices, ranked (ADR 0017).
  const negotiated = useNegotiation(tender.id, lotNo, NEGOTIATING_PROCEDURES.has(tender.procedureType));
  const final = negotiated.data ? finalCandidates(negotiated.data) : null;
  const valid = final ?? (room.data?.bids ?? []).filter((b) => b.decryption === 'decrypted' || b.decryption === 'recovered');
  const [form] = Form.useForm<{ reportFileId: string; reportReceivedAt?: string; c: { bidderOrgId?: string; score?: number | null }[] }>();
  // Prefill the candidates with the final prices' order once they are known (the committee may change it).
  const firstFinal = final?.[0]?.bidder.orgId;
  useEffect(() => {
    if (final && !form.getFieldValue(['c', 0, 'bidderOrgId'])) form.setFieldsValue({ c: [0, 1, 2].map((i) => ({ bidderOrgId: final[i]?.bidder.orgId })) });
  }, [firstFinal]); // only when the first final-price supplier is known (or changes)
  return (
    <Form form={form} layout="vertical" data-testid="evaluation-form" initialValues={{ c: [{}, {}, {}] }}
      onFinish={(v) => onSubmit({
        reportFileId: v.reportFileId,
        reportReceivedAt: v.reportReceivedAt?.trim() ? bjTextToIso(v.reportReceivedAt) : undefined,
        candidates: v.c.map((c, i) => ({ rank: i + 1, bidderOrgId: c.bidderOrgId, score: c.score ?? null })).filter((c) => c.bidderOrgId),
      })}>
      <Typography.Paragraph type="secondary">{final ? t('ng.evaluationHint') : t('tn.evaluationHint')}</Typography.Paragraph>
      {[0, 1, 2].map((i) => (
        <Space key={i} wrap align="start" style={{ width: '100%' }}>
          <Form.Item name={['c', i, 'bidderOrgId']} label={t('tn.candidateN', { n: i + 1 })} rules={i === 0 ? [{ required: true, message: t('tn.required') }] : []} style={{ minWidth: 260 }}>
            <Select allowClear data-testid={`eval-candidate-${i}`} loading={room.isPending}
              options={valid.map((b) => ({ value: b.bidder.orgId, label: `${b.bidder.name}${b.priceFen !== null ? ` · ${formatFen(b.priceFen)}` : ''}` }))} />
          </Form.Item>
          <Form.Item name={['c', i, 'score']} label={t('tn.score')}>
            <InputNumber min={0} max={1000} step={0.01} data-testid={`eval-score-${i}`} />
          </Form.Item>
        </Space>
      ))}
      <Form.Item name="reportFileId" label={t('tn.report')} rules={[{ required: true, message: t('tn.required') }]}>
        <FileSlot testId="eval-report" />
      </Form.Item>
      <Form.Item name="reportReceivedAt" label={t('tn.reportReceived')} extra={t('tn.nowIfEmpty')}
        rules={[{ validator: (_, v?: string) => (!v?.trim() || bjTextToIso(v) ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
        <Input placeholder="2026-09-25 16:00" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="eval-submit">{t('tn.saveResult')}</Button>
    </Form>
  );
}

function PublicityForm({ busy, onSubmit }: { busy: boolean; onSubmit: (b: unknown) => unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ days?: number; note?: string }>();
  return (
    <Form form={form} layout="vertical" onFinish={(v) => onSubmit({ days: v.days ?? undefined, note: v.note?.trim() || undefined })} data-testid="publicity-form">
      <Typography.Paragraph type="secondary">{t('tn.publicityHint')}</Typography.Paragraph>
      <Form.Item name="days" label={t('tn.publicityDays')}><InputNumber min={1} max={30} data-testid="publicity-days" /></Form.Item>
      <Form.Item name="note" label={t('tn.note')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="publicity-submit">{t('tn.publishPublicity')}</Button>
    </Form>
  );
}

function AwardForm({ a, paused, busy, onSubmit }: { a: AwardLot; paused: boolean; busy: boolean; onSubmit: (b: unknown) => unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ winnerOrgId?: string; reason?: string }>();
  const first = a.result?.candidates.find((c) => c.rank === 1);
  const winner = Form.useWatch('winnerOrgId', form);
  return (
    <Form form={form} layout="vertical" initialValues={{ winnerOrgId: first?.bidderOrgId }} data-testid="award-form"
      onFinish={(v) => onSubmit({ winnerOrgId: v.winnerOrgId, reason: v.reason?.trim() || undefined })}>
      <Form.Item name="winnerOrgId" label={t('tn.winner')}>
        <Select data-testid="award-winner-select" options={(a.result?.candidates ?? []).map((c) => ({ value: c.bidderOrgId, label: `${t('tn.rankN', { n: c.rank })} ${c.name}` }))} />
      </Form.Item>
      {winner && winner !== first?.bidderOrgId && (
        <Form.Item name="reason" label={t('tn.awardReason')} rules={[{ required: true, message: t('tn.required') }]} extra={t('tn.awardReasonHint')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={busy} disabled={paused} data-testid="award-submit">{t('tn.doAward')}</Button>
    </Form>
  );
}

function ContractForm({ busy, onSubmit }: { busy: boolean; onSubmit: (b: unknown) => unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ fileId: string; publicFileId?: string; value: string; signedAt: string; periodStart?: string; periodEnd?: string }>();
  const day = (v?: string) => (!v?.trim() || /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('tn.badDay'))));
  return (
    <Form form={form} layout="vertical" data-testid="contract-form"
      onFinish={(v) => onSubmit({ fileId: v.fileId, publicFileId: v.publicFileId || undefined, valueFen: parseYuanToFen(v.value), signedAt: bjTextToIso(v.signedAt), periodStart: v.periodStart?.trim() || undefined, periodEnd: v.periodEnd?.trim() || undefined })}>
      <Form.Item name="fileId" label={t('tn.contractFile')} rules={[{ required: true, message: t('tn.required') }]}><FileSlot testId="contract-file" /></Form.Item>
      <Form.Item name="publicFileId" label={t('tn.contractPublicFile')} extra={t('tn.contractPublicHint')}><FileSlot testId="contract-public-file" /></Form.Item>
      <Form.Item name="value" label={t('tn.contractValue')} rules={[{ validator: (_, v: string) => (parseYuanToFen(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('tn.badYuan')))) }]}>
        <Input prefix="¥" inputMode="decimal" data-testid="contract-value" />
      </Form.Item>
      <Form.Item name="signedAt" label={t('tn.signedAt')} rules={[{ validator: (_, v: string) => (bjTextToIso(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
        <Input placeholder="2026-10-10 10:00" data-testid="contract-signed" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="periodStart" label={t('tn.periodStart')} rules={[{ validator: (_, v) => day(v) }]}><Input placeholder="2026-10-15" /></Form.Item>
        <Form.Item name="periodEnd" label={t('tn.periodEnd')} rules={[{ validator: (_, v) => day(v) }]}><Input placeholder="2027-10-14" /></Form.Item>
      </Space>
      <div><Button type="primary" htmlType="submit" loading={busy} data-testid="contract-submit">{t('tn.publishContract')}</Button></div>
    </Form>
  );
}

function PerformanceForm({ busy, onSubmit }: { busy: boolean; onSubmit: (b: unknown) => Promise<boolean> | unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ kind: 'payment' | 'milestone'; occurredOn: string; amount?: string; description: string }>();
  return (
    <Form form={form} layout="vertical" initialValues={{ kind: 'payment' }} data-testid="performance-form"
      onFinish={async (v) => {
        const ok = await onSubmit({ kind: v.kind, occurredOn: v.occurredOn.trim(), amountFen: v.amount?.trim() ? parseYuanToFen(v.amount) : undefined, description: v.description.trim() });
        if (ok) form.resetFields();
      }}>
      <Space wrap align="start">
        <Form.Item name="kind" label={t('tn.perfKind')}><Select style={{ width: 120 }} options={[{ value: 'payment', label: t('tn.payment') }, { value: 'milestone', label: t('tn.milestone') }]} /></Form.Item>
        <Form.Item name="occurredOn" label={t('tn.occurredOn')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('tn.badDay') }]}><Input placeholder="2026-11-01" style={{ width: 140 }} data-testid="perf-date" /></Form.Item>
        <Form.Item name="amount" label={t('tn.amount')}><Input prefix="¥" style={{ width: 160 }} data-testid="perf-amount" /></Form.Item>
      </Space>
      <Form.Item name="description" label={t('tn.description')} rules={[{ required: true, whitespace: true, message: t('tn.required') }]}><Input maxLength={1000} data-testid="perf-description" /></Form.Item>
      <Button htmlType="submit" loading={busy} data-testid="performance-submit">{t('tn.addPerformance')}</Button>
    </Form>
  );
}

function EndModal({ kind, onClose, busy, onSubmit }: { kind: null | 'terminate' | 'fail'; onClose: () => void; busy: boolean; onSubmit: (reason: string) => unknown }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <Modal open={!!kind} title={t(kind === 'terminate' ? 'tn.terminate' : 'tn.declareFailed')} onCancel={onClose} confirmLoading={busy}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2, 'data-testid': 'end-ok' } as never} onOk={() => onSubmit(reason.trim())}>
      <Typography.Paragraph type="secondary">{t(kind === 'terminate' ? 'tn.terminateHint' : 'tn.failHint')}</Typography.Paragraph>
      <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} data-testid="end-reason" />
    </Modal>
  );
}
