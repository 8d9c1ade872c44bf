import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useAuth } from '../../lib/auth/AuthProvider';
import { api } from '../../lib/api';
import { ApiError, errorText, fieldErrors } from '../../lib/problem';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../lib/format';
import { label, PROCEDURES } from '../../lib/labels';
import { FileList } from '../../components/FileUpload';
import { QueryView } from '../../components/Results';
import { useProject, type ProjectPage } from '../projects/api';
import { tenderApi, useInvalidateTender, useTender, type PolicyView, type Tender, type TenderInput } from './api';
import { bjTextToIso, isoToBjText } from './time';

const TENDERING = ['works_open_tender', 'works_invited_tender', 'gp_open_tender', 'gp_invited_tender', 'competitive_negotiation', 'competitive_consultation', 'inquiry', 'single_source'];
// Placeholders for the read-only probe below: syntactically valid ids that name nothing.
const NIL = '00000000-0000-4000-8000-000000000000';

interface LotField {
  lotNo: number;
  name: string;
  estimateFen: number;
  depositFen: string;
  bidDeadline: string;
}
interface Values {
  projectId?: string;
  procedureType?: string;
  title?: string;
  lots: LotField[];
  documentIds: string[];
  escrow: { k: number; custodianAccountIds: string[] };
  invitedOrgIds: string[];
}

type Probe = { earliest?: string; basis?: string; error?: string; allowed?: string[] };

/**
 * Create or edit a draft tender. The earliest legal bid deadline is the server's own answer: the form sends the
 * settings with a deadline of "now" and placeholder documents; the server checks procedure and lots first and refuses
 * with TENDER_DEADLINE_TOO_SOON {earliest, basis} (or the catalog's allowed procedures) before anything is written.
 */
