// The organiser's page of one auction: status and parameters, the registrations to approve or reject, the live board
// and log, and the result after the close. The organiser never sees who leads — numbers only, like everyone else.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Col, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/problem';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { auctionApi, useApplications, useAuction, type Application, type Auction } from './api';
import { Board, EventLog, Params, ResultCard, StatusTag } from './parts';
import { useLive } from './useLive';

const APP_COLOR: Record<string, string> = { applied: 'gold', approved: 'green', rejected: 'red' };

function Decide({ auctionId, a }: { auctionId: string; a: Application }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (a.status !== 'applied') return null;
  const decide = async (approve: boolean) => {
    setBusy(true);
    try {
      await auctionApi.decide(auctionId, a.applicationId, approve, approve ? undefined : reason.trim() || undefined);
      setRejecting(false);
      await qc.invalidateQueries({ queryKey: ['auction', auctionId] });
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap>
      <Button type="primary" size="small" loading={busy} onClick={() => void decide(true)} data-testid="au-approve">{t('au.approve')}</Button>
      <Button danger size="small" disabled={busy} onClick={() => setRejecting(true)} data-testid="au-reject">{t('au.reject')}</Button>
      <Modal open={rejecting} title={t('au.reject')} okText={t('au.reject')} okButtonProps={{ danger: true, loading: busy, 'data-testid': 'au-reject-ok' } as never} cancelText={t('au.cancel')} onOk={() => void decide(false)} onCancel={() => setRejecting(false)}>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('au.rejectReason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="au-reject-reason" />
      </Modal>
    </Space>
  );
}

function Applications({ auction }: { auction: Auction }) {
  const { t } = useI18n();
  const q = useApplications(auction.id);
  const status = (a: Application) => <Tag color={APP_COLOR[a.status] ?? 'default'} data-testid="au-app-status" data-status={a.status}>{t(`au.app.${a.status}` as DictKey)}</Tag>;
  const no = (a: Application) => (a.biddingNo === null ? '—' : <span data-testid="au-app-no">{t('au.bidderN', { n: a.biddingNo })}</span>);
  return (
    <QueryView query={q}>
      {(rows) => (
        <ResponsiveList<Application>
          data={rows}
          rowKey={(a) => a.applicationId}
          testId="au-applications"
          itemTestId="au-application"
          columns={[
            { title: t('au.appliedAt'), width: 170, render: (_, a) => formatDateTime(a.appliedAt, true) },
            { title: t('au.org'), width: 120, render: (_, a) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{a.orgId.slice(0, 8)}</Typography.Text> },
            { title: t('au.materials'), width: 90, render: (_, a) => a.materialFileIds.length },
            { title: t('au.status'), width: 100, render: (_, a) => status(a) },
            { title: t('au.biddingNo'), width: 110, render: (_, a) => no(a) },
            { title: '', width: 170, render: (_, a) => <Decide auctionId={auction.id} a={a} /> },
          ]}
          card={(a) => (
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>{status(a)}{no(a)}</Space>
              <span>{t('au.appliedAt')}：{formatDateTime(a.appliedAt, true)}</span>
              <Decide auctionId={auction.id} a={a} />
            </Space>
          )}
        />
      )}
    </QueryView>
  );
}

function Manage({ auction }: { auction: Auction }) {
  const { t } = useI18n();
  const live = useLive(auction.id, auction);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="au-manage">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="au-title">{auction.title}</Typography.Title>
          <StatusTag status={auction.status} phase={auction.phase} />
        </Space>
        <Link to={`/auctions/${auction.id}`} target="_blank" data-testid="au-public-link"><Button>{t('au.publicLink')}</Button></Link>
      </Space>
      <ResultCard auction={auction} pdf />
      <Board auction={auction} live={live} />
      <Params auction={auction} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Typography.Title level={5}>{t('au.applications')}</Typography.Title>
          <Applications auction={auction} />
        </Col>
        <Col xs={24} lg={10}>
          <EventLog events={live.events} />
        </Col>
      </Row>
      {auction.status === 'open' && <Alert type="info" showIcon title={t('au.organiserView')} />}
    </Space>
  );
}

export default function AuctionManagePage() {
  const { id = '' } = useParams();
  const q = useAuction(id);
  return <QueryView query={q}>{(a) => <Manage auction={a} />}</QueryView>;
}
