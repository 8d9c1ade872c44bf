import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Skeleton, Space, Tabs, TreeSelect, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { ANNOUNCEMENT_TYPES, ANNOUNCEMENT_TYPES_NEEDING_RELATED, type AnnouncementType } from '@yiwang/contracts';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { announcementsApi, useWorkbenchAnnouncement, type DraftInput } from './api';
import { useCatalog, type CatalogNode } from '../portal/api';
import { RichTextArea } from './RichTextArea';
import { FileList } from '../../components/FileUpload';
import { StatusTag } from '../../components/Tags';
import { ANNOUNCEMENT_TYPES as TYPE_LABELS, label } from '../../lib/labels';
import { errorText, fieldErrors } from '../../lib/problem';
import { formatDateTime } from '../../lib/format';
import { RegionSelect } from '../../components/RegionSelect';
import { ProjectSelect } from './ProjectSelect';

interface Opt {
  title: string;
  value: string;
  children: Opt[];
}
const toOpts = (ns: CatalogNode[], lang: string): Opt[] => ns.map((n) => ({ title: lang === 'en' ? n.nameEn : n.name, value: n.code, children: toOpts(n.children, lang) }));

export default function AnnouncementEditor() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<DraftInput>();
  const q = useWorkbenchAnnouncement(id);
  const catalog = useCatalog();
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const type = Form.useWatch('type', form) as AnnouncementType | undefined;
  const a = q.data;
  const editable = !a || a.status === 'draft';
  const catOpts = useMemo(() => toOpts(catalog.data?.categories ?? [], lang), [catalog.data, lang]);

  useEffect(() => {
    if (a) form.setFieldsValue({ type: a.type, title: a.title, categoryCode: a.categoryCode, regionCode: a.regionCode, projectId: a.projectId, bodyHtml: a.bodyHtml, attachmentIds: a.attachmentIds, relatedId: a.relatedId });
  }, [a, form]);

  const save = async (andSubmit: boolean) => {
    setError(null);
    let v: DraftInput;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const input: DraftInput = {
      type: v.type,
      title: v.title.trim(),
      categoryCode: v.categoryCode,
      regionCode: v.regionCode.trim(),
      projectId: v.projectId?.trim() || null,
      bodyHtml: v.bodyHtml,
      attachmentIds: v.attachmentIds ?? [],
      relatedId: v.relatedId?.trim() || null,
    };
    setBusy(andSubmit ? 'submit' : 'save');
    try {
      let saved = id ? await announcementsApi.update(id, input) : await announcementsApi.create(input);
      if (andSubmit) saved = await announcementsApi.submit(saved.id);
      qc.setQueryData(['announcement', saved.id], saved);
      await qc.invalidateQueries({ queryKey: ['announcements'] });
      message.success(andSubmit ? t('common.submitted') : t('common.saved'));
      if (!id) navigate(`/workbench/announcements/${saved.id}`, { replace: true });
    } catch (e) {
      const fe = fieldErrors(e, lang);
      if (fe) form.setFields(fe as never);
      setError(errorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  if (id && q.isPending) return <Card><Skeleton active paragraph={{ rows: 12 }} /></Card>;

  return (
    <Card
      title={
        <Space>
          {id ? t('annwb.edit') : t('annwb.new')}
          {a && <StatusTag status={a.status} />}
        </Space>
      }
      extra={<Link to="/workbench/announcements">{t('common.back')}</Link>}
    >
      {a?.rejectReason && a.status === 'draft' && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`${t('annwb.rejectReason')}：${a.rejectReason}`} data-testid="annwb-reject-reason" />}
      {a && a.status !== 'draft' && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`${t(`status.${a.status}` as 'status.draft')} · ${formatDateTime(a.publishedAt ?? a.submittedAt)}`} />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="annwb-error" />}
      <Form form={form} layout="vertical" disabled={!editable} initialValues={{ type: 'tender_notice', bodyHtml: '<p></p>', attachmentIds: [] }} data-testid="annwb-form">
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="title" label={t('ann.title')} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input maxLength={200} data-testid="annwb-title" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="type" label={t('ann.type')} rules={[{ required: true }]}>
              <Select options={ANNOUNCEMENT_TYPES.map((v) => ({ value: v, label: label(TYPE_LABELS, v, lang) }))} data-testid="annwb-type" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="categoryCode" label={t('ann.category')} rules={[{ required: true }]}>
              <TreeSelect treeData={catOpts} showSearch={{ treeNodeFilterProp: 'title' }} data-testid="annwb-category" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="regionCode" label={t('ann.region')} rules={[{ required: true }]}>
              <RegionSelect testId="annwb-region" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="projectId" label={t('annwb.projectId')}>
              <ProjectSelect testId="annwb-project" />
            </Form.Item>
          </Col>
          {type && ANNOUNCEMENT_TYPES_NEEDING_RELATED.includes(type) && (
            <Col xs={24} md={16}>
              <Form.Item name="relatedId" label={t('ann.links')} rules={[{ required: true, whitespace: true }]} extra={lang === 'en' ? 'The announcement this one changes or ends (its ID).' : '本公告所变更或终止的原公告（ID）。'}>
                <Input placeholder="UUID" data-testid="annwb-related" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Tabs
          items={[
            {
              key: 'edit',
              label: t('annwb.body'),
              children: (
                <Form.Item name="bodyHtml" rules={[{ required: true, whitespace: true }]} extra={t('annwb.bodyHint')}>
                  <RichTextArea testId="annwb-body" />
                </Form.Item>
              ),
            },
            {
              key: 'preview',
              label: `${t('annwb.preview')}${lang === 'en' ? ' (as saved)' : '（已保存版本）'}`,
              children: a ? (
                // What the server stored, after its sanitiser: the same HTML the portal will show.
                <div className="yw-richtext" style={{ border: '1px solid #f0f0f0', padding: 16, borderRadius: 6 }} dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
              ) : (
                <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
              ),
            },
          ]}
        />
        <Form.Item name="attachmentIds" label={t('ann.attachments')}>
          <FileList testId="annwb-attachments" />
        </Form.Item>
        {editable && (
          <Space wrap>
            <Button onClick={() => save(false)} loading={busy === 'save'} disabled={!!busy} data-testid="annwb-save">{t('common.save')}</Button>
            <Button type="primary" onClick={() => save(true)} loading={busy === 'submit'} disabled={!!busy} data-testid="annwb-submit">{t('annwb.submitReview')}</Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}
