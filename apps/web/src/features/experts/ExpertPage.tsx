import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, List, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrors } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { bjTextToIso } from '../tendering/time';
import { expertsApi, useMyExpert, type ConflictKind, type ExpertDetail } from './api';

const CONFLICT_KINDS: ConflictKind[] = ['employment', 'director', 'shareholder', 'relative', 'other'];
import { ApplicationForm } from './ApplicationForm';
import { ExpertRecord, ExpertStatusTag } from './parts';

/**
 * The expert's own page: the application form until there is a record (or again after a return, a rejection or an
 * exit), then the status page — record, availability (leave), later-declared conflicts, annual review, ratings and
 * points, and the way out of the pool.
 */
export default function ExpertPage() {
  const q = useMyExpert();
  const [editing, setEditing] = useState(false);
  return (
    <QueryView query={q}>
      {(e) => {
        if (!e || (e.status === 'returned' && editing) || (editing && (e.status === 'rejected' || e.status === 'exited'))) {
          return <ApplicationForm previous={e} onDone={() => setEditing(false)} />;
        }
        return <StatusPage e={e} onEdit={() => setEditing(true)} />;
      }}
    </QueryView>
  );
}

function useRun() {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<ExpertDetail>, form?: { setFields: (fields: never) => void }) => {
    setBusy(true);
    try {
      const e = await fn();
      qc.setQueryData(['experts', 'me'], e);
      message.success(t('ex.saved'));
      return true;
    } catch (err) {
      const fe = fieldErrors(err, lang);
      if (fe && form) form.setFields(fe as never);
      else message.error(errorText(err, lang));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}

function StatusPage({ e, onEdit }: { e: ExpertDetail; onEdit: () => void }) {
  const { t } = useI18n();
  const [exiting, setExiting] = useState(false);
  const [ending, setEnding] = useState<string | null>(null);
  const [exitForm] = Form.useForm<{ reason: string }>();
  const { run, busy } = useRun();
  const inPool = e.status === 'active' || e.status === 'suspended';
  const last = e.reviews[e.reviews.length - 1];
  const canExit = ['submitted', 'returned', 'active', 'suspended'].includes(e.status);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="expert-page">
      <Card>
        <Space wrap size={12} style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>{t('ex.titleMine')}</Typography.Title>
            <ExpertStatusTag status={e.status} />
          </Space>
          <Space wrap>
            {e.status === 'returned' && <Button type="primary" onClick={onEdit} data-testid="expert-edit">{t('ex.resubmit')}</Button>}
            {(e.status === 'rejected' || e.status === 'exited') && <Button type="primary" onClick={onEdit} data-testid="expert-apply-again">{t('ex.applyAgain')}</Button>}
            {canExit && <Button danger onClick={() => setExiting(true)} data-testid="expert-exit">{inPool ? t('ex.exit') : t('ex.withdrawApp')}</Button>}
          </Space>
        </Space>
        {e.status === 'submitted' && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('ex.submittedOk')} />}
        {e.status === 'returned' && last && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t('ex.returnedTitle')}
            data-testid="expert-returned-reasons"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {last.reasons.map((r) => (
                  <li key={r.field} data-testid="expert-returned-item">
                    <b>{t(`ex.field.${r.field}` as DictKey)}</b>：{r.note}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {e.status === 'rejected' && last && <Alert style={{ marginTop: 12 }} type="error" showIcon title={t('ex.rejectedTitle', { reason: last.comment ?? '' })} />}
      </Card>
      {inPool && <LeaveCard e={e} />}
      <ExpertRecord
        e={e}
        conflictTools={inPool ? <ConflictTools ending={ending} setEnding={setEnding} /> : undefined}
        onEndConflict={inPool ? setEnding : undefined}
      />
      <Modal
        open={exiting}
        title={inPool ? t('ex.exit') : t('ex.withdrawApp')}
        onCancel={() => setExiting(false)}
        confirmLoading={busy}
        okButtonProps={{ danger: true, 'data-testid': 'expert-exit-ok' } as never}
        onOk={async () => {
          const v = await exitForm.validateFields();
          if (await run(() => expertsApi.exit(v.reason), exitForm)) setExiting(false);
        }}
      >
        <Typography.Paragraph>{t('ex.exitConfirm')}</Typography.Paragraph>
        <Form form={exitForm} layout="vertical">
          <Form.Item name="reason" label={t('ex.exitReason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea maxLength={1000} rows={2} data-testid="expert-exit-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Leave periods: declared in Beijing wall-clock time, shown the same way. */
function LeaveCard({ e }: { e: ExpertDetail }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ from: string; to: string; reason: string }>();
  const { run, busy } = useRun();
  const time = { validator: (_: unknown, v?: string) => (!v || bjTextToIso(v) ? Promise.resolve() : Promise.reject(new Error(t('ex.badTime')))) };
  const live = e.leaves.filter((l) => !l.cancelledAt);
  return (
    <Card size="small" title={t('ex.leaves')} data-testid="expert-leaves">
      <List
        size="small"
        dataSource={live}
        locale={{ emptyText: t('ex.none') }}
        renderItem={(l) => {
          const over = new Date(l.endsAt).getTime() <= Date.now() && !l.current;
          return (
            <List.Item
              data-testid="expert-leave"
              actions={over ? [] : [<Button key="w" size="small" onClick={() => run(() => expertsApi.withdrawLeave(l.id))} data-testid="expert-leave-withdraw">{t('ex.leaveWithdraw')}</Button>]}
            >
              <Space wrap>
                <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(l.startsAt)} – {formatDateTime(l.endsAt)}</span>
                <span>{l.reason}</span>
                {l.current && <Tag color="blue">{t('ex.leaveCurrent')}</Tag>}
                {over && <Tag>{t('ex.leavePast')}</Tag>}
              </Space>
            </List.Item>
          );
        }}
      />
      <Form
        form={form}
        layout="vertical"
        style={{ marginTop: 12 }}
        onFinish={async (v) => {
          if (await run(() => expertsApi.declareLeave({ startsAt: bjTextToIso(v.from)!, endsAt: bjTextToIso(v.to)!, reason: v.reason.trim() }), form)) form.resetFields();
        }}
      >
        <Row gutter={8}>
          <Col xs={24} md={7}>
            <Form.Item name="from" label={t('ex.leaveFrom')} rules={[{ required: true }, time]}>
              <Input placeholder="2026-12-01 08:30" data-testid="expert-leave-from" />
            </Form.Item>
          </Col>
          <Col xs={24} md={7}>
            <Form.Item name="to" label={t('ex.leaveTo')} rules={[{ required: true }, time]}>
              <Input placeholder="2026-12-05 18:00" data-testid="expert-leave-to" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="reason" label={t('ex.leaveReason')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={500} data-testid="expert-leave-reason" />
            </Form.Item>
          </Col>
          <Col xs={24} md={4}>
            <Form.Item label=" ">
              <Button htmlType="submit" type="primary" loading={busy} block data-testid="expert-leave-add">{t('ex.leaveAdd')}</Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}

/**
 * A conflict that arises while in the pool (a new directorship, a relative's new company) is declared at once; a
 * relation that ends is given its end date (employment still counts for 3 years after it). Rendered inside the
 * record's conflicts card.
 */
function ConflictTools({ ending, setEnding }: { ending: string | null; setEnding: (id: string | null) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ kind: ConflictKind; orgName: string; orgUscc: string; relation?: string; startedOn?: string }>();
  const [endForm] = Form.useForm<{ endedOn: string }>();
  const { run, busy } = useRun();
  const [open, setOpen] = useState(false);
  return (
    <div style={{ marginBottom: 12 }}>
      <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('ex.conflictsHint')}</Typography.Text>
        <Button size="small" onClick={() => setOpen(!open)} data-testid="expert-conflict-new">{t('ex.conflict.add')}</Button>
      </Space>
      {open && (
        <Form
          form={form}
          layout="vertical"
          style={{ marginTop: 12 }}
          initialValues={{ kind: 'relative' }}
          onFinish={async (v) => {
            const ok = await run(
              () =>
                expertsApi.declareConflict({
                  kind: v.kind,
                  orgName: v.orgName.trim(),
                  orgUscc: v.orgUscc.trim().toUpperCase(),
                  relation: v.relation?.trim() || null,
                  startedOn: v.startedOn?.trim() || null,
                }),
              form,
            );
            if (ok) {
              form.resetFields();
              setOpen(false);
            }
          }}
        >
          <Row gutter={8}>
            <Col xs={24} md={4}>
              <Form.Item name="kind" label={t('ex.conflict.kind')} rules={[{ required: true }]}>
                <Select options={CONFLICT_KINDS.map((k) => ({ value: k, label: t(`ex.conflict.${k}` as DictKey) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={20}>
              <ConflictFields />
            </Col>
          </Row>
          <Button htmlType="submit" type="primary" loading={busy} data-testid="expert-conflict-save">{t('ex.conflict.add')}</Button>
        </Form>
      )}
      <Modal
        open={ending !== null}
        title={t('ex.conflict.end')}
        onCancel={() => setEnding(null)}
        confirmLoading={busy}
        onOk={async () => {
          const v = await endForm.validateFields();
          if (await run(() => expertsApi.endConflict(ending!, v.endedOn.trim()), endForm)) {
            setEnding(null);
            endForm.resetFields();
          }
        }}
      >
        <Form form={endForm} layout="vertical">
          <Form.Item name="endedOn" label={t('ex.conflict.endedOn')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('ex.badDay') }]}>
            <Input placeholder="2026-11-30" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function ConflictFields() {
  const { t } = useI18n();
  return (
    <Row gutter={8}>
      <Col xs={24} md={8}>
        <Form.Item name="orgName" label={t('ex.conflict.org')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="expert-conflict-new-org" />
        </Form.Item>
      </Col>
      <Col xs={24} md={6}>
        <Form.Item name="orgUscc" label={t('ex.uscc')} rules={[{ required: true, len: 18 }]}>
          <Input maxLength={18} data-testid="expert-conflict-new-uscc" />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name="relation" label={t('ex.conflict.relation')}>
          <Input maxLength={50} placeholder={t('ex.conflict.relationPh')} />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name="startedOn" label={t('ex.conflict.startedOn')}>
          <Input placeholder="2026-01-01" />
        </Form.Item>
      </Col>
    </Row>
  );
}