export default function TenderFormPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { actor } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const existing = useTender(id);
  const projectId = Form.useWatch('projectId', form) ?? existing.data?.projectId;
  const procedure = Form.useWatch('procedureType', form);
  const project = useProject(projectId);
  const policies = useQuery({ queryKey: ['tender-policies'], queryFn: tenderApi.policies, staleTime: 600_000 });
  const invalidate = useInvalidateTender(id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [probe, setProbe] = useState<Probe | null>(null);
  const ownAccounts = useQuery({
    queryKey: ['org-accounts', actor?.orgId],
    enabled: !!actor?.orgId,
    queryFn: () => api.get<{ items: { id: string; displayName: string; username: string }[] }>(`/api/identity/orgs/${actor!.orgId}/accounts`),
  });
  const policy = useMemo(
    () => (policies.data ?? []).find((p) => (p.code ?? p.procedure) === procedure) as (PolicyView & { code?: string; deposit?: { capPercent: number; basis: string }; periods?: { minBidPeriod?: { n: number; unit: string; basis: string } } }) | undefined,
    [policies.data, procedure],
  );

  // Fill the form from the draft (edit) or from the chosen project (new).
  useEffect(() => {
    const d = existing.data;
    if (d) {
      form.setFieldsValue({
        procedureType: d.procedureType,
        title: d.title,
        lots: d.lots.map((l) => ({ lotNo: l.lotNo, name: l.name, estimateFen: l.estimateFen, depositFen: fenToYuanText(l.depositFen), bidDeadline: isoToBjText(l.bidDeadline) })),
        documentIds: d.documents.filter((x) => !x.clarificationId && x.fileId).map((x) => x.fileId!),
        escrow: { k: d.escrow.k, custodianAccountIds: d.escrow.custodians.map((c) => c.accountId) },
        invitedOrgIds: (d.invitedOrgs ?? []).map((o) => o.orgId),
      });
    }
  }, [existing.data, form]);
  useEffect(() => {
    const p = project.data;
    if (!p || id) return;
    form.setFieldsValue({
      procedureType: p.procedureType,
      title: p.name,
      lots: p.lots.map((l) => ({ lotNo: l.seq, name: l.name, estimateFen: l.estimateFen, depositFen: '0', bidDeadline: '' })),
    });
  }, [project.data, id, form]);

  // Ask the server for the earliest legal deadline whenever project or procedure changes.
  useEffect(() => {
    const lots = (form.getFieldValue('lots') as LotField[] | undefined) ?? project.data?.lots.map((l) => ({ lotNo: l.seq })) ?? [];
    if (!projectId || !procedure || !lots.length) return;
    let live = true;
    const body: TenderInput = {
      procedureType: procedure,
      lots: lots.map((l) => ({ lotNo: l.lotNo, depositFen: 0, bidDeadline: new Date().toISOString() })),
      documentIds: [NIL],
      escrow: { k: 2, custodianAccountIds: [NIL, NIL.replace(/0$/, '1'), NIL.replace(/0$/, '2')] },
    };
    const call = id ? tenderApi.update(id, body) : tenderApi.create({ ...body, projectId });
    call.then(
      () => live && setProbe(null),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'TENDER_DEADLINE_TOO_SOON')
          setProbe({ earliest: String(e.details?.earliest ?? ''), basis: String(e.details?.basis ?? '') });
        else if (e instanceof ApiError && e.code === 'TENDER_PROCEDURE_NOT_ALLOWED')
          setProbe({ error: e.text(lang), allowed: (e.details?.allowed as string[]) ?? [] });
        else if (e instanceof ApiError && !e.code.startsWith('TENDER_FILE') && !e.code.startsWith('TENDER_CUSTODIAN') && e.code !== 'VALIDATION')
          setProbe({ error: e.text(lang) });
        else setProbe(null);
      },
    );
    return () => {
      live = false;
    };
  }, [projectId, procedure, id, project.data, form, lang]);

  const save = async (publish: boolean) => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: TenderInput = {
      procedureType: v.procedureType,
      title: v.title?.trim() || undefined,
      lots: v.lots.map((l) => ({ lotNo: l.lotNo, depositFen: parseYuanToFen(l.depositFen) ?? 0, bidDeadline: bjTextToIso(l.bidDeadline)! })),
      documentIds: v.documentIds ?? [],
      escrow: { k: v.escrow.k, custodianAccountIds: (v.escrow.custodianAccountIds ?? []).map((s) => s.trim()) },
      invitedOrgIds: v.invitedOrgIds?.length ? v.invitedOrgIds.map((s) => s.trim()) : undefined,
    };
    setBusy(true);
    try {
      let saved: Tender = id ? await tenderApi.update(id, body) : await tenderApi.create({ ...body, projectId: v.projectId });
      if (publish) saved = await tenderApi.publish(saved.id);
      await invalidate();
      message.success(t(publish ? 'tn.published' : 'common.saved'));
      navigate(`/workbench/tenders/${saved.id}`);
    } catch (e) {
      setError(errorText(e, lang));
      const fe = fieldErrors(e, lang);
      if (fe) form.setFields(fe as never);
    } finally {
      setBusy(false);
    }
  };

  const invitational = !!policy?.invitational;
  const custodianOptions = (ownAccounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.displayName}（${a.username}）` }));
  const body = (
    <Form form={form} layout="vertical" data-testid="tender-form" initialValues={{ lots: [], documentIds: [], escrow: { k: 3, custodianAccountIds: [] }, invitedOrgIds: [] }}>
      {!id && (
        <Form.Item name="projectId" label={t('tn.project')} rules={[{ required: true, message: t('tn.required') }]} extra={t('tn.projectHint')}>
          <AcceptedProjectSelect />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="procedureType" label={t('project.procedure')} rules={[{ required: true, message: t('tn.required') }]}>
            <Select data-testid="tender-procedure" options={TENDERING.map((c) => ({ value: c, label: label(PROCEDURES, c, lang) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="title" label={t('tn.title')}>
            <Input data-testid="tender-title" maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      {probe?.earliest && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="tender-earliest"
          title={t('tn.earliest', { day: probe.earliest })}
          description={probe.basis}
          action={
            <Button
              size="small"
              data-testid="tender-use-earliest"
              onClick={() => {
                const lots = (form.getFieldValue('lots') as LotField[]).map((l) => ({ ...l, bidDeadline: `${probe.earliest} 09:30` }));
                form.setFieldsValue({ lots });
              }}
            >
              {t('tn.useEarliest')}
            </Button>
          }
        />
      )}
      {probe?.error && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="tender-probe-error" title={probe.error}
          description={probe.allowed?.length ? `${t('tn.allowed')}${probe.allowed.map((c) => label(PROCEDURES, c, lang)).join('、')}` : undefined} />
      )}
      <Typography.Title level={5}>{t('tn.lots')}</Typography.Title>
      <Form.List name="lots">
        {(fields, { remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {fields.length === 0 && <Typography.Text type="secondary">{t('tn.lotsAfterProject')}</Typography.Text>}
            {fields.map((f, i) => {
              const lot = form.getFieldValue(['lots', f.name]) as LotField;
              const cap = policy?.deposit ? Math.floor((lot.estimateFen * policy.deposit.capPercent) / 100) : undefined;
              return (
                <Card key={f.key} size="small" data-testid={`tender-lot-${i}`}
                  title={`${t('tn.lotNo', { n: lot.lotNo })} ${lot.name}`}
                  extra={fields.length > 1 && <Button size="small" type="link" onClick={() => remove(f.name)}>{t('tn.removeLot')}</Button>}>
                  <Row gutter={12}>
                    <Col xs={24} md={12}>
                      <Form.Item name={[f.name, 'depositFen']} label={t('tn.depositYuan')}
                        extra={cap !== undefined ? t('tn.depositCap', { cap: formatFen(cap), pct: policy!.deposit!.capPercent, basis: policy!.deposit!.basis }) : undefined}
                        rules={[{ validator: (_, v: string) => (parseYuanToFen(v ?? '') !== undefined && parseYuanToFen(v)! >= 0 ? Promise.resolve() : Promise.reject(new Error(t('tn.badYuan')))) }]}>
                        <Input data-testid={`tender-deposit-${i}`} inputMode="decimal" prefix="¥" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item name={[f.name, 'bidDeadline']} label={t('tn.deadline')}
                        extra={policy?.periods?.minBidPeriod ? t('tn.minPeriod', { n: policy.periods.minBidPeriod.n, unit: t(policy.periods.minBidPeriod.unit === 'day' ? 'tn.days' : 'tn.workdays'), basis: policy.periods.minBidPeriod.basis }) : undefined}
                        rules={[{ validator: (_, v: string) => (bjTextToIso(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
                        <Input data-testid={`tender-deadline-${i}`} placeholder="2026-09-24 09:30" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item name={[f.name, 'lotNo']} hidden><Input /></Form.Item>
                </Card>
              );
            })}
          </Space>
        )}
      </Form.List>
      <Form.Item name="documentIds" label={t('tn.documents')} style={{ marginTop: 16 }} rules={[{ required: true, type: 'array', min: 1, message: t('tn.documentsRequired') }]}>
        <FileList testId="tender-documents" />
      </Form.Item>
      <Typography.Title level={5}>{t('tn.escrow')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tn.escrowHint')}</Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={24} md={18}>
          <Form.Item name={['escrow', 'custodianAccountIds']} label={t('tn.custodians')} rules={[{ required: true, type: 'array', min: 3, message: t('tn.custodiansMin') }]}>
            <Select mode="tags" data-testid="tender-custodians" options={custodianOptions} tokenSeparators={[',', ' ', '，']} placeholder={t('tn.custodiansPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name={['escrow', 'k']} label={t('tn.k')} rules={[{ required: true }]}>
            <InputNumber min={2} max={20} style={{ width: '100%' }} data-testid="tender-k" />
          </Form.Item>
        </Col>
      </Row>
      {invitational && (
        <Form.Item name="invitedOrgIds" label={t('tn.invited')} extra={t('tn.invitedHint')}>
          <Select mode="tags" data-testid="tender-invited" tokenSeparators={[',', ' ', '，']} />
        </Form.Item>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="tender-form-error" />}
      <Space wrap>
        <Button onClick={() => save(false)} loading={busy} data-testid="tender-save">{t('tn.saveDraft')}</Button>
        <Button type="primary" onClick={() => save(true)} loading={busy} data-testid="tender-publish-now">{t('tn.saveAndPublish')}</Button>
      </Space>
    </Form>
  );
  return (
    <Card title={id ? t('tn.edit') : t('tn.new')}>
      {id ? <QueryView query={existing}>{() => body}</QueryView> : body}
    </Card>
  );
}

/** The author's accepted projects (normal and green channel): the only ones a tender may come from. */
function AcceptedProjectSelect(props: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useI18n();
  const results = useQueries({
    queries: (['accepted', 'accepted_green'] as const).map((status) => ({
      queryKey: ['projects', { status, limit: 100 }],
      queryFn: () => api.get<ProjectPage>('/api/projects', { status, limit: 100 }),
    })),
  });
  const options = results.flatMap((r) => r.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      loading={results.some((r) => r.isFetching)}
      placeholder={t('tn.pickProject')}
      data-testid="tender-project"
    />
  );
}
