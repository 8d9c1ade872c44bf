import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Skeleton, Space, TreeSelect, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useAuth } from '../../lib/auth/AuthProvider';
import { indexCatalog, useCatalog, type CatalogNode } from '../portal/api';
import { projectsApi, useProject, type RegistrationInput } from './api';
import { FileSlot } from '../../components/FileUpload';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../lib/format';
import { label, PROCEDURES, SUBJECTS } from '../../lib/labels';
import { errorText, fieldErrors } from '../../lib/problem';
import { RegionSelect } from '../../components/RegionSelect';
import { TendererSelect } from './TendererSelect';

interface FormValues {
  name: string;
  catalogCode: string;
  procedureType: string;
  subject?: 'works' | 'goods' | 'services';
  regionCode: string;
  estimateFen: string;
  lots: { name: string; estimateFen: string }[];
  materials: Record<string, string | null>;
  greenChannelReason?: string;
  tendererOrgId?: string;
}

interface Opt {
  title: string;
  value: string;
  selectable: boolean;
  children: Opt[];
}

function leafOptions(nodes: CatalogNode[], lang: string): Opt[] {
  return nodes.map((n) => ({ title: lang === 'en' ? n.nameEn : n.name, value: n.code, selectable: n.children.length === 0, children: leafOptions(n.children, lang) }));
}

