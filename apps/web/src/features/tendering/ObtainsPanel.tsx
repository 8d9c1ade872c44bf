import { useQuery } from '@tanstack/react-query';
import { Alert, List, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { ApiError, errorText } from '../../lib/problem';
import { tenderApi, type Tender } from './api';
import { BjTime } from './parts';

/** Who obtained the documents: the server refuses before the bid deadline (secrecy, 招标投标法 22) — say so plainly. */
export function ObtainsPanel({ tender }: { tender: Tender }) {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ['tender-sub', tender.id, 'obtains'], queryFn: () => tenderApi.obtains(tender.id), retry: false });
  if (q.isPending) return null;
  if (q.isError) {
    const secret = q.error instanceof ApiError && q.error.status === 403;
    return <Alert type={secret ? 'info' : 'error'} showIcon data-testid="secrecy-message" title={secret ? t('tn.secretTitle') : t('common.loadFailed')} description={errorText(q.error, lang)} />;
  }
  return (
    <>
      <Typography.Paragraph data-testid="obtain-count">{t('tn.obtainCount', { n: q.data.count })}</Typography.Paragraph>
      <List size="small" dataSource={q.data.items} renderItem={(o) => <List.Item>{o.name} · <BjTime at={o.obtainedAt} /></List.Item>} />
    </>
  );
}
