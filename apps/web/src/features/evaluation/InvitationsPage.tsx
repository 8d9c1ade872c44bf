import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { useSpecialties } from '../experts/api';
import { evalApi, useInvitations, type Invitation } from './api';

const STATUS_COLOR: Record<string, string> = { invited: 'gold', confirmed: 'green', declined: 'default', expired: 'default', voided: 'red' };

/**
 * 我的评标邀请: the expert's draws — confirm or decline before the reply deadline, then check in on the day with the
 * conflict question (a declared conflict voids the seat and the server draws a replacement, ADR 0019).
 */
export default function InvitationsPage() {
  const { t } = useI18n();
  const q = useInvitations();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="ev-invitations-page">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('ev.invitations')}</Typography.Title>
      <Alert type="info" showIcon title={t('ev.invIntro')} />
      <QueryView query={q}>{(list) => <InvitationList list={list} />}</QueryView>
    </Space>
  );
}

function InvitationList({ list }: { list: Invitation[] }) {
  const { t, lang } = useI18n();
  const sp = useSpecialties();
  const specialty = (code: string) => {
    const x = sp.data?.items.find((s) => s.code === code);
    return x ? `${lang === 'en' ? x.nameEn : x.nameZh} ${code}` : code;
  };
  const status = (i: Invitation) => (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[i.status] ?? 'default'} data-testid="ev-inv-status" data-status={i.status}>{t(`ev.st.${i.status}` as DictKey)}</Tag>
      {i.checkedInAt && <Tag color="blue" data-testid="ev-inv-checked-in">{t('ev.checkedIn')}</Tag>}
    </Space>
  );
  const project = (i: Invitation) => (i.project ? `${i.project.title} · ${t('ev.lotNo')} ${i.project.lotNo}` : <Typography.Text type="secondary">{t('ev.projectHidden')}</Typography.Text>);
  return (
    <ResponsiveList
      data={list}
      rowKey={(i) => i.id}
      testId="ev-invitation-list"
      itemTestId="ev-invitation"
      columns={[
        { title: t('ev.project'), render: (_, i) => project(i) },
        { title: t('ev.specialty'), render: (_, i) => specialty(i.specialty) },
        { title: t('ev.evaluationAt'), render: (_, i) => formatDateTime(i.evaluationAt) },
        { title: t('ev.respondBy'), render: (_, i) => formatDateTime(i.respondBy) },
        { title: t('ev.status'), render: (_, i) => status(i) },
        { title: '', render: (_, i) => <Actions i={i} /> },
      ]}
      card={(i) => (
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>{status(i)}<Typography.Text type="secondary">{specialty(i.specialty)}</Typography.Text></Space>
          <div>{project(i)}</div>
          <div>{t('ev.evaluationAt')}：{formatDateTime(i.evaluationAt)}</div>
          {i.status === 'invited' && <div>{t('ev.respondBy')}：{formatDateTime(i.respondBy)}</div>}
          <Actions i={i} />
        </Space>
      )}
    />
  );
}

function Actions({ i }: { i: Invitation }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [checking, setChecking] = useState(false);
  const [reason, setReason] = useState('');
  const [conflict, setConflict] = useState<'no' | 'yes'>('no');
  const run = async (fn: () => Promise<unknown>, ok?: string) => {
    setBusy(true);
    try {
      const r = await fn();
      if (Array.isArray(r)) qc.setQueryData(['expert-draws', 'mine'], r);
      else await qc.invalidateQueries({ queryKey: ['expert-draws', 'mine'] });
      message.success(ok ?? t('ev.saved'));
      return true;
    } catch (e) {
      message.error(errorText(e, lang));
      return false;
    } finally {
      setBusy(false);
    }
  };
  if (i.status === 'invited') {
    // The server's clock decides whether the reply deadline has passed (EXPERTDRAW_* errors), not the browser's.
    return (
      <Space wrap>
        <Button type="primary" loading={busy} onClick={() => run(() => evalApi.confirm(i.id))} data-testid="ev-confirm">{t('ev.confirm')}</Button>
        <Button danger onClick={() => setDeclining(true)} data-testid="ev-decline">{t('ev.decline')}</Button>
        <Modal open={declining} title={t('ev.decline')} onCancel={() => setDeclining(false)} okButtonProps={{ disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'ev-decline-ok' } as never}
          onOk={async () => (await run(() => evalApi.decline(i.id, reason.trim()))) && setDeclining(false)}>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('ev.declineReason')} data-testid="ev-decline-reason" />
        </Modal>
      </Space>
    );
  }
  if (i.status === 'confirmed' && !i.checkedInAt) {
    return (
      <>
        <Button type="primary" onClick={() => setChecking(true)} data-testid="ev-checkin">{t('ev.checkIn')}</Button>
        <Modal open={checking} title={t('ev.checkIn')} onCancel={() => setChecking(false)}
          okButtonProps={{ disabled: conflict === 'yes' && reason.trim().length < 2, loading: busy, 'data-testid': 'ev-checkin-ok' } as never}
          onOk={async () => (await run(() => evalApi.checkIn(i.id, conflict === 'yes' ? { reason: reason.trim() } : null), conflict === 'yes' ? t('ev.voided') : t('ev.checkedIn'))) && setChecking(false)}>
          <Typography.Paragraph>{t('ev.conflictQ')}</Typography.Paragraph>
          <Radio.Group value={conflict} onChange={(e) => setConflict(e.target.value)} data-testid="ev-conflict">
            <Space orientation="vertical">
              <Radio value="no" data-testid="ev-conflict-no">{t('ev.conflictNo')}</Radio>
              <Radio value="yes" data-testid="ev-conflict-yes">{t('ev.conflictYes')}</Radio>
            </Space>
          </Radio.Group>
          {conflict === 'yes' && <Input.TextArea rows={3} style={{ marginTop: 12 }} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('ev.conflictReason')} data-testid="ev-conflict-reason" />}
        </Modal>
      </>
    );
  }
  if (i.status === 'confirmed' && i.project)
    return <Button onClick={() => navigate(`/workbench/evaluations/lots/${i.project!.lotId}`)} data-testid="ev-open-workspace">{t('ev.openWorkspace')}</Button>;
  return null;
}