export default function ProjectFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { roles } = useAuth();
  const isAgency = roles.includes('agency');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const catalog = useCatalog();
  const project = useProject(id);
  const index = useMemo(() => indexCatalog(catalog.data?.categories ?? []), [catalog.data]);
  const catalogCode = Form.useWatch('catalogCode', form);
  const entry = catalogCode ? index.get(catalogCode) : undefined;
  const subjects = [...new Set((entry?.thresholds ?? []).map((th) => th.subject).filter((s): s is string => !!s))];
  const materials = (entry?.materials ?? []).filter((m) => m.requiredWhen !== 'agency' || isAgency);
  const estimate = parseYuanToFen(Form.useWatch('estimateFen', form) ?? '');
  const lotsWatch = Form.useWatch('lots', form) ?? [];
  const lotSum = lotsWatch.reduce((s, l) => s + (parseYuanToFen(l?.estimateFen ?? '') ?? 0), 0);

  useEffect(() => {
    const p = project.data;
    if (!p) return;
    form.setFieldsValue({
      name: p.name,
      catalogCode: p.catalogCode,
      procedureType: p.procedureType,
      subject: p.subject ?? undefined,
      regionCode: p.regionCode,
      estimateFen: fenToYuanText(p.estimateFen),
      lots: p.lots.map((l) => ({ name: l.name, estimateFen: fenToYuanText(l.estimateFen) })),
      materials: Object.fromEntries(p.materials.map((m) => [m.code, m.fileId])),
      greenChannelReason: p.greenChannelReason ?? undefined,
    });
  }, [project.data, form]);

  const yuanRule = { pattern: /^\s*¥?\s*\d[\d,]*(\.\d{1,2})?\s*$/, message: t('project.budgetInvalid') };

  const toInput = (v: FormValues): RegistrationInput => ({
    name: v.name.trim(),
    catalogCode: v.catalogCode,
    procedureType: v.procedureType,
    ...(v.subject ? { subject: v.subject } : {}),
    regionCode: v.regionCode.trim(),
    estimateFen: parseYuanToFen(v.estimateFen) ?? 0,
    lots: (v.lots ?? []).map((l) => ({ name: l.name.trim(), estimateFen: parseYuanToFen(l.estimateFen) ?? 0 })),
    materials: Object.entries(v.materials ?? {})
      .filter((e): e is [string, string] => !!e[1])
      .map(([code, fileId]) => ({ code, fileId })),
    greenChannelReason: v.greenChannelReason?.trim() || null,
    ...(!editing && isAgency && v.tendererOrgId ? { tendererOrgId: v.tendererOrgId.trim() } : {}),
  });

  const save = async (andSubmit: boolean) => {
    setError(null);
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(andSubmit ? 'submit' : 'save');
    try {
      let pid = id;
      if (pid) await projectsApi.update(pid, toInput(v));
      else pid = (await projectsApi.create(toInput(v))).id;
      if (andSubmit) await projectsApi.submit(pid);
      await qc.invalidateQueries({ queryKey: ['projects'] });
      await qc.invalidateQueries({ queryKey: ['project', pid] });
      message.success(andSubmit ? t('project.submittedOk') : t('project.created'));
      navigate(`/workbench/projects/${pid}`);
    } catch (e) {
      const fe = fieldErrors(e, lang);
      if (fe) form.setFields(fe as never);
      setError(errorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  if (editing && project.isPending) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;

  return (
    <Card title={editing ? t('project.edit') : t('project.register')} extra={<Link to="/workbench/projects">{t('common.back')}</Link>}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="project-form-error" />}
      {project.data?.returns.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('project.returnedItems')}
          description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{project.data.returns[project.data.returns.length - 1]!.items.map((i) => <li key={i.code}><b>{i.code}</b>：{i.note}</li>)}</ul>}
        />
      ) : null}
      <Form form={form} layout="vertical" initialValues={{ lots: [{ name: '', estimateFen: '' }], materials: {} }} data-testid="project-form" scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('project.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input data-testid="project-name" maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="regionCode" label={t('project.region')} rules={[{ required: true }]}>
              <RegionSelect testId="project-region" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="catalogCode" label={t('project.category')} rules={[{ required: true }]}>
              <TreeSelect
                treeData={leafOptions(catalog.data?.categories ?? [], lang)}
                treeDefaultExpandAll
                showSearch={{ treeNodeFilterProp: 'title' }}
                onChange={() => form.setFieldsValue({ procedureType: undefined, subject: undefined })}
                data-testid="project-category"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="procedureType" label={t('project.procedure')} rules={[{ required: true }]}>
              <Select options={(entry?.procedures ?? []).map((p) => ({ value: p, label: label(PROCEDURES, p, lang) }))} disabled={!entry} data-testid="project-procedure" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="subject" label={lang === 'en' ? 'Subject' : '标的类型'} rules={[{ required: subjects.length > 0 }]}>
              <Select allowClear options={subjects.map((s) => ({ value: s, label: label(SUBJECTS, s, lang) }))} disabled={subjects.length === 0} data-testid="project-subject" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="estimateFen" label={t('project.budget')} rules={[{ required: true }, yuanRule]} extra={estimate !== undefined ? formatFen(estimate) : undefined}>
              <Input prefix="¥" inputMode="decimal" data-testid="project-budget" />
            </Form.Item>
          </Col>
          {isAgency && !editing && (
            <Col xs={24} md={16}>
              <Form.Item name="tendererOrgId" label={t('project.tenderer')} rules={[{ required: true }]} extra={lang === 'en' ? 'The tenderer organisation you register for.' : '代理机构须注明委托的招标人。'}>
                <TendererSelect testId="project-tenderer" />
              </Form.Item>
            </Col>
          )}
        </Row>

        <Typography.Title level={5}>{t('project.lots')}</Typography.Title>
        <Form.List name="lots">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Row gutter={8} key={f.key} align="top" data-testid="project-lot">
                  <Col xs={24} sm={14}>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }]} label={i === 0 ? t('project.lotName') : undefined}>
                      <Input placeholder={`${t('project.lotName')} ${i + 1}`} data-testid={`project-lot-name-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={20} sm={8}>
                    <Form.Item name={[f.name, 'estimateFen']} rules={[{ required: true }, yuanRule]} label={i === 0 ? t('project.lotBudget') : undefined}>
                      <Input prefix="¥" inputMode="decimal" data-testid={`project-lot-budget-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2} style={{ paddingTop: i === 0 ? 34 : 4 }}>
                    {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('common.delete')} />}
                  </Col>
                </Row>
              ))}
              <Space style={{ marginBottom: 16 }} wrap>
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', estimateFen: '' })} data-testid="project-add-lot">{t('project.addLot')}</Button>
                {estimate !== undefined && (
                  <Typography.Text type={lotSum === estimate ? 'success' : 'warning'}>
                    Σ {formatFen(lotSum)} / {formatFen(estimate)}
                  </Typography.Text>
                )}
              </Space>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('project.materials')}</Typography.Title>
        {materials.length === 0 ? (
          <Typography.Paragraph type="secondary">{entry ? t('common.empty') : lang === 'en' ? 'Choose a category to see the required materials.' : '请先选择交易类别，系统将列出所需进场材料。'}</Typography.Paragraph>
        ) : (
          materials.map((m) => (
            <Form.Item key={m.code} name={['materials', m.code]} label={lang === 'en' ? m.nameEn : m.nameZh}>
              <FileSlot testId={`project-material-${m.code}`} />
            </Form.Item>
          ))
        )}

        <Form.Item name="greenChannelReason" label={lang === 'en' ? 'Green-channel reason (urgent projects only)' : '绿色通道申请理由（紧急项目填写）'}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="project-green-reason" />
        </Form.Item>

        <Space wrap>
          <Button onClick={() => save(false)} loading={busy === 'save'} disabled={!!busy} data-testid="project-save">{t('project.saveDraft')}</Button>
          <Button type="primary" onClick={() => save(true)} loading={busy === 'submit'} disabled={!!busy} data-testid="project-submit">
            {project.data?.status === 'returned' ? t('project.resubmit') : t('project.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
