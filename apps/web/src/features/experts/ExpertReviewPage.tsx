import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { App, Button, Card, Col, Form, Input, InputNumber, List, Modal, Row, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrors } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { bjTextToIso } from '../tendering/time';
import { expertsApi, RETURN_FIELDS, useExpert, type ExpertDetail } from './api';
import { ExpertRecord } from './parts';

type Action = 'approve' | 'return' | 'reject' | 'annual' | 'blacklist' | 'points' | 'remove' | 'lift';

/** One expert record for a supervisor, with the decisions the record's status allows. */
export default function ExpertReviewPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const q = useExpert(id);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {q.data && <Decisions e={q.data} />}
      <QueryView query={q} rows={10}>
        {(e) => <ExpertRecord e={e} extra={<Link to="/workbench/expert-review">{t('common.back')}</Link>} />}
      </QueryView>
    </Space>
  );
}

function Decisions({ e }: { e: ExpertDetail }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [entry, setEntry] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const thisYear = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  const inPool = e.status === 'active' || e.status === 'suspended';

  const open = (a: Action, entryId: string | null = null) => {
    form.resetFields();
    setEntry(entryId);
    setAction(a);
  };
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const calls: Record<Action, () => Promise<ExpertDetail>> = {
        approve: () => expertsApi.approve(e.id, v.comment?.trim() || null),
        return: () => expertsApi.returnApplication(e.id, v.reasons.map((r: { field: string; note: string }) => ({ field: r.field, note: r.note.trim() }))),
        reject: () => expertsApi.reject(e.id, v.reason.trim()),
        annual: () => expertsApi.annualReview(e.id, { year: v.year, result: v.result, comment: v.comment?.trim() || null }),
        blacklist: () => expertsApi.blacklist(e.id, { reason: v.reason.trim(), basis: v.basis?.trim() || null, endsAt: v.endsAt ? bjTextToIso(v.endsAt)! : null }),
        points: () => expertsApi.incentive(e.id, { kind: v.kind, points: v.points, reason: v.reason.trim() }),
        remove: () => expertsApi.remove(e.id, v.reason.trim()),
        lift: () => expertsApi.liftBlacklist(e.id, entry!, v.reason.trim()),
      };
      const next = await calls[action!]();
      qc.setQueryData(['experts', 'one', e.id], next);
      await qc.invalidateQueries({ queryKey: ['experts', 'list'] });
      message.success(t('ex.saved'));
      setAction(null);
    } catch (err) {
      const fe = fieldErrors(err, lang);
      if (fe) form.setFields(fe as never);
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const reason = (label: DictKey = 'ex.reason') => (
    <Form.Item name="reason" label={t(label)} rules={[{ required: true, whitespace: true }]}>
      <Input.TextArea rows={2} maxLength={1000} data-testid="expert-action-reason" />
    </Form.Item>
  );
  const bodies: Record<Action, { title: DictKey; body: ReactNode; danger?: boolean }> = {
    approve: {
      title: 'ex.approve',
      body: (
        <>
          <Typography.Paragraph>{t('ex.approveConfirm')}</Typography.Paragraph>
          <Form.Item name="comment" label={t('ex.comment')}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="expert-approve-comment" />
          </Form.Item>
        </>
      ),
    },
    return: {
      title: 'ex.return',
      body: (
        <Form.List name="reasons" initialValue={[{ field: undefined, note: '' }]}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top">
                  <Col span={8}>
                    <Form.Item name={[f.name, 'field']} label={t('ex.returnItem')} rules={[{ required: true }]}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        options={RETURN_FIELDS.map((x) => ({ value: x, label: t(`ex.field.${x}` as DictKey) }))}
                        data-testid={`expert-return-field-${f.name}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={14}>
                    <Form.Item name={[f.name, 'note']} label={t('ex.returnNote')} rules={[{ required: true, whitespace: true }]}>
                      <Input maxLength={1000} data-testid={`expert-return-note-${f.name}`} />
                    </Form.Item>
                  </Col>
                  <Col span={2} style={{ paddingTop: 34 }}>
                    {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ note: '' })} data-testid="expert-return-add">{t('ex.addItem')}</Button>
            </>
          )}
        </Form.List>
      ),
    },
    reject: { title: 'ex.reject', body: reason(), danger: true },
    remove: { title: 'ex.remove', body: reason(), danger: true },
    lift: { title: 'ex.lift', body: reason() },
    annual: {
      title: 'ex.recordAnnual',
      body: (
        <Row gutter={8}>
          <Col span={8}>
            <Form.Item name="year" label={t('ex.year')} initialValue={e.annualReviewDue?.year ?? thisYear} rules={[{ required: true }]}>
              <InputNumber min={2000} max={thisYear} style={{ width: '100%' }} data-testid="expert-annual-year" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="result" label={t('ex.result')} initialValue="pass" rules={[{ required: true }]}>
              <Select options={[{ value: 'pass', label: t('ex.pass') }, { value: 'fail', label: t('ex.fail') }]} data-testid="expert-annual-result" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="comment" label={t('ex.comment')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      ),
    },
    blacklist: {
      title: 'ex.blacklistAdd',
      danger: true,
      body: (
        <>
          {reason()}
          <Form.Item name="basis" label={t('ex.basis')}>
            <Input maxLength={500} placeholder="《招标投标法实施条例》第七十一条" />
          </Form.Item>
          <Form.Item
            name="endsAt"
            label={t('ex.blacklistEnds')}
            rules={[{ validator: (_: unknown, v?: string) => (!v || bjTextToIso(v) ? Promise.resolve() : Promise.reject(new Error(t('ex.badTime')))) }]}
          >
            <Input placeholder="2027-12-31 23:59" data-testid="expert-blacklist-ends" />
          </Form.Item>
        </>
      ),
    },
    points: {
      title: 'ex.addPoints',
      body: (
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="kind" label={t('ex.kind')} initialValue="incentive" rules={[{ required: true }]}>
              <Select options={[{ value: 'incentive', label: t('ex.incentive') }, { value: 'penalty', label: t('ex.penalty') }]} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="points" label={t('ex.pointsN')} initialValue={1} rules={[{ required: true }]}>
              <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>{reason()}</Col>
        </Row>
      ),
    },
  };

  const bars = e.blacklist.filter((b) => b.inForce);
  if (e.status !== 'submitted' && !inPool) return null;
  return (
    <Card size="small" title={t('ex.decisions')} data-testid="expert-decisions">
      <Space wrap>
        {e.status === 'submitted' && (
          <>
            <Button type="primary" onClick={() => open('approve')} data-testid="expert-approve">{t('ex.approve')}</Button>
            <Button onClick={() => open('return')} data-testid="expert-return">{t('ex.return')}</Button>
            <Button danger onClick={() => open('reject')} data-testid="expert-reject">{t('ex.reject')}</Button>
          </>
        )}
        {inPool && (
          <>
            <Button onClick={() => open('annual')} data-testid="expert-annual">{t('ex.recordAnnual')}</Button>
            <Button onClick={() => open('points')} data-testid="expert-points">{t('ex.addPoints')}</Button>
            <Button danger onClick={() => open('blacklist')} data-testid="expert-blacklist">{t('ex.blacklistAdd')}</Button>
            <Button danger onClick={() => open('remove')} data-testid="expert-remove">{t('ex.remove')}</Button>
          </>
        )}
      </Space>
      {bars.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 12 }}
          dataSource={bars}
          renderItem={(b) => (
            <List.Item actions={[<Button key="lift" size="small" onClick={() => open('lift', b.id)} data-testid="expert-lift">{t('ex.lift')}</Button>]}>
              {b.reason} · {formatDateTime(b.startsAt)} {b.endsAt ? t('ex.until', { until: formatDateTime(b.endsAt) }) : t('ex.indefinite')}
            </List.Item>
          )}
        />
      )}
      <Modal
        open={action !== null}
        title={action ? t(bodies[action].title) : ''}
        onCancel={() => setAction(null)}
        onOk={submit}
        confirmLoading={busy}
        okButtonProps={{ danger: action ? bodies[action].danger : false, 'data-testid': 'expert-modal-ok' } as never}
        width={640}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} data-testid="expert-action-form">
          {action && bodies[action].body}
        </Form>
      </Modal>
    </Card>
  );
}
