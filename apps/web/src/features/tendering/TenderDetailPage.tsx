import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { App, Button, Card, Descriptions, List, Popconfirm, Segmented, Space, Tabs, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { formatBytes, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { tenderApi, useInvalidateTender, useTender, type Tender, type TenderLot } from './api';
import { BjTime, LotStatusTag } from './parts';
import { QaPanel } from './QaPanel';
import { ObjectionsPanel } from './ObjectionsPanel';
import { OpeningPanel } from './OpeningPanel';
import { AwardPanel } from './AwardPanel';
import { ObtainsPanel } from './ObtainsPanel';
import { NegotiationPanel } from '../negotiation/NegotiationPanel';
import { NEGOTIATING_PROCEDURES } from '../negotiation/api';

/** One tender through its life: settings and publication, Q&A, objections, the opening room and the award, per lot. */
export default function TenderDetailPage() {
  const { id } = useParams();
  const q = useTender(id);
  return <QueryView query={q}>{(t) => <Detail tender={t} />}</QueryView>;
}

function Detail({ tender }: { tender: Tender }) {
  const { t, lang, pick } = useI18n();
  const { message } = App.useApp();
  const invalidate = useInvalidateTender(tender.id);
  const [params, setParams] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const tab = params.get('tab') ?? 'overview';
  const lotNo = Number(params.get('lot') ?? tender.lots[0]?.lotNo ?? 1);
  const draft = tender.status === 'draft';
  const lotPicker = tender.lots.length > 1 && (
    <Segmented
      data-testid="lot-picker"
      value={lotNo}
      onChange={(v) => setParams((p) => { p.set('lot', String(v)); return p; })}
      options={tender.lots.map((l) => ({ value: l.lotNo, label: t('tn.lotNo', { n: l.lotNo }) }))}
      style={{ marginBottom: 12 }}
    />
  );
  const lotColumns = [
    { title: t('tn.lot'), key: 'lot', render: (_: unknown, l: TenderLot) => `${t('tn.lotNo', { n: l.lotNo })} ${l.name}` },
    { title: t('tn.deposit'), dataIndex: 'depositFen', width: 140, align: 'right' as const, render: (v: number) => formatFen(v) },
    { title: t('tn.deadline'), dataIndex: 'bidDeadline', width: 210, render: (v: string) => <BjTime at={v} testId="lot-deadline" /> },
    { title: t('tn.status'), dataIndex: 'status', width: 150, render: (_: string, l: TenderLot) => <Space size={4}><LotStatusTag status={l.status} />{l.deadlineHeld && <Tag color="orange">{t('tn.held')}</Tag>}</Space> },
  ];
  const overview = (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ResponsiveList<TenderLot>
        data={tender.lots}
        columns={lotColumns}
        rowKey={(l) => String(l.lotNo)}
        testId="tender-lots"
        itemTestId="tender-lot"
        card={(l) => (
          <Space orientation="vertical" size={2}>
            <Typography.Text strong>{t('tn.lotNo', { n: l.lotNo })} {l.name}</Typography.Text>
            <Space size={4}><LotStatusTag status={l.status} />{l.deadlineHeld && <Tag color="orange">{t('tn.held')}</Tag>}</Space>
            <Typography.Text type="secondary">{t('tn.deadline')}：<BjTime at={l.bidDeadline} /></Typography.Text>
            <Typography.Text type="secondary">{t('tn.deposit')}：{formatFen(l.depositFen)}</Typography.Text>
          </Space>
        )}
      />
      <Card size="small" title={t('tn.documents')}>
        <List
          size="small"
          dataSource={tender.documents}
          data-testid="tender-document-list"
          renderItem={(d) => (
            <List.Item data-testid="tender-document">
              <Space wrap>
                {d.fileId ? <a href={`/api/files/${d.fileId}`} target="_blank" rel="noreferrer">{d.name}</a> : d.name}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatBytes(d.size)}</Typography.Text>
                {d.clarificationId && <Tag>{t('tn.fromClarification')}</Tag>}
                <Typography.Text type="secondary" copyable={{ text: d.sha256 }} style={{ fontSize: 12 }}>SHA-256 {d.sha256.slice(0, 12)}…</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('tn.escrow')}>
        <Typography.Paragraph>{t('tn.kOfN', { k: tender.escrow.k, n: tender.escrow.custodians.length })}</Typography.Paragraph>
        <Space wrap>
          {tender.escrow.custodians.map((c) => <Tag key={c.accountId}>{t(`tn.kind.${c.kind}` as never)} · {c.displayName}</Tag>)}
        </Space>
        {tender.invitedOrgs && tender.invitedOrgs.length > 0 && (
          <>
            <Typography.Title level={5} style={{ marginTop: 12 }}>{t('tn.invited')}</Typography.Title>
            <Space wrap>{tender.invitedOrgs.map((o) => <Tag key={o.orgId}>{o.name}</Tag>)}</Space>
          </>
        )}
      </Card>
    </Space>
  );
  const items = [
    { key: 'overview', label: t('tn.tab.overview'), children: overview },
    ...(draft
      ? []
      : [
          { key: 'qa', label: t('tn.tab.qa'), children: <QaPanel tender={tender} /> },
          { key: 'objections', label: t('tn.tab.objections'), children: <ObjectionsPanel tender={tender} /> },
          { key: 'obtains', label: t('tn.tab.obtains'), children: <ObtainsPanel tender={tender} /> },
          { key: 'opening', label: t('tn.tab.opening'), children: <>{lotPicker}<OpeningPanel key={lotNo} tender={tender} lotNo={lotNo} /></> },
          ...(NEGOTIATING_PROCEDURES.has(tender.procedureType)
            ? [{ key: 'negotiation', label: t('tn.tab.negotiation'), children: <>{lotPicker}<NegotiationPanel key={lotNo} tender={tender} lotNo={lotNo} /></> }]
            : []),
          { key: 'award', label: t('tn.tab.award'), children: <>{lotPicker}<AwardPanel key={lotNo} tender={tender} lotNo={lotNo} /></> },
        ]),
  ];
  return (
    <Card
      title={<span data-testid="tender-title-text">{tender.title}</span>}
      extra={
        draft && (
          <Space wrap>
            <Link to={`/workbench/tenders/${tender.id}/edit`}><Button data-testid="tender-edit">{t('tn.edit')}</Button></Link>
            <Popconfirm
              title={t('tn.publishConfirm')}
              okButtonProps={{ 'data-testid': 'tender-publish-confirm' } as never}
              onConfirm={async () => {
                setBusy(true);
                try {
                  await tenderApi.publish(tender.id);
                  await invalidate();
                  message.success(t('tn.published'));
                } catch (e) {
                  message.error(errorText(e, lang));
                } finally {
                  setBusy(false);
                }
              }}
            >
              <Button type="primary" loading={busy} data-testid="tender-publish">{t('tn.publish')}</Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('tn.status')}>
          <Space size={4}><StatusTag status={tender.status} />{tender.paused && <Tag color="orange" data-testid="tender-paused">{t('tn.paused')}</Tag>}</Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('project.procedure')}>{pick(tender.procedureName)}</Descriptions.Item>
        <Descriptions.Item label={t('tn.publishedAt')}><BjTime at={tender.publishedAt} /></Descriptions.Item>
        <Descriptions.Item label={t('tn.notice')}>
          {tender.noticeId ? <Link to={`/announcements/${tender.noticeId}`} data-testid="tender-notice-link">{t('tn.viewNotice')}</Link> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('tn.project')}><Link to={`/workbench/projects/${tender.projectId}`}>{t('tn.viewProject')}</Link></Descriptions.Item>
      </Descriptions>
      <Tabs activeKey={tab} onChange={(k) => setParams((p) => { p.set('tab', k); return p; })} items={items} data-testid="tender-tabs" />
    </Card>
  );
}
