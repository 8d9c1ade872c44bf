// The agency's (or purchaser's) negotiation panel on the tender workbench: suppliers and their status, rounds with
// written minutes, change notices with who acknowledged them, eliminations, the call for sealed final offers and,
// after the deadline, the offers ranked; for single source the agreed price and the objections to the publicity.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { errorText } from '../../lib/problem';
import { formatFen, parseYuanToFen } from '../../lib/format';
import { FileSlot } from '../../components/FileUpload';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { BjTime, LotStatusTag } from '../tendering/parts';
import { useDescLayout } from '../bidding/parts';
import { bjTextToIso } from '../tendering/time';
import type { Tender } from '../tendering/api';
import { negApi, negKey, useNegotiation, useObjections, type NegFinalOffer, type Negotiation, type NegParticipant } from './api';

const STAGE_COLORS: Record<string, string> = { rounds: 'processing', final_offers: 'purple', decrypting: 'purple', agreement: 'gold', concluded: 'success', failed: 'error', ended: 'default' };
const PS_COLORS: Record<string, string> = { active: 'processing', final: 'success', agreed: 'success', eliminated: 'error', withdrawn: 'default', no_final_offer: 'default', not_decrypted: 'error', over_budget: 'warning' };

export function useNgText() {
  const { t } = useI18n();
  return (key: string) => {
    const text = t(key as DictKey);
    return text === key ? key.split('.').pop()! : text;
  };
}

export function StageTag({ stage }: { stage: string }) {
  const tx = useNgText();
  return <Tag color={STAGE_COLORS[stage] ?? 'default'} data-testid="ng-stage" data-stage={stage}>{tx(`ng.stage.${stage}`)}</Tag>;
}

export function ParticipantTag({ status }: { status: string }) {
  const tx = useNgText();
  return <Tag color={PS_COLORS[status] ?? 'default'} data-testid="ng-participant-status" data-status={status}>{tx(`ng.ps.${status}`)}</Tag>;
}

export function NegotiationPanel({ tender, lotNo }: { tender: Tender; lotNo: number }) {
  const q = useNegotiation(tender.id, lotNo);
  const { t } = useI18n();
  const lot = tender.lots.find((l) => l.lotNo === lotNo);
  if (q.isError && lot && ['draft', 'bidding', 'opening'].includes(lot.status)) return <Empty description={t('ng.notStarted')} data-testid="ng-not-started" />;
  return <QueryView query={q}>{(n) => <Panel n={n} tender={tender} />}</QueryView>;
}

