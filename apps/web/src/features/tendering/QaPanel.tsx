import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { FileList } from '../../components/FileUpload';
import { QueryView } from '../../components/Results';
import { tenderApi, useInvalidateTender, type Clarification, type DeadlineChange, type Tender } from './api';
import { BjTime } from './parts';
import { bjTextToIso } from './time';

export function DeadlineChanges({ changes }: { changes: DeadlineChange[] }) {
  const { t } = useI18n();
  if (!changes.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="deadline-moved"
      title={t('tn.deadlineMoved')}
      description={changes.map((c) => (
        <div key={c.lotNo}>{t('tn.lotNo', { n: c.lotNo })}：<BjTime at={c.from} /> → <BjTime at={c.to} /></div>
      ))}
    />
  );
}

/** Anonymous questions (the asker is never shown: the server does not send it) and the clarifications. */
export function QaPanel({ tender }: { tender: Tender }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const invalidate = useInvalidateTender(tender.id);
  const questions = useQuery({ queryKey: ['tender-sub', tender.id, 'questions'], queryFn: () => tenderApi.questions(tender.id) });
  const clarifications = useQuery({ queryKey: ['tender-sub', tender.id, 'clarifications'], queryFn: () => tenderApi.clarifications(tender.id) });
  const [form] = Form.useForm<{ text: string; questionIds: string[]; fileIds: string[]; newBidDeadline?: string }>();
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<Clarification | null>(null);
  const bidding = tender.lots.some((l) => l.status === 'bidding');

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const c = await tenderApi.clarify(tender.id, {
        text: v.text.trim(),
        questionIds: v.questionIds?.length ? v.questionIds : undefined,
        fileIds: v.fileIds?.length ? v.fileIds : undefined,
        newBidDeadline: v.newBidDeadline?.trim() ? bjTextToIso(v.newBidDeadline) : undefined,
      });
      setLast(c);
      form.resetFields();
      await invalidate();
      message.success(t('tn.clarified'));
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={t('tn.questions')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tn.anonymous')}</Typography.Text>}>
        <QueryView query={questions}>
          {(qs) =>
            qs.length === 0 ? <Empty description={t('tn.noQuestions')} /> : (
              <List
                size="small"
                dataSource={qs}
                data-testid="question-list"
                renderItem={(q) => (
                  <List.Item data-testid="question-item">
                    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{q.text}</Typography.Text>
                      <Space size={6} wrap>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}><BjTime at={q.askedAt} /></Typography.Text>
                        {q.clarificationId ? <Tag color="success">{t('tn.answered')}</Tag> : <Tag color="processing">{t('tn.unanswered')}</Tag>}
                      </Space>
                    </Space>
                  </List.Item>
                )}
              />
            )
          }
        </QueryView>
      </Card>
      <Card size="small" title={t('tn.clarifications')}>
        {last && (
          <div style={{ marginBottom: 12 }} data-testid="clarify-result">
            <DeadlineChanges changes={last.deadlineChanges} />
            {last.changeNoticeId && <Link to={`/announcements/${last.changeNoticeId}`} data-testid="change-notice-link">{t('tn.changeNotice')}</Link>}
          </div>
        )}
        <QueryView query={clarifications}>
          {(cs) =>
            cs.length === 0 ? <Empty description={t('tn.noClarifications')} /> : (
              <List
                size="small"
                dataSource={cs}
                data-testid="clarification-list"
                renderItem={(c) => (
                  <List.Item data-testid="clarification-item">
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <Typography.Text strong>{t('tn.clarificationNo', { n: c.seq })} · <BjTime at={c.publishedAt} /></Typography.Text>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Text>
                      <DeadlineChanges changes={c.deadlineChanges} />
                      {c.changeNoticeId && <Link to={`/announcements/${c.changeNoticeId}`}>{t('tn.changeNotice')}</Link>}
                    </Space>
                  </List.Item>
                )}
              />
            )
          }
        </QueryView>
      </Card>
      {bidding && (
        <Card size="small" title={t('tn.clarify')}>
          <Form form={form} layout="vertical" data-testid="clarify-form" initialValues={{ questionIds: [], fileIds: [] }}>
            <Form.Item name="text" label={t('tn.clarifyText')} rules={[{ required: true, whitespace: true, message: t('tn.required') }]}>
              <Input.TextArea rows={4} data-testid="clarify-text" maxLength={20000} />
            </Form.Item>
            {(questions.data ?? []).some((q) => !q.clarificationId) && (
              <Form.Item name="questionIds" label={t('tn.answersQuestions')}>
                <Checkbox.Group data-testid="clarify-questions" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                  options={(questions.data ?? []).filter((q) => !q.clarificationId).map((q) => ({ value: q.id, label: q.text.slice(0, 80) }))} />
              </Form.Item>
            )}
            <Form.Item name="fileIds" label={t('tn.clarifyFiles')}>
              <FileList testId="clarify-files" />
            </Form.Item>
            <Form.Item name="newBidDeadline" label={t('tn.newDeadline')} extra={t('tn.newDeadlineHint')}
              rules={[{ validator: (_, v?: string) => (!v?.trim() || bjTextToIso(v) ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
              <Input placeholder="2026-09-30 09:30" data-testid="clarify-deadline" />
            </Form.Item>
            <Button type="primary" loading={busy} onClick={submit} data-testid="clarify-submit">{t('tn.publishClarification')}</Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
