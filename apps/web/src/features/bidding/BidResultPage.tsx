// A lot after its opening, as a bidder sees it (award module, ADR 0011): the candidates in publicity, the award, the
// 中标通知书 PDF for the winner, and objections (异议) or 质疑 against the result within their window.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Input, List, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth/AuthProvider';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { StatusTag } from '../../components/Tags';
import { Countdown, anyErrorText, serverNow, useDescLayout } from './parts';
import { downloadUrl, useAwardLot } from './api';

export default function BidResultPage() {
  const { tenderId = '', lotNo: lotParam = '1' } = useParams();
  const desc = useDescLayout();
  const lotNo = Number(lotParam);
  const { t, lang } = useI18n();
  const { actor } = useAuth();
  const { message } = App.useApp();
  const q = useAwardLot(tenderId, lotNo);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const base = `/api/award/tenders/${tenderId}/lots/${lotNo}`;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <Link to={`/workbench/bids/${tenderId}`}>{t('common.back')}</Link>
        <Typography.Title level={3} style={{ margin: '4px 0 0' }}>{t('bid.result')}</Typography.Title>
      </div>
      <QueryView query={q}>
        {(a) => {
          const win = a.objectionWindow;
          const windowOpen = !!win && serverNow() >= new Date(win.opensAt).getTime() && serverNow() < new Date(win.closesAt).getTime();
          const iWon = !!a.award && a.award.winnerOrgId === actor?.orgId;
          return (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Descriptions layout={desc} size="small" bordered column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t('bid.lotName')}>{t('bid.lotNo')} {a.lotNo} · {a.lotName}</Descriptions.Item>
                <Descriptions.Item label={t('bid.status')}><span data-testid="result-status" data-status={a.status}><StatusTag status={a.status} /></span></Descriptions.Item>
                {a.publicity && <Descriptions.Item label={t('bid.publicity')} span={2}>
                  {formatDateTime(a.publicity.startsAt)} — {formatDateTime(a.publicity.endsAt)} <Link to={`/announcements/${a.publicity.noticeId}`}>{t('bid.viewNotice')}</Link>
                </Descriptions.Item>}
              </Descriptions>
              <Card size="small" title={t('bid.candidates')}>
                {a.result ? (
                  <Table size="small" pagination={false} rowKey="rank" data-testid="result-candidates" dataSource={a.result.candidates} scroll={{ x: true }}
                    columns={[
                      { title: t('bid.rank'), dataIndex: 'rank', width: 70 },
                      { title: t('bid.bidder'), dataIndex: 'name' },
                      { title: t('bid.price'), dataIndex: 'priceFen', render: (v: number) => formatFen(v) },
                      { title: t('bid.score'), dataIndex: 'score', render: (v: string | null) => v ?? '—' },
                    ]} />
                ) : <Alert type="info" showIcon title={t('bid.noResultYet')} />}
              </Card>
              {a.award && (
                <Card size="small" title={t('bid.award')} data-testid="result-award">
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('bid.winner')}><span data-testid="result-winner">{a.award.winnerName}</span>{iWon && <Tag color="gold" style={{ marginLeft: 8 }}>{t('bid.youWon')}</Tag>}</Descriptions.Item>
                    <Descriptions.Item label={t('bid.price')}>{formatFen(a.award.priceFen)}</Descriptions.Item>
                    {a.award.noticeNo && <Descriptions.Item label={t('bid.noticeNo')}>{a.award.noticeNo}</Descriptions.Item>}
                    {a.award.resultNoticeId && <Descriptions.Item label={t('bid.resultNotice')}><Link to={`/announcements/${a.award.resultNoticeId}`} data-testid="result-notice-link">{t('bid.viewNotice')}</Link></Descriptions.Item>}
                  </Descriptions>
                  {iWon && a.award.noticeSha256 && (
                    <Button type="primary" icon={<DownloadOutlined />} loading={busy === 'pdf'} data-testid="result-notice-pdf" onClick={async () => {
                      setBusy('pdf');
                      try { await downloadUrl(`${base}/notice.pdf`, `中标通知书-${a.award!.noticeNo ?? a.lotNo}.pdf`); } catch (e) { message.error(anyErrorText(e, lang)); } finally { setBusy(null); }
                    }}>{t('bid.noticePdf')}</Button>
                  )}
                </Card>
              )}
              <Card size="small" title={t('bid.resultObjections')}>
                {win && <Typography.Paragraph type="secondary">{t('bid.objectionWindowIs')} {formatDateTime(win.opensAt)} — <Countdown until={win.closesAt} /> · {win.basis}</Typography.Paragraph>}
                <List data-testid="result-objections" dataSource={a.objections} locale={{ emptyText: t('common.empty') }} renderItem={(o) => (
                  <List.Item><List.Item.Meta title={<Space wrap><Tag>{t(o.kind === 'challenge' ? 'bid.challenge' : 'bid.objection')}</Tag>{o.text}{o.mine && <Tag>{t('bid.mine')}</Tag>}<StatusTag status={o.status} /></Space>} description={o.answer} /></List.Item>
                )} />
                {windowOpen && (
                  <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
                    <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid="result-objection-text" />
                    <Button danger disabled={text.trim().length < 2} loading={busy === 'o'} data-testid="result-objection-submit" onClick={async () => {
                      setBusy('o');
                      try { await api.post(`${base}/objections`, { text: text.trim() }); setText(''); message.success(t('common.submitted')); await q.refetch(); }
                      catch (e) { message.error(anyErrorText(e, lang)); } finally { setBusy(null); }
                    }}>{t(win?.kind === 'challenge' ? 'bid.raiseChallenge' : 'bid.raiseObjection')}</Button>
                  </Space>
                )}
              </Card>
            </Space>
          );
        }}
      </QueryView>
    </Space>
  );
}