function Panel({ n, tender }: { n: Negotiation; tender: Tender }) {
  const { t, lang } = useI18n();
  const tx = useNgText();
  const desc = useDescLayout();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const single = n.kind === 'single_source';
  const active = n.participants.filter((p) => p.status === 'active');
  const op = n.operator && n.lotStatus === 'negotiating';

  const run = async (step: string, body: unknown) => {
    setBusy(step);
    try {
      await negApi.post(n.tenderId, n.lotNo, step, body);
      await qc.invalidateQueries({ queryKey: negKey(n.tenderId, n.lotNo) });
      await qc.invalidateQueries({ queryKey: ['tender'] });
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
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="negotiation-panel" data-stage={n.stage}>
      <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('ng.stage')}><Space size={4} wrap><Tag>{tx(`ng.kind.${n.kind}`)}</Tag><StageTag stage={n.stage} /><LotStatusTag status={n.lotStatus} /></Space></Descriptions.Item>
        <Descriptions.Item label={t('ng.startedAt')}><BjTime at={n.startedAt} /></Descriptions.Item>
        <Descriptions.Item label={t('ng.budget')}>{formatFen(n.budgetFen)}</Descriptions.Item>
        <Descriptions.Item label={t('ng.minimum')}>
          <Typography.Text>{n.minFinalOffers.value}</Typography.Text>{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.minimumException ? `${n.minimumException.zh}（${n.minimumException.basis}）` : n.minFinalOffers.basis}</Typography.Text>
        </Descriptions.Item>
        {n.finalCall && <Descriptions.Item label={t('ng.deadline')}><BjTime at={n.finalCall.deadline} testId="ng-deadline" /></Descriptions.Item>}
        {n.finalCall?.decryptionEndsAt && <Descriptions.Item label={t('ng.decryptionEnds')}><BjTime at={n.finalCall.decryptionEndsAt} /></Descriptions.Item>}
        {n.priceWeightPercent !== null && <Descriptions.Item label={t('ng.priceWeight')}>{n.priceWeightPercent}</Descriptions.Item>}
      </Descriptions>
      {n.failedReason && <Alert type="error" showIcon title={t('ng.failedReason')} description={n.failedReason} data-testid="ng-failed" />}
      {!n.operator && <Alert type="info" showIcon title={t('tn.readOnly')} />}

      <Card size="small" title={t('ng.participants')}>
        <ResponsiveList<NegParticipant>
          data={n.participants}
          rowKey={(p) => p.orgId}
          testId="ng-participants"
          itemTestId="ng-participant"
          columns={[
            { title: t('ng.supplier'), dataIndex: 'name', key: 'name' },
            { title: t('ng.status'), key: 'status', width: 170, render: (_: unknown, p: NegParticipant) => <><ParticipantTag status={p.status} />{p.statusReason && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.statusReason}</Typography.Text></div>}</> },
            { title: t('ng.rounds'), dataIndex: 'rounds', key: 'rounds', width: 64 },
            { title: t('ng.firstPrice'), dataIndex: 'firstPriceFen', key: 'first', width: 140, align: 'right' as const, render: (v: number) => formatFen(v) },
            { title: t('ng.finalPrice'), dataIndex: 'finalPriceFen', key: 'final', width: 140, align: 'right' as const, render: (v: number | null) => formatFen(v) },
          ]}
          card={(p) => (
            <Space orientation="vertical" size={2}>
              <Typography.Text strong>{p.name}</Typography.Text>
              <Space size={4} wrap><ParticipantTag status={p.status} /><Typography.Text type="secondary">{t('ng.rounds')} {p.rounds}</Typography.Text></Space>
              <Typography.Text type="secondary">{t('ng.firstPrice')} {formatFen(p.firstPriceFen)} · {t('ng.finalPrice')} {formatFen(p.finalPriceFen)}</Typography.Text>
              {p.statusReason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.statusReason}</Typography.Text>}
            </Space>
          )}
        />
      </Card>

      <Card size="small" title={t('ng.minutes')}>
        {n.rounds.length === 0 ? <Empty description={t('ng.noRounds')} /> : (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="ng-rounds">
            {n.rounds.map((r) => (
              <Card key={r.id} size="small" type="inner" data-testid="ng-round" title={<Space wrap size={6}><Tag>{t('ng.roundN', { n: r.roundNo })}</Tag><span style={{ whiteSpace: 'normal' }}>{r.bidderName}</span></Space>}>
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>{t('ng.heldAt')} <BjTime at={r.heldAt} /></Typography.Text>
                {r.minutesText && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{r.minutesText}</Typography.Paragraph>}
                {r.minutesFileId && <a href={`/api/files/${r.minutesFileId}`} target="_blank" rel="noreferrer">{t('ng.minutesFile')}</a>}
              </Card>
            ))}
          </Space>
        )}
        {op && (n.stage === 'rounds') && active.length > 0 && <RoundForm n={n} active={active} busy={busy === 'rounds'} onSubmit={(b) => run('rounds', b)} />}
      </Card>

      {!single && (
        <Card size="small" title={t('ng.changes')}>
          {n.changes.length === 0 ? <Empty description={t('ng.noChanges')} /> : n.changes.map((c) => (
            <Card key={c.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="ng-change" title={t('ng.changeN', { n: c.seq })}>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}><BjTime at={c.issuedAt} /></Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Paragraph>
              {c.fileId && <a href={`/api/files/${c.fileId}`} target="_blank" rel="noreferrer">{t('ng.changeFile')}</a>}
              <Space wrap size={4}>
                {c.recipients.map((r) => <Tag key={r.orgId} color={r.acknowledgedAt ? 'green' : 'default'}>{r.name} · {r.acknowledgedAt ? t('ng.acknowledged') : t('ng.notAcknowledged')}</Tag>)}
              </Space>
            </Card>
          ))}
          {op && n.stage === 'rounds' && <ChangeForm busy={busy === 'changes'} onSubmit={(b) => run('changes', b)} />}
        </Card>
      )}

      {!single && op && n.stage === 'rounds' && active.length > 0 && (
        <Card size="small" title={t('ng.eliminate')}>
          <EliminateForm active={active} busy={busy === 'eliminations'} onSubmit={(b) => run('eliminations', b)} />
        </Card>
      )}

      {!single && (
        <Card size="small" title={t('ng.finalOffers')} data-testid="ng-final-card">
          {n.finalOffersSealed && n.finalCall && <Alert type="info" showIcon data-testid="ng-sealed" title={t('ng.sealedUntil')} description={<BjTime at={n.finalCall.deadline} />} />}
          {n.finalOffers.length > 0 && (
            <>
              <ResponsiveList<NegFinalOffer>
                data={[...n.finalOffers].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))}
                rowKey={(o) => o.orgId}
                testId="ng-final-offers"
                itemTestId="ng-final-offer"
                columns={[
                  { title: t('ng.rank'), dataIndex: 'rank', key: 'rank', width: 56, render: (v: number | null) => v ?? '—' },
                  { title: t('ng.supplier'), dataIndex: 'name', key: 'name' },
                  { title: t('ng.finalPrice'), dataIndex: 'priceFen', key: 'price', width: 140, align: 'right' as const, render: (v: number | null) => formatFen(v) },
                  ...(n.kind === 'consultation' ? [{ title: t('ng.priceScore'), dataIndex: 'priceScore', key: 'score', width: 90, render: (v: number | null) => v ?? '—' }] : []),
                  { title: t('ng.decryption'), dataIndex: 'decryption', key: 'dec', width: 100, render: (v: string) => tx(`ng.dec.${v}`) },
                  { title: t('ng.status'), dataIndex: 'status', key: 'status', width: 150, render: (v: string) => <ParticipantTag status={v} /> },
                ]}
                card={(o) => (
                  <Space orientation="vertical" size={2}>
                    <Typography.Text strong>{o.rank ? `${o.rank}. ` : ''}{o.name}</Typography.Text>
                    <Typography.Text>{formatFen(o.priceFen)}{o.priceScore !== null && ` · ${t('ng.priceScore')} ${o.priceScore}`}</Typography.Text>
                    <Space size={4} wrap><Tag>{tx(`ng.dec.${o.decryption}`)}</Tag><ParticipantTag status={o.status} /></Space>
                  </Space>
                )}
              />
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>{t('ng.rankingHint')}</Typography.Paragraph>
            </>
          )}
          {op && n.stage === 'rounds' && <CallForm n={n} busy={busy === 'final-offers/call'} onSubmit={(b) => run('final-offers/call', b)} />}
          {!n.finalCall && !(op && n.stage === 'rounds') && <Empty />}
        </Card>
      )}

      {single && <AgreementCard n={n} op={op} busy={busy === 'agreement'} onSubmit={(b) => run('agreement', b)} />}
      {single && <ObjectionsCard tenderId={tender.id} operator={n.operator} />}
    </Space>
  );
}

