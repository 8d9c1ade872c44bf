import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Popconfirm, Row, Select, Space, Table, Tree, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { api } from '../../lib/api';
import { entriesToTree, normaliseCatalog, type CatalogEntryRow, type CatalogNode, type CatalogVersionSummary } from '../portal/api';
import { QueryView } from '../../components/Results';
import { StatusTag } from '../../components/Tags';
import { EntryDetail } from '../../portal/CatalogPage';
import { fenToYuanText, formatDateTime, parseYuanToFen } from '../../lib/format';
import { label, PROCEDURES, SUBJECTS } from '../../lib/labels';
import { errorText, fieldErrors } from '../../lib/problem';

interface VersionDetail {
  version: CatalogVersionSummary;
  entries: CatalogEntryRow[];
  comments: { id: string; entryCode: string | null; authorName: string; orgName: string | null; body: string; createdAt: string }[];
}

interface EntryForm {
  code: string;
  parentCode?: string | null;
  sortOrder?: number;
  nameZh: string;
  nameEn: string;
  industry: string;
  thresholds: { subject?: string | null; amount: string }[];
  procedures: string[];
  materials: { code: string; nameZh: string; nameEn: string; requiredWhen: 'always' | 'agency' }[];
  basis?: string;
}

interface TreeNode {
  key: string;
  title: string;
  children: TreeNode[];
}
const toTree = (ns: CatalogNode[], lang: string): TreeNode[] => ns.map((n) => ({ key: n.code, title: `${n.code} · ${lang === 'en' ? n.nameEn : n.name}`, children: toTree(n.children, lang) }));

function EntryEditor({ versionId, entry, entries, onClose }: { versionId: string; entry: CatalogEntryRow | 'new'; entries: CatalogEntryRow[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<EntryForm>();
  const [busy, setBusy] = useState(false);
  const isNew = entry === 'new';
  const initial: Partial<EntryForm> = isNew
    ? { thresholds: [], procedures: [], materials: [], parentCode: null, sortOrder: 0 }
    : { ...entry, thresholds: (entry.thresholds ?? []).map((th) => ({ subject: th.subject, amount: fenToYuanText(th.amountFen) })), procedures: entry.procedures ?? [], materials: (entry.materials ?? []).map((m) => ({ ...m, requiredWhen: m.requiredWhen === 'agency' ? 'agency' : 'always' })) };
  const onOk = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.put(`/api/catalog/versions/${versionId}/entries/${encodeURIComponent(v.code)}`, {
        parentCode: v.parentCode || null,
        sortOrder: v.sortOrder ?? 0,
        nameZh: v.nameZh.trim(),
        nameEn: v.nameEn.trim(),
        industry: v.industry.trim(),
        thresholds: (v.thresholds ?? []).map((th) => ({ subject: th.subject || null, amountFen: parseYuanToFen(th.amount) ?? 0 })),
        procedures: v.procedures ?? [],
        materials: v.materials ?? [],
        basis: v.basis ?? '',
      });
      await qc.invalidateQueries({ queryKey: ['catalog-version', versionId] });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      const fe = fieldErrors(e, lang);
      if (fe) form.setFields(fe as never);
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={isNew ? t('common.create') : `${t('common.edit')} ${entry.code}`} onCancel={onClose} onOk={onOk} confirmLoading={busy} width={760} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} data-testid="catalog-entry-form">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="code" label={t('catalog.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/ }]}>
              <Input disabled={!isNew} placeholder="works.housing" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="parentCode" label={lang === 'en' ? 'Parent' : '上级类别'}>
              <Select allowClear options={entries.filter((e) => !e.parentCode).map((e) => ({ value: e.code, label: `${e.code} · ${lang === 'en' ? e.nameEn : e.nameZh}` }))} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="sortOrder" label={lang === 'en' ? 'Order' : '排序'}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}><Form.Item name="nameZh" label="名称（中文）" rules={[{ required: true, whitespace: true }]}><Input /></Form.Item></Col>
          <Col span={8}><Form.Item name="nameEn" label="Name (English)" rules={[{ required: true, whitespace: true }]}><Input /></Form.Item></Col>
          <Col span={8}><Form.Item name="industry" label={lang === 'en' ? 'Supervising industry' : '行业主管'} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,40}$/ }]}><Input placeholder="housing" /></Form.Item></Col>
        </Row>
        <Form.Item name="procedures" label={t('catalog.procedures')}>
          <Select mode="multiple" options={Object.keys(PROCEDURES).map((p) => ({ value: p, label: label(PROCEDURES, p, lang) }))} />
        </Form.Item>
        <Typography.Text strong>{t('catalog.threshold')}</Typography.Text>
        <Form.List name="thresholds">
          {(fields, { add, remove }) => (
            <div style={{ marginBottom: 12 }}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'subject']}><Select allowClear style={{ width: 130 }} placeholder={lang === 'en' ? 'Any subject' : '不限标的'} options={Object.keys(SUBJECTS).map((s) => ({ value: s, label: label(SUBJECTS, s, lang) }))} /></Form.Item>
                  <Form.Item name={[f.name, 'amount']} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/, message: t('project.budgetInvalid') }]}><Input prefix="¥" style={{ width: 200 }} /></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ subject: null, amount: '' })}>{t('common.create')}</Button>
            </div>
          )}
        </Form.List>
        <Typography.Text strong>{t('project.materials')}</Typography.Text>
        <Form.List name="materials">
          {(fields, { add, remove }) => (
            <div style={{ marginBottom: 12 }}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'code']} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,40}$/ }]}><Input placeholder="code" style={{ width: 130 }} /></Form.Item>
                  <Form.Item name={[f.name, 'nameZh']} rules={[{ required: true }]}><Input placeholder="中文名称" style={{ width: 160 }} /></Form.Item>
                  <Form.Item name={[f.name, 'nameEn']} rules={[{ required: true }]}><Input placeholder="English" style={{ width: 160 }} /></Form.Item>
                  <Form.Item name={[f.name, 'requiredWhen']}><Select style={{ width: 120 }} options={[{ value: 'always', label: lang === 'en' ? 'Always' : '均需提供' }, { value: 'agency', label: lang === 'en' ? 'Via agency' : '代理登记时' }]} /></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ code: '', nameZh: '', nameEn: '', requiredWhen: 'always' })}>{t('common.create')}</Button>
            </div>
          )}
        </Form.List>
        <Form.Item name="basis" label={lang === 'en' ? 'Basis (statute, notice)' : '依据（法规、文件）'}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

