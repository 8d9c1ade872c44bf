// A tender as a bidder sees it: lots with deadlines (Beijing time, counting down), obtaining and downloading the
// documents, anonymous questions, clarifications, objections to the documents; per lot the way to bid, the opening
// room and the result.
import { useState } from 'react';
import { useParams, Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatBytes, formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { StatusTag } from '../../components/Tags';
import { Countdown, anyErrorText, serverNow, useDescLayout } from './parts';
import { NEGOTIATING_PROCEDURES } from '../negotiation/api';
import { downloadUrl, tenderKey, useClarifications, useMyBid, useQuestions, useTender, useTenderObjections, type Tender, type TenderLot } from './api';

function MyBidTag({ tenderId, lotNo, enabled }: { tenderId: string; lotNo: number; enabled: boolean }) {
  const { t } = useI18n();
  const q = useMyBid(tenderId, lotNo, enabled);
  if (!enabled || !q.data) return null;
  return q.data.current ? <Tag color="green" data-testid={`bid-lot-${lotNo}-mine`}>{t('bid.submittedTag')}</Tag> : <Tag>{t('bid.notSubmitted')}</Tag>;
}

function LotActions({ tender, lot }: { tender: Tender; lot: TenderLot }) {
  const { t } = useI18n();
  const before = new Date(lot.bidDeadline).getTime() > serverNow();
  const base = `/workbench/bids/${tender.id}/lots/${lot.lotNo}`;
  return (
    <Space wrap size={4}>
      {before && tender.obtainedByMe && <Link to={`${base}/submit`}><Button type="primary" size="small" data-testid={`bid-lot-${lot.lotNo}-submit`}>{t('bid.submit')}</Button></Link>}
      <Link to={`${base}/opening`}><Button size="small" data-testid={`bid-lot-${lot.lotNo}-opening`}>{t('bid.openingRoom')}</Button></Link>
      {!before && NEGOTIATING_PROCEDURES.has(tender.procedureType) && <Link to={`${base}/negotiation`}><Button size="small" data-testid={`bid-lot-${lot.lotNo}-negotiation`}>{t('ng.open.negotiation')}</Button></Link>}
      {!before && <Link to={`${base}/result`}><Button size="small" data-testid={`bid-lot-${lot.lotNo}-result`}>{t('bid.result')}</Button></Link>}
    </Space>
  );
}

export default function BidTenderPage() {
  const { id = '' } = useParams();
  const { t, lang, pick } = useI18n();
  const desc = useDescLayout();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useTender(id);
  const obtained = !!q.data?.obtainedByMe;
  const questions = useQuestions(id, obtained);
  const clar = useClarifications(id, obtained);
  const objections = useTenderObjections(id, obtained);
  const [question, setQuestion] = useState('');
  const [objection, setObjection] = useState('');
  const [objLot, setObjLot] = useState<number | undefined>();
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (what: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await fn();
      message.success(done);
    } catch (e) {
      message.error(anyErrorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  return (
    <QueryView query={q}>
      {(tender) => (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div>
            <Link to="/workbench/bids">{t('common.back')}</Link>
            <Typography.Title level={3} style={{ margin: '4px 0 0' }} data-testid="bid-tender-title">{tender.title}</Typography.Title>
          </div>
          <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('bid.procedure')}>{pick(tender.procedureName)}</Descriptions.Item>
            <Descriptions.Item label={t('bid.status')}><StatusTag status={tender.status} /></Descriptions.Item>
            <Descriptions.Item label={t('bid.publishedAt')}>{formatDateTime(tender.publishedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('bid.obtained')}>
              {tender.obtainedByMe ? (
                <Tag color="green" data-testid="bid-obtained">{formatDateTime(tender.obtainedByMe.obtainedAt)}</Tag>
              ) : (
                <Button type="primary" size="small" loading={busy === 'obtain'} data-testid="bid-obtain"
                  onClick={() => act('obtain', async () => { await api.post(`/api/tendering/tenders/${id}/obtain`); await qc.invalidateQueries({ queryKey: tenderKey(id) }); }, t('bid.obtainDone'))}>
                  {t('bid.obtain')}
                </Button>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('bid.lots')}>
            <ResponsiveList<TenderLot>
              data={tender.lots}
              rowKey={(l) => String(l.lotNo)}
              testId="bid-lots"
              itemTestId="bid-lot"
              columns={[
                { title: t('bid.lotNo'), dataIndex: 'lotNo', width: 70 },
                { title: t('bid.lotName'), dataIndex: 'name', render: (v: string, l) => <Space wrap>{v}<MyBidTag tenderId={id} lotNo={l.lotNo} enabled={obtained} /></Space> },
                { title: t('bid.deposit'), dataIndex: 'depositFen', width: 130, render: (v: number) => formatFen(v) },
                { title: t('bid.deadline'), dataIndex: 'bidDeadline', render: (v: string, l) => <Countdown until={v} testId={`bid-lot-${l.lotNo}-deadline`} /> },
                { title: t('bid.status'), dataIndex: 'status', width: 110, render: (v: string) => <StatusTag status={v} /> },
                { title: '', key: 'a', width: 220, render: (_, l) => <LotActions tender={tender} lot={l} /> },
              ]}
              card={(l) => (
                <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                  <Space wrap><strong>{t('bid.lotNo')} {l.lotNo} · {l.name}</strong><StatusTag status={l.status} /><MyBidTag tenderId={id} lotNo={l.lotNo} enabled={obtained} /></Space>
                  <span>{t('bid.deposit')}: {formatFen(l.depositFen)}</span>
                  <span>{t('bid.deadline')}: <Countdown until={l.bidDeadline} /></span>
                  <LotActions tender={tender} lot={l} />
                </Space>
              )}
            />
          </Card>
          <Tabs
            items={[
              {
                key: 'docs',
                label: t('bid.documents'),
                children: (
                  <List
                    data-testid="bid-documents"
                    dataSource={tender.documents}
                    locale={{ emptyText: <Empty description={t('common.empty')} /> }}
                    renderItem={(d) => (
                      <List.Item
                        data-testid="bid-document"
                        actions={d.fileId ? [
                          <Button key="d" size="small" icon={<DownloadOutlined />} data-testid="bid-document-download"
                            onClick={() => act('doc', () => downloadUrl(`/api/files/${d.fileId}`, d.name), t('bid.downloaded'))}>{t('bid.download')}</Button>,
                        ] : []}
                      >
                        <List.Item.Meta title={d.name} description={<Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>{formatBytes(d.size)} · SHA-256 {d.sha256}</Typography.Text>} />
                      </List.Item>
                    )}
                  />
                ),
              },
              {
                key: 'qa',
                label: t('bid.questions'),
                disabled: !obtained,
                children: (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Alert type="info" showIcon title={t('bid.questionAnon')} />
                    <Input.TextArea rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} data-testid="bid-question-text" maxLength={5000} />
                    <Button disabled={question.trim().length < 2} loading={busy === 'q'} data-testid="bid-question-submit"
                      onClick={() => act('q', async () => { await api.post(`/api/tendering/tenders/${id}/questions`, { text: question.trim() }); setQuestion(''); await questions.refetch(); }, t('common.submitted'))}>
                      {t('bid.ask')}
                    </Button>
                    <List data-testid="bid-question-list" dataSource={questions.data ?? []} renderItem={(x) => (
                      <List.Item><List.Item.Meta title={<Space wrap>{x.text}{x.mine && <Tag>{t('bid.mine')}</Tag>}{x.clarificationId && <Tag color="green">{t('bid.answered')}</Tag>}</Space>} description={formatDateTime(x.askedAt)} /></List.Item>
                    )} />
                    <Typography.Title level={5}>{t('bid.clarifications')}</Typography.Title>
                    <List data-testid="bid-clarification-list" dataSource={clar.data ?? []} renderItem={(c) => (
                      <List.Item><List.Item.Meta title={`#${c.seq} · ${formatDateTime(c.publishedAt)}`} description={<>
                        <div style={{ whiteSpace: 'pre-wrap' }}>{c.text}</div>
                        {c.deadlineChanges.map((d) => <div key={d.lotNo}>{t('bid.deadlineMoved', { lot: d.lotNo, from: formatDateTime(d.from), to: formatDateTime(d.to) })}</div>)}
                      </>} /></List.Item>
                    )} />
                  </Space>
                ),
              },
              {
                key: 'obj',
                label: t('bid.objections'),
                disabled: !obtained,
                children: (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Alert type="warning" showIcon title={t('bid.objectionWindow')} />
                    <Select allowClear placeholder={t('bid.objectionAllLots')} style={{ width: 240 }} value={objLot} onChange={setObjLot} options={tender.lots.map((l) => ({ value: l.lotNo, label: `${t('bid.lotNo')} ${l.lotNo} · ${l.name}` }))} data-testid="bid-objection-lot" />
                    <Input.TextArea rows={3} value={objection} onChange={(e) => setObjection(e.target.value)} data-testid="bid-objection-text" />
                    <Button danger disabled={objection.trim().length < 2} loading={busy === 'o'} data-testid="bid-objection-submit"
                      onClick={() => act('o', async () => { await api.post(`/api/tendering/tenders/${id}/objections`, { text: objection.trim(), ...(objLot ? { lotNo: objLot } : {}) }); setObjection(''); await objections.refetch(); }, t('common.submitted'))}>
                      {t('bid.raiseObjection')}
                    </Button>
                    <List data-testid="bid-objection-list" dataSource={objections.data ?? []} renderItem={(o) => (
                      <List.Item><List.Item.Meta
                        title={<Space wrap>{o.text}<StatusTag status={o.status} />{o.mine && <Tag>{t('bid.mine')}</Tag>}</Space>}
                        description={<>{formatDateTime(o.raisedAt)} · {t('bid.answerDue')} {formatDateTime(o.answerDueAt)}{o.answer && <div style={{ whiteSpace: 'pre-wrap' }}>{o.answer}</div>}</>} /></List.Item>
                    )} />
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </QueryView>
  );
}
