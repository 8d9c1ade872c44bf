import { useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { announcementsApi, useWorkbenchAnnouncements, type WorkbenchAnnouncement } from './api';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { AnnouncementTypeTag, StatusTag } from '../../components/Tags';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/problem';
import { regionLabel } from '../../lib/regions';
import { indexCatalog, useCatalog } from '../portal/api';

/** The center's review queue: read the submitted text as it will be published, then approve or reject. */
export default function ReviewQueuePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useWorkbenchAnnouncements('review');
  const [open, setOpen] = useState<WorkbenchAnnouncement | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  // Reviewers read the category's name, not its code.
  const catalog = useCatalog();
  const categories = useMemo(() => indexCatalog(catalog.data?.categories ?? []), [catalog.data]);
  const categoryName = (code: string) => {
    const c = categories.get(code);
    return c ? (lang === 'en' ? c.nameEn : c.name) : code;
  };
  const act = async (fn: () => Promise<unknown>, text: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(text);
      setOpen(null);
      setRejecting(false);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['announcements'] });
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const columns = [
    { title: t('ann.title'), dataIndex: 'title', render: (_: unknown, a: WorkbenchAnnouncement) => <a onClick={() => setOpen(a)} data-testid="review-open">{a.title}</a> },
    { title: t('ann.type'), dataIndex: 'type', width: 160, render: (v: string) => <AnnouncementTypeTag type={v} /> },
    { title: t('ann.publisher'), dataIndex: 'publisherName', width: 200 },
    { title: t('project.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
  ];
  return (
    <Card title={t('annwb.review')}>
      <QueryView query={q}>
        {(page) => (
          <ResponsiveList<WorkbenchAnnouncement>
            data={page.items}
            columns={columns}
            rowKey={(a) => a.id}
            testId="review-list"
            itemTestId="review-item"
            card={(a) => (
              <Space orientation="vertical" size={2}>
                <a onClick={() => setOpen(a)} style={{ fontWeight: 500 }}>{a.title}</a>
                <Space size={6}><AnnouncementTypeTag type={a.type} /><Typography.Text type="secondary">{a.publisherName}</Typography.Text></Space>
              </Space>
            )}
          />
        )}
      </QueryView>
      <Drawer open={!!open} onClose={() => (setOpen(null), setRejecting(false))} size={760} title={open?.title} data-testid="review-drawer"
        extra={
          open?.status === 'in_review' && (
            <Space>
              <Button danger onClick={() => setRejecting(true)} data-testid="review-reject">{t('annwb.reject')}</Button>
              <Button type="primary" loading={busy && !rejecting} onClick={() => open && act(() => announcementsApi.approve(open.id), t('annwb.approved'))} data-testid="review-approve">
                {t('annwb.approve')}
              </Button>
            </Space>
          )
        }
      >
        {open && (
          <>
            <Descriptions size="small" column={1} style={{ marginBottom: 12 }} items={[
              { key: 's', label: t('common.status'), children: <StatusTag status={open.status} /> },
              { key: 't', label: t('ann.type'), children: <AnnouncementTypeTag type={open.type} /> },
              { key: 'c', label: t('ann.category'), children: categoryName(open.categoryCode) },
              { key: 'r', label: t('ann.region'), children: regionLabel(open.regionCode, lang) },
              { key: 'p', label: t('ann.publisher'), children: open.publisherName },
              { key: 'a', label: t('ann.attachments'), children: open.attachmentIds.length ? open.attachmentIds.map((f) => <div key={f}><a href={`/api/files/${f}`} target="_blank" rel="noreferrer">{f}</a></div>) : t('ann.noAttachments') },
            ]} />
            {rejecting && (
              <Form form={form} layout="vertical" onFinish={(v) => act(() => announcementsApi.reject(open.id, v.reason.trim()), t('annwb.rejected'))} style={{ marginBottom: 16 }}>
                <Form.Item name="reason" label={t('annwb.rejectReason')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
                  <Input.TextArea rows={3} data-testid="review-reject-reason" />
                </Form.Item>
                <Button danger htmlType="submit" loading={busy} data-testid="review-reject-confirm">{t('annwb.reject')}</Button>
              </Form>
            )}
            <div className="yw-richtext" dangerouslySetInnerHTML={{ __html: open.bodyHtml }} data-testid="review-body" />
          </>
        )}
      </Drawer>
    </Card>
  );
}