function RoundForm({ n, active, busy, onSubmit }: { n: Negotiation; active: NegParticipant[]; busy: boolean; onSubmit: (b: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ roundNo: number; bidderOrgId: string; minutesText?: string; minutesFileId?: string }>();
  const highest = n.rounds.reduce((m, r) => Math.max(m, r.roundNo), 0);
  return (
    <Form form={form} layout="vertical" style={{ marginTop: 12 }} data-testid="ng-round-form" initialValues={{ roundNo: Math.max(1, highest) }}
      onFinish={async (v) => { if (await onSubmit({ roundNo: v.roundNo, bidderOrgId: v.bidderOrgId, minutesText: v.minutesText?.trim() || undefined, minutesFileId: v.minutesFileId || undefined })) form.resetFields(['minutesText', 'minutesFileId']); }}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ng.minutesHint')}</Typography.Paragraph>
      <Space wrap align="start">
        <Form.Item name="roundNo" label={t('ng.roundNo')} rules={[{ required: true }]}><InputNumber min={1} max={highest + 1} precision={0} data-testid="ng-round-no" /></Form.Item>
        <Form.Item name="bidderOrgId" label={t('ng.supplier')} rules={[{ required: true, message: t('tn.required') }]} style={{ minWidth: 240 }}>
          <Select data-testid="ng-round-supplier" options={active.map((p) => ({ value: p.orgId, label: p.name }))} />
        </Form.Item>
      </Space>
      <Form.Item name="minutesText" label={t('ng.minutesText')}><Input.TextArea rows={3} maxLength={20000} data-testid="ng-round-text" /></Form.Item>
      <Form.Item name="minutesFileId" label={t('ng.minutesFile')}><FileSlot testId="ng-round-file" /></Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="ng-round-submit">{t('ng.recordRound')}</Button>
    </Form>
  );
}

function ChangeForm({ busy, onSubmit }: { busy: boolean; onSubmit: (b: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string; fileId?: string; purchaserConfirmed: boolean }>();
  return (
    <Form form={form} layout="vertical" style={{ marginTop: 12 }} data-testid="ng-change-form"
      onFinish={async (v) => { if (await onSubmit({ text: v.text, fileId: v.fileId || undefined, purchaserConfirmed: !!v.purchaserConfirmed })) form.resetFields(); }}>
      <Form.Item name="text" label={t('ng.changeText')} rules={[{ required: true, min: 2, message: t('tn.required') }]}><Input.TextArea rows={3} maxLength={20000} data-testid="ng-change-text" /></Form.Item>
      <Form.Item name="fileId" label={t('ng.changeFile')}><FileSlot testId="ng-change-file" /></Form.Item>
      <Form.Item name="purchaserConfirmed" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('tn.required')))) }]}>
        <Checkbox data-testid="ng-change-confirmed">{t('ng.purchaserConfirmed')}</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="ng-change-submit">{t('ng.issueChange')}</Button>
    </Form>
  );
}