function VersionPanel({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['catalog-version', id], queryFn: () => api.get<VersionDetail>(`/api/catalog/versions/${id}`) });
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<CatalogEntryRow | 'new' | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [pubForm] = Form.useForm<{ commentUntil: Dayjs; effectiveFrom: Dayjs }>();
  const tree = useMemo(() => (q.data ? normaliseCatalog({ version: q.data.version, entries: q.data.entries }) : null), [q.data]);
  return (
    <QueryView query={q} rows={8}>
      {(d) => {
        const draft = d.version.state === 'draft';
        const entry = d.entries.find((e) => e.code === selected);
        const node = tree && selected ? normaliseCatalog({ categories: entriesToTree(d.entries) }).categories.flatMap(function walk(n): CatalogNode[] { return [n, ...n.children.flatMap(walk)]; }).find((n) => n.code === selected) : undefined;
        return (
          <Card
            title={<Space>{`v${d.version.versionNo} · ${d.version.title}`}<StatusTag status={d.version.state} /></Space>}
            extra={
              draft && (
                <Space wrap>
                  <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="catalog-add-entry">{t('common.create')}</Button>
                  <Button type="primary" onClick={() => setPublishing(true)} data-testid="catalog-publish">{t('catadmin.publishComment')}</Button>
                </Space>
              )
            }
          >
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Tree blockNode defaultExpandAll treeData={toTree(tree?.categories ?? [], lang)} selectedKeys={selected ? [selected] : []} onSelect={(k) => setSelected((k[0] as string) ?? null)} />
              </Col>
              <Col xs={24} md={12}>
                {node ? (
                  <>
                    <EntryDetail node={node} />
                    {draft && entry && (
                      <Space style={{ marginTop: 12 }}>
                        <Button onClick={() => setEditing(entry)} data-testid="catalog-edit-entry">{t('common.edit')}</Button>
                        <Popconfirm
                          title={t('common.delete')}
                          onConfirm={async () => {
                            try {
                              await api.del(`/api/catalog/versions/${id}/entries/${encodeURIComponent(entry.code)}`);
                              setSelected(null);
                              await qc.invalidateQueries({ queryKey: ['catalog-version', id] });
                            } catch (e) {
                              message.error(errorText(e, lang));
                            }
                          }}
                        >
                          <Button danger>{t('common.delete')}</Button>
                        </Popconfirm>
                      </Space>
                    )}
                  </>
                ) : (
                  <Empty description={lang === 'en' ? 'Select an entry' : '选择左侧条目'} />
                )}
              </Col>
            </Row>
            {d.comments.length > 0 && (
              <List
                style={{ marginTop: 16 }}
                header={<b>{lang === 'en' ? 'Comments' : '意见'}</b>}
                dataSource={d.comments}
                renderItem={(c) => (
                  <List.Item>
                    <List.Item.Meta title={`${c.authorName}${c.orgName ? ` · ${c.orgName}` : ''}${c.entryCode ? ` · ${c.entryCode}` : ''}`} description={formatDateTime(c.createdAt)} />
                    <div style={{ maxWidth: 520 }}>{c.body}</div>
                  </List.Item>
                )}
              />
            )}
            {editing && <EntryEditor versionId={id} entry={editing} entries={d.entries} onClose={() => setEditing(null)} />}
            <Modal
              open={publishing}
              title={t('catadmin.publishComment')}
              onCancel={() => setPublishing(false)}
              onOk={async () => {
                const v = await pubForm.validateFields();
                try {
                  await api.post(`/api/catalog/versions/${id}/publish`, { commentUntil: v.commentUntil.toISOString(), effectiveFrom: v.effectiveFrom.toISOString() });
                  setPublishing(false);
                  await qc.invalidateQueries({ queryKey: ['catalog-version'] });
                  await qc.invalidateQueries({ queryKey: ['catalog-versions'] });
                  await qc.invalidateQueries({ queryKey: ['portal', 'catalog'] });
                } catch (e) {
                  message.error(errorText(e, lang));
                }
              }}
            >
              <Alert type="info" style={{ marginBottom: 12 }} title={lang === 'en' ? 'Times are Beijing time.' : '时间均为北京时间。'} />
              <Form form={pubForm} layout="vertical">
                <Form.Item name="commentUntil" label={lang === 'en' ? 'Comments until' : '征求意见截止'} rules={[{ required: true }]}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>
                <Form.Item name="effectiveFrom" label={t('catalog.effectiveFrom')} rules={[{ required: true }]}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>
              </Form>
            </Modal>
          </Card>
        );
      }}
    </QueryView>
  );
}

