import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space, TreeSelect, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { errorText, fieldErrors } from '../../lib/problem';
import { regionOptions } from '../../lib/regions';
import { RegionSelect } from '../../components/RegionSelect';
import { FileSlot } from '../../components/FileUpload';
import { expertsApi, useSpecialties, type ApplicationInput, type ConflictKind, type EvaluationKind, type ExpertDetail, type MaterialCode, type TitleLevel } from './api';

const TITLES: TitleLevel[] = ['full_senior', 'senior', 'intermediate', 'none'];
const KINDS: EvaluationKind[] = ['works', 'government_procurement', 'other'];
const CONFLICTS: ConflictKind[] = ['employment', 'director', 'shareholder', 'relative', 'other'];
const MATERIALS: MaterialCode[] = ['title_certificate', 'equivalence_proof', 'id_card', 'employment_proof'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface FormValues {
  name: string;
  idNumber: string;
  phone?: string;
  titleLevel: TitleLevel;
  titleName?: string;
  equivalentLevel?: boolean;
  experienceYears: number;
  noEmployer?: boolean;
  employer?: { name?: string; uscc?: string };
  homeRegion: string;
  regions: string[];
  kinds: EvaluationKind[];
  specialties: string[];
  conflicts?: { kind: ConflictKind; orgName: string; orgUscc: string; relation?: string; startedOn?: string; endedOn?: string }[];
  materials?: Partial<Record<MaterialCode, string | null>>;
}

function initialFrom(e: ExpertDetail | null | undefined): Partial<FormValues> {
  if (!e) return { titleLevel: 'senior', kinds: ['works'], regions: [], specialties: [], conflicts: [], materials: {} };
  const materials: Partial<Record<MaterialCode, string>> = {};
  for (const m of e.materials) materials[m.code] ??= m.fileId;
  return {
    name: e.name,
    phone: e.phone ?? undefined,
    titleLevel: e.titleLevel,
    titleName: e.titleName ?? undefined,
    equivalentLevel: e.equivalentLevel,
    experienceYears: e.experienceYears,
    noEmployer: !e.employer,
    employer: e.employer ?? undefined,
    homeRegion: e.homeRegion,
    regions: e.regions,
    kinds: e.kinds,
    specialties: e.specialties,
    // Only relations still inside their window can be declared again.
    conflicts: e.conflicts.filter((c) => c.active).map((c) => ({ kind: c.kind, orgName: c.orgName, orgUscc: c.orgUscc, relation: c.relation ?? undefined, startedOn: c.startedOn ?? undefined, endedOn: c.endedOn ?? undefined })),
    materials,
  };
}

/** The online application (new, or corrected after a return, or again after a rejection or an exit). */
export function ApplicationForm({ previous, onDone }: { previous?: ExpertDetail | null; onDone: (e: ExpertDetail) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const specialties = useSpecialties();
  const noEmployer = Form.useWatch('noEmployer', form);
  const max = specialties.data?.maxSpecialties ?? 3;
  const regions = useMemo(() => regionOptions(lang), [lang]);
  const tree = useMemo(() => {
    const items = specialties.data?.items ?? [];
    type Node = { title: string; value: string; selectable: boolean; children: Node[] };
    const build = (parent: string | null): Node[] =>
      items
        .filter((s) => s.parentCode === parent)
        .map((s) => ({ title: `${s.code} ${lang === 'en' ? s.nameEn : s.nameZh}`, value: s.code, selectable: s.level === 3, children: build(s.code) }));
    return build(null);
  }, [specialties.data, lang]);
  const returned = previous?.status === 'returned' ? previous.reviews[previous.reviews.length - 1] : undefined;
  const opt = <T extends string>(prefix: string, v: T) => ({ value: v, label: t(`${prefix}.${v}` as DictKey) });

  const toInput = (v: FormValues): ApplicationInput => ({
    name: v.name.trim(),
    idNumber: v.idNumber.trim(),
    phone: v.phone?.trim() || null,
    titleLevel: v.titleLevel,
    titleName: v.titleName?.trim() || null,
    equivalentLevel: !!v.equivalentLevel,
    experienceYears: Number(v.experienceYears),
    employer: v.noEmployer ? null : { name: v.employer?.name?.trim() ?? '', uscc: v.employer?.uscc?.trim().toUpperCase() ?? '' },
    homeRegion: v.homeRegion,
    regions: v.regions,
    kinds: v.kinds,
    specialties: v.specialties,
    conflicts: (v.conflicts ?? []).map((c) => ({
      kind: c.kind,
      orgName: c.orgName.trim(),
      orgUscc: c.orgUscc.trim().toUpperCase(),
      relation: c.relation?.trim() || null,
      startedOn: c.startedOn?.trim() || null,
      endedOn: c.endedOn?.trim() || null,
    })),
    materials: Object.entries(v.materials ?? {})
      .filter((e): e is [MaterialCode, string] => !!e[1])
      .map(([code, fileId]) => ({ code, fileId })),
  });

  const submit = async () => {
    setError(null);
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const e = await expertsApi.apply(toInput(v));
      qc.setQueryData(['experts', 'me'], e);
      message.success(t('ex.submittedOk'));
      onDone(e);
    } catch (e) {
      const fe = fieldErrors(e, lang);
      if (fe) form.setFields(fe as never);
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const dayRule = { pattern: DAY, message: t('ex.badDay') };
  return (
    <Card title={t('ex.titleApply')} data-testid="expert-apply">
      <Typography.Paragraph type="secondary">{t('ex.intro')}</Typography.Paragraph>
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('ex.returnedTitle')}
          data-testid="expert-returned-reasons"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {returned.reasons.map((r) => (
                <li key={r.field} data-testid="expert-returned-item">
                  <b>{t(`ex.field.${r.field}` as DictKey)}</b>：{r.note}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="expert-form-error" />}
      <Form form={form} layout="vertical" initialValues={initialFrom(previous)} scrollToFirstError data-testid="expert-form">
        <Typography.Title level={5}>{t('ex.sectionIdentity')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="name" label={t('ex.name')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={50} data-testid="expert-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="idNumber" label={t('ex.idNumber')} rules={[{ required: true, pattern: /^\d{17}[\dXx]$/, message: t('ex.idNumber') }]}>
              <Input maxLength={18} autoComplete="off" data-testid="expert-id-number" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="phone" label={t('ex.phone')}>
              <Input maxLength={20} data-testid="expert-phone" />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('ex.sectionProfession')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={5}>
            <Form.Item name="titleLevel" label={t('ex.titleLevel')} rules={[{ required: true }]}>
              <Select options={TITLES.map((v) => opt('ex.title', v))} data-testid="expert-title-level" />
            </Form.Item>
          </Col>
          <Col xs={24} md={7}>
            <Form.Item name="titleName" label={t('ex.titleName')}>
              <Input maxLength={60} placeholder={t('ex.titleNamePh')} data-testid="expert-title-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={5}>
            <Form.Item name="experienceYears" label={t('ex.years')} rules={[{ required: true }]}>
              <InputNumber min={0} max={70} precision={0} style={{ width: '100%' }} data-testid="expert-years" />
            </Form.Item>
          </Col>
          <Col xs={24} md={7}>
            <Form.Item name="equivalentLevel" valuePropName="checked" label=" ">
              <Checkbox data-testid="expert-equivalent">{t('ex.equivalent')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item name={['employer', 'name']} label={t('ex.employerName')} rules={[{ required: !noEmployer, whitespace: true }]}>
              <Input maxLength={200} disabled={!!noEmployer} data-testid="expert-employer-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['employer', 'uscc']} label={t('ex.uscc')} rules={[{ required: !noEmployer, len: 18 }]}>
              <Input maxLength={18} disabled={!!noEmployer} data-testid="expert-employer-uscc" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="noEmployer" valuePropName="checked" label=" ">
              <Checkbox data-testid="expert-no-employer">{t('ex.noEmployer')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('ex.sectionScope')}</Typography.Title>
        <Form.Item name="kinds" label={t('ex.kinds')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={KINDS.map((v) => opt('ex.kind', v))} data-testid="expert-kinds" />
        </Form.Item>
        <Form.Item
          name="specialties"
          label={t('ex.specialties', { max })}
          rules={[{ required: true, type: 'array', min: 1 }, { type: 'array', max, message: t('ex.tooMany', { max }) }]}
        >
          <TreeSelect
            multiple
            treeData={tree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={t('ex.specialtiesPh')}
            loading={specialties.isPending}
            data-testid="expert-specialties-select"
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="homeRegion" label={t('ex.homeRegion')} rules={[{ required: true }]}>
              <RegionSelect testId="expert-home-region" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="regions" label={t('ex.regions')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Select mode="multiple" options={regions} showSearch={{ optionFilterProp: 'label' }} data-testid="expert-regions" />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('ex.sectionConflicts')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('ex.conflictsHint')}</Typography.Paragraph>
        <Form.List name="conflicts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top" data-testid="expert-conflict-row">
                  <Col xs={12} md={4}>
                    <Form.Item name={[f.name, 'kind']} label={t('ex.conflict.kind')} rules={[{ required: true }]}>
                      <Select options={CONFLICTS.map((v) => opt('ex.conflict', v))} data-testid={`expert-conflict-kind-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item name={[f.name, 'orgName']} label={t('ex.conflict.org')} rules={[{ required: true, whitespace: true }]}>
                      <Input maxLength={200} data-testid={`expert-conflict-org-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item name={[f.name, 'orgUscc']} label={t('ex.uscc')} rules={[{ required: true, len: 18 }]}>
                      <Input maxLength={18} data-testid={`expert-conflict-uscc-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={3}>
                    <Form.Item name={[f.name, 'relation']} label={t('ex.conflict.relation')}>
                      <Input maxLength={50} placeholder={t('ex.conflict.relationPh')} data-testid={`expert-conflict-relation-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={3}>
                    <Form.Item name={[f.name, 'startedOn']} label={t('ex.conflict.startedOn')} rules={[dayRule]}>
                      <Input placeholder="2015-07-01" data-testid={`expert-conflict-from-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={3}>
                    <Form.Item name={[f.name, 'endedOn']} label={t('ex.conflict.endedOn')} rules={[dayRule]}>
                      <Input placeholder={t('ex.conflict.ongoing')} data-testid={`expert-conflict-to-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} md={1} style={{ paddingTop: 34 }}>
                    <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="remove" />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'employment' })} data-testid="expert-conflict-add" style={{ marginBottom: 16 }}>
                {t('ex.conflict.add')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('ex.sectionMaterials')}</Typography.Title>
        <Row gutter={16}>
          {MATERIALS.map((code) => (
            <Col xs={24} md={12} key={code}>
              <Form.Item name={['materials', code]} label={t(`ex.material.${code}` as DictKey)}>
                <FileSlot testId={`expert-material-${code}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Space>
          <Button type="primary" loading={busy} onClick={submit} data-testid="expert-submit">
            {returned ? t('ex.resubmit') : t('ex.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
