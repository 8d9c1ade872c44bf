import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { QueryView } from '../../components/Results';
import { tenderApi, useInvalidateTender, type Tender } from './api';
import { AnswerBox, BjTime } from './parts';
import { DeadlineChanges } from './QaPanel';

/** Objections to the documents (异议/质疑): answer due, overdue, the objector only once the deadline passed. */
export function ObjectionsPanel({ tender }: { tender: Tender }) {
  const { t } = useI18n();
  const invalidate = useInvalidateTender(tender.id);
  const q = useQuery({ queryKey: ['tender-sub', tender.id, 'objections'], queryFn: () => tenderApi.objections(tender.id) });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {tender.paused && <Alert type="warning" showIcon data-testid="objection-paused" title={t('tn.pausedTitle')} description={t('tn.pausedDesc')} />}
      <QueryView query={q}>
        {(list) =>
          list.length === 0 ? <Empty description={t('tn.noObjections')} /> : (
            <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="objection-list">
              {list.map((o) => (
                <Card key={o.id} size="small" data-testid="objection-item" data-status={o.status}
                  title={<Space wrap size={6}>{o.lotNo ? t('tn.lotNo', { n: o.lotNo }) : t('tn.allLots')}<Tag color={o.status === 'open' ? 'orange' : 'success'}>{t(o.status === 'open' ? 'tn.open' : 'tn.answered')}</Tag>{o.overdue && <Tag color="red">{t('tn.overdue')}</Tag>}</Space>}>
                  <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                    <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{o.text}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('tn.raisedAt')} <BjTime at={o.raisedAt} /> · {t('tn.answerDue')} <BjTime at={o.answerDueAt} testId="objection-due" />
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('tn.objector')}：{o.objector ? o.objector.name : t('tn.objectorHidden')}
                    </Typography.Text>
                    <DeadlineChanges changes={o.deadlineChanges} />
                    {o.answer ? (
                      <Alert type="success" title={t('tn.answer')} description={<span style={{ whiteSpace: 'pre-wrap' }}>{o.answer}</span>} />
                    ) : (
                      <AnswerBox testId="objection-answer" button={t('tn.answerIt')} onSubmit={async (text) => { await tenderApi.answerObjection(o.id, text); await invalidate(); }} />
                    )}
                  </Space>
                </Card>
              ))}
            </Space>
          )
        }
      </QueryView>
    </Space>
  );
}