export default function CatalogAdminPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['catalog-versions'], queryFn: () => api.get<{ items: CatalogVersionSummary[] }>('/api/catalog/versions') });
  const [picked, setSelected] = useState<string | null>(null);
  // Until the administrator picks one, show the newest draft, else the version in force.
  const selected = picked ?? q.data?.items.find((v) => v.state === 'draft')?.id ?? q.data?.items.find((v) => v.state === 'in_force')?.id ?? null;
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ title: string }>();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('catadmin.versions')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="catalog-new-draft">{t('catadmin.newDraft')}</Button>}>
        <QueryView query={q}>
          {(d) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={d.items}
              scroll={{ x: 640 }}
              onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer', background: r.id === selected ? '#e6f4ff' : undefined } })}
              columns={[
                { title: t('catalog.version'), dataIndex: 'versionNo', width: 70, render: (v: number) => `v${v}` },
                { title: t('common.title'), dataIndex: 'title' },
                { title: t('common.status'), dataIndex: 'state', width: 110, render: (v: string) => <StatusTag status={v} /> },
                { title: lang === 'en' ? 'Comments until' : '征求意见截止', dataIndex: 'commentUntil', width: 150, render: (v: string | null) => formatDateTime(v) },
                { title: t('catalog.effectiveFrom'), dataIndex: 'effectiveFrom', width: 150, render: (v: string | null) => formatDateTime(v) },
              ]}
            />
          )}
        </QueryView>
      </Card>
      {selected && <VersionPanel id={selected} key={selected} />}
      <Modal
        open={creating}
        title={t('catadmin.newDraft')}
        onCancel={() => setCreating(false)}
        onOk={async () => {
          const v = await form.validateFields();
          try {
            const r = await api.post<{ id: string }>('/api/catalog/versions', { title: v.title.trim() });
            setCreating(false);
            form.resetFields();
            await qc.invalidateQueries({ queryKey: ['catalog-versions'] });
            setSelected(r.id);
          } catch (e) {
            message.error(errorText(e, lang));
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={t('common.title')} rules={[{ required: true, whitespace: true, max: 200 }]}><Input data-testid="catalog-draft-title" /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