function EliminateForm({ active, busy, onSubmit }: { active: NegParticipant[]; busy: boolean; onSubmit: (b: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ bidderOrgId: string; reason: string }>();
  return (
    <Form form={form} layout="vertical" data-testid="ng-eliminate-form" onFinish={async (v) => { if (await onSubmit(v)) form.resetFields(); }}>
      <Form.Item name="bidderOrgId" label={t('ng.supplier')} rules={[{ required: true, message: t('tn.required') }]}><Select options={active.map((p) => ({ value: p.orgId, label: p.name }))} data-testid="ng-eliminate-supplier" style={{ maxWidth: 360 }} /></Form.Item>
      <Form.Item name="reason" label={t('ng.eliminateReason')} rules={[{ required: true, min: 2, message: t('tn.required') }]}><Input.TextArea rows={2} maxLength={2000} data-testid="ng-eliminate-reason" /></Form.Item>
      <Button danger htmlType="submit" loading={busy} data-testid="ng-eliminate-submit">{t('ng.eliminate')}</Button>
    </Form>
  );
}

function CallForm({ n, busy, onSubmit }: { n: Negotiation; busy: boolean; onSubmit: (b: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  const tx = useNgText();
  const kinds = n.kind === 'negotiation' ? ['gp_two_suppliers_approved'] : ['research_project', 'government_services'];
  return (
    <Form layout="vertical" data-testid="ng-call-form" initialValues={{ exception: '', priceWeightPercent: n.kind === 'consultation' ? 30 : undefined }}
      onFinish={(v: { deadline: string; exception: string; note?: string; priceWeightPercent?: number }) =>
        onSubmit({
          deadline: bjTextToIso(v.deadline),
          ...(v.exception ? { minimumException: { kind: v.exception, note: v.note ?? '' } } : {}),
          ...(n.kind === 'consultation' ? { priceWeightPercent: v.priceWeightPercent } : {}),
        })}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ng.callHint')}</Typography.Paragraph>
      <Space wrap align="start">
        <Form.Item name="deadline" label={t('ng.deadlineInput')} rules={[{ required: true, validator: (_, v?: string) => (v && bjTextToIso(v) ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
          <Input placeholder="2026-11-24 16:00" data-testid="ng-call-deadline" style={{ width: 200 }} />
        </Form.Item>
        {n.kind === 'consultation' && (
          <Form.Item name="priceWeightPercent" label={t('ng.priceWeight')} rules={[{ required: true }]}><InputNumber min={10} max={60} precision={0} data-testid="ng-call-weight" /></Form.Item>
        )}
        <Form.Item name="exception" label={t('ng.exception')} style={{ minWidth: 260 }}>
          <Select data-testid="ng-call-exception" options={[{ value: '', label: t('ng.exceptionNone') }, ...kinds.map((k) => ({ value: k, label: tx(`ng.exc.${k}`) }))]} />
        </Form.Item>
      </Space>
      <Form.Item noStyle shouldUpdate>
        {({ getFieldValue }) => getFieldValue('exception') && (
          <Form.Item name="note" label={t('ng.exceptionNote')} rules={[{ required: true, min: 2, message: t('tn.required') }]}><Input maxLength={2000} /></Form.Item>
        )}
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="ng-call-submit">{t('ng.callFinal')}</Button>
    </Form>
  );
}

function AgreementCard({ n, op, busy, onSubmit }: { n: Negotiation; op: boolean; busy: boolean; onSubmit: (b: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('ng.agreement')} data-testid="ng-agreement">
      {n.agreement ? (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('ng.priceYuan')}><Typography.Text strong data-testid="ng-agreed-price">{formatFen(n.agreement.priceFen)}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('ng.terms')}><span style={{ whiteSpace: 'pre-wrap' }}>{n.agreement.terms}</span></Descriptions.Item>
          {n.agreement.recordFileId && <Descriptions.Item label={t('ng.recordFile')}><a href={`/api/files/${n.agreement.recordFileId}`} target="_blank" rel="noreferrer">{t('ng.recordFile')}</a></Descriptions.Item>}
          <Descriptions.Item label={t('ng.confirmedAt')}>{n.agreement.confirmedAt ? <BjTime at={n.agreement.confirmedAt} /> : <Tag color="gold">{t('ng.awaitingConfirm')}</Tag>}</Descriptions.Item>
        </Descriptions>
      ) : op && n.stage === 'rounds' ? (
        <Form layout="vertical" data-testid="ng-agreement-form"
          onFinish={(v: { price: string; terms: string; recordFileId?: string }) => onSubmit({ priceFen: parseYuanToFen(v.price), terms: v.terms, recordFileId: v.recordFileId || undefined })}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ng.agreementHint')}</Typography.Paragraph>
          <Form.Item name="price" label={t('ng.priceYuan')} rules={[{ required: true, validator: (_, v?: string) => (v && parseYuanToFen(v) ? Promise.resolve() : Promise.reject(new Error(t('tn.badYuan')))) }]}>
            <Input addonAfter="元" inputMode="decimal" style={{ maxWidth: 280 }} data-testid="ng-agreement-price" />
          </Form.Item>
          <Form.Item name="terms" label={t('ng.terms')} rules={[{ required: true, min: 2, message: t('tn.required') }]}><Input.TextArea rows={3} data-testid="ng-agreement-terms" /></Form.Item>
          <Form.Item name="recordFileId" label={t('ng.recordFile')}><FileSlot testId="ng-agreement-file" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="ng-agreement-submit">{t('ng.propose')}</Button>
        </Form>
      ) : <Empty />}
    </Card>
  );
}

function ObjectionsCard({ tenderId, operator }: { tenderId: string; operator: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const q = useObjections(tenderId);
  const [texts, setTexts] = useState<Record<string, string>>({});
  return (
    <Card size="small" title={t('ng.objections')} data-testid="ng-objections">
      {!q.data?.items.length ? <Empty description={t('ng.noObjections')} /> : q.data.items.map((o) => (
        <Card key={o.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="ng-objection">
          <Space wrap size={6} style={{ marginBottom: 4 }}>
            {o.objector && <Typography.Text strong>{o.objector}</Typography.Text>}
            <Tag color={o.status === 'open' ? 'gold' : o.status === 'upheld' ? 'red' : 'green'}>{t(o.status === 'open' ? 'ng.open' : o.status === 'upheld' ? 'ng.upheld' : 'ng.rejected')}</Tag>
            <BjTime at={o.raisedAt} />
          </Space>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{o.text}</Typography.Paragraph>
          {o.answer && <Alert type={o.status === 'upheld' ? 'warning' : 'success'} title={o.answer} />}
          {operator && o.status === 'open' && (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input.TextArea rows={2} placeholder={t('ng.answerHint')} value={texts[o.id] ?? ''} onChange={(e) => setTexts({ ...texts, [o.id]: e.target.value })} data-testid="ng-objection-answer" />
              <Space wrap>
                {(['rejected', 'upheld'] as const).map((d) => (
                  <Button key={d} danger={d === 'upheld'} disabled={(texts[o.id] ?? '').trim().length < 2} data-testid={`ng-objection-${d}`} onClick={async () => {
                    try { await negApi.answerObjection(o.id, d, texts[o.id]!.trim()); await q.refetch(); message.success(t('common.saved')); } catch (e) { message.error(errorText(e, lang)); }
                  }}>{t(d === 'upheld' ? 'ng.uphold' : 'ng.reject')}</Button>
                ))}
              </Space>
            </Space>
          )}
        </Card>
      ))}
    </Card>
  );
}
