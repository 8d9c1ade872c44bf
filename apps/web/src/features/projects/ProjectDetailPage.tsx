import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, List, Modal, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { FIELD_ITEMS, projectsApi, useProject, type ProjectDetail } from './api';
import { QueryView } from '../../components/Results';
import { StatusTag } from '../../components/Tags';
import { formatDate, formatDateTime, formatFen } from '../../lib/format';
import { label, PROCEDURES, SUBJECTS } from '../../lib/labels';
import { errorText } from '../../lib/problem';
import { regionLabel } from '../../lib/regions';
import { FileSlot } from '../../components/FileUpload';
import type { Lang } from '../../lib/i18n/lang';

function itemLabel(p: ProjectDetail, code: string, lang: Lang): string {
  const m = p.materials.find((x) => x.code === code);
  if (m) return lang === 'en' ? m.nameEn : m.nameZh;
  const f = FIELD_ITEMS[code];
  return f ? (lang === 'en' ? f.en : f.zh) : code;
}

/** Accept / return-with-complete-list / green-channel accept, for the intake window. */
function IntakeActions({ p }: { p: ProjectDetail }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'return' | 'green' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const itemOptions = [...p.materials.map((m) => ({ value: m.code, label: lang === 'en' ? m.nameEn : m.nameZh })), ...Object.entries(FIELD_ITEMS).map(([value, l]) => ({ value, label: lang === 'en' ? l.en : l.zh }))];
  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: ['project', p.id] });
    await qc.invalidateQueries({ queryKey: ['projects'] });
    message.success(text);
  };
  const run = async (fn: () => Promise<unknown>, text: string) => {
    setBusy(true);
    try {
      await fn();
      setMode(null);
      form.resetFields();
      await done(text);
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  if (p.status !== 'submitted') return null;
  // A later return may only repeat items of the first list (一次告知): offer those first.
  const firstList = p.returns[0]?.items;
  return (
    <>
      <Space wrap>
        <Button
          type="primary"
          data-testid="intake-accept"
          loading={busy && mode === null}
          onClick={() => modal.confirm({ title: t('intake.confirmAccept'), okButtonProps: { 'data-testid': 'intake-accept-confirm' } as never, onOk: () => run(() => projectsApi.accept(p.id), t('intake.accepted')) })}
        >
          {t('intake.accept')}
        </Button>
        <Button danger data-testid="intake-return" onClick={() => (form.setFieldsValue({ items: firstList ?? [{ code: undefined, note: '' }] }), setMode('return'))}>
          {t('intake.return')}
        </Button>
        <Button data-testid="intake-green" onClick={() => (form.setFieldsValue({ pending: [{ code: undefined, dueDate: undefined }] }), setMode('green'))}>
          {t('intake.green')}
        </Button>
      </Space>
      <Modal
        open={mode !== null}
        title={mode === 'return' ? t('intake.returnTitle') : t('intake.greenTitle')}
        onCancel={() => setMode(null)}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'intake-modal-ok' } as never}
        width={640}
        onOk={async () => {
          const v = await form.validateFields();
          if (mode === 'return') await run(() => projectsApi.giveBack(p.id, (v.items as { code: string; note: string }[]).map((i) => ({ code: i.code, note: i.note.trim() }))), t('intake.returned'));
          else await run(() => projectsApi.acceptGreen(p.id, (v.pending as { code: string; dueDate: Dayjs }[]).map((i) => ({ code: i.code, dueDate: i.dueDate.format('YYYY-MM-DD') }))), t('intake.accepted'));
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{mode === 'return' ? t('intake.returnHint') : t('intake.greenHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" data-testid={mode === 'return' ? 'intake-return-form' : 'intake-green-form'}>
          <Form.List name={mode === 'return' ? 'items' : 'pending'}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={8} key={f.key}>
                    <Col span={9}>
                      <Form.Item name={[f.name, 'code']} rules={[{ required: true }]} label={i === 0 ? t('intake.itemCode') : undefined}>
                        <Select options={itemOptions} showSearch={{ optionFilterProp: 'label' }} data-testid={`intake-item-code-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col span={13}>
                      {mode === 'return' ? (
                        <Form.Item name={[f.name, 'note']} rules={[{ required: true, whitespace: true }]} label={i === 0 ? t('intake.itemNote') : undefined}>
                          <Input data-testid={`intake-item-note-${i}`} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[f.name, 'dueDate']} rules={[{ required: true }]} label={i === 0 ? t('intake.dueDate') : undefined}>
                          <DatePicker style={{ width: '100%' }} data-testid={`intake-item-due-${i}`} />
                        </Form.Item>
                      )}
                    </Col>
                    <Col span={2} style={{ paddingTop: i === 0 ? 34 : 4 }}>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                    </Col>
                  </Row>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add()} data-testid="intake-add-item">{t('intake.addItem')}</Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}

function OwnerActions({ p }: { p: ProjectDetail }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (p.status !== 'draft' && p.status !== 'returned') return null;
  return (
    <Space wrap>
      <Link to={`/workbench/projects/${p.id}/edit`}>
        <Button data-testid="project-edit">{t('common.edit')}</Button>
      </Link>
      <Button
        type="primary"
        loading={busy}
        data-testid="project-detail-submit"
        onClick={async () => {
          setBusy(true);
          try {
            await projectsApi.submit(p.id);
            await qc.invalidateQueries({ queryKey: ['project', p.id] });
            await qc.invalidateQueries({ queryKey: ['projects'] });
            message.success(t('project.submittedOk'));
          } catch (e) {
            message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        {p.status === 'returned' ? t('project.resubmit') : t('project.submit')}
      </Button>
    </Space>
  );
}

/** After a green-channel acceptance the registrant supplies each pending item by its due date. */
function SupplyPending({ p, code }: { p: ProjectDetail; code: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return (
    <FileSlot
      testId={`pending-supply-${code}`}
      onChange={async (fileId) => {
        if (!fileId) return;
        try {
          await projectsApi.supply(p.id, code, fileId);
          await qc.invalidateQueries({ queryKey: ['project', p.id] });
          message.success(t('common.submitted'));
        } catch (e) {
          message.error(errorText(e, lang));
        }
      }}
    />
  );
}

export default function ProjectDetailPage({ intake = false }: { intake?: boolean }) {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const q = useProject(id);
  return (
    <QueryView query={q} rows={10}>
      {(p) => {
        const lastReturn = p.returns[p.returns.length - 1];
        return (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card
              title={<span data-testid="project-title">{p.name}</span>}
              extra={<Link to={intake ? '/workbench/intake' : '/workbench/projects'}>{t('common.back')}</Link>}
            >
              <Space style={{ marginBottom: 12 }} wrap>
                <StatusTag status={p.status} />
                {p.overdue && <Tag color="red" data-testid="overdue-tag">{t('project.overdue')}</Tag>}
                {p.greenChannelRequested && <Tag color="green">{t('intake.green')}</Tag>}
                {p.mandatory && <Tag color="gold">{lang === 'en' ? 'Mandatory entry' : '依法必须进场'}</Tag>}
              </Space>
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'code', label: t('project.code'), children: p.code },
                  { key: 'cat', label: t('project.category'), children: lang === 'en' ? p.catalog.nameEn : p.catalog.nameZh },
                  { key: 'proc', label: t('project.procedure'), children: label(PROCEDURES, p.procedureType, lang) },
                  { key: 'subj', label: lang === 'en' ? 'Subject' : '标的类型', children: label(SUBJECTS, p.subject, lang) },
                  { key: 'est', label: t('project.budget'), children: formatFen(p.estimateFen) },
                  { key: 'thr', label: t('catalog.threshold'), children: p.thresholdFen === null ? '—' : formatFen(p.thresholdFen) },
                  { key: 'region', label: t('project.region'), children: regionLabel(p.regionCode, lang) },
                  { key: 'owner', label: t('project.tenderer'), children: p.ownerOrgName },
                  ...(p.agencyOrgName ? [{ key: 'agency', label: lang === 'en' ? 'Agency' : '代理机构', children: p.agencyOrgName }] : []),
                  { key: 'sub', label: t('project.submittedAt'), children: formatDateTime(p.submittedAt) },
                  { key: 'due', label: t('project.dueAt'), children: formatDateTime(p.dueAt) },
                  ...(p.greenChannelReason ? [{ key: 'gr', label: t('intake.green'), children: p.greenChannelReason }] : []),
                ]}
              />
              <div style={{ marginTop: 16 }}>{intake ? <IntakeActions p={p} /> : <OwnerActions p={p} />}</div>
            </Card>
            {lastReturn && p.status === 'returned' && (
              <Alert
                type="warning"
                showIcon
                data-testid="project-returned-items"
                title={`${t('project.returnedItems')} · ${formatDateTime(lastReturn.returnedAt)}`}
                description={
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {lastReturn.items.map((i) => (
                      <li key={i.code} data-testid="returned-item"><b>{itemLabel(p, i.code, lang)}</b>：{i.note}</li>
                    ))}
                  </ul>
                }
              />
            )}
            {p.pendingItems.length > 0 && (
              <Card size="small" title={t('project.pendingItems')}>
                <List
                  size="small"
                  dataSource={p.pendingItems}
                  renderItem={(i) => (
                    <List.Item data-testid="pending-item">
                      <span>{itemLabel(p, i.code, lang)}</span>
                      <Space wrap>
                        {i.suppliedAt ? <Tag color="green">{formatDateTime(i.suppliedAt)}</Tag> : <Tag color="orange">{t('intake.dueDate')} {i.dueDate}</Tag>}
                        {!intake && !i.suppliedAt && <SupplyPending p={p} code={i.code} />}
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            )}
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('project.lots')}>
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="seq"
                    dataSource={p.lots}
                    columns={[
                      { title: '#', dataIndex: 'seq', width: 48 },
                      { title: t('project.lotName'), dataIndex: 'name' },
                      { title: t('project.lotBudget'), dataIndex: 'estimateFen', align: 'right', render: (v: number) => formatFen(v) },
                    ]}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('project.materials')}>
                  <List
                    size="small"
                    dataSource={p.materials}
                    renderItem={(m) => (
                      <List.Item data-testid="project-material">
                        <span>{lang === 'en' ? m.nameEn : m.nameZh}</span>
                        {m.fileId ? (
                          <a href={`/api/files/${m.fileId}`} target="_blank" rel="noreferrer">{formatDateTime(m.suppliedAt)}</a>
                        ) : (
                          <Tag color="red">{lang === 'en' ? 'Missing' : '未提供'}</Tag>
                        )}
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
            </Row>
            {p.returns.length > 0 && (
              <Card size="small" title={t('project.history')}>
                <Timeline
                  items={p.returns.map((r) => ({
                    color: 'orange',
                    content: (
                      <>
                        <b>{formatDate(r.returnedAt)}</b> {t('intake.returned')} ({r.round})
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>{r.items.map((i) => <li key={i.code}>{itemLabel(p, i.code, lang)}：{i.note}</li>)}</ul>
                      </>
                    ),
                  }))}
                />
              </Card>
            )}
          </Space>
        );
      }}
    </QueryView>
  );
}
