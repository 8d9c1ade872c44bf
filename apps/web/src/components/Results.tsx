import { Button, Result, Skeleton, Alert } from 'antd';
import { Link } from 'react-router';
import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n/I18nProvider';
import { ApiError, errorText } from '../lib/problem';

export function NotFound({ title }: { title?: string }) {
  const { t } = useI18n();
  return (
    <Result status="404" title="404" subTitle={title ?? t('common.notFound')} extra={<Link to="/"><Button type="primary">{t('nav.home')}</Button></Link>} />
  );
}

export function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

export function ComingSoon({ title }: { title: string }) {
  const { t } = useI18n();
  return <Result status="info" title={title} subTitle={`${t('common.comingSoon')} · ${t('common.comingSoonDesc')}`} data-testid="coming-soon" />;
}

/** Loading / error / content for a query, with a retry button and a plain message when an API is not there yet. */
export function QueryView<T>({
  query,
  children,
  rows = 4,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  children: (data: T) => ReactNode;
  rows?: number;
}) {
  const { t, lang } = useI18n();
  if (query.isPending) return <Skeleton active paragraph={{ rows }} />;
  if (query.isError || query.data === undefined) {
    const e = query.error;
    const missing = e instanceof ApiError && e.status === 404 && e.messages.en.startsWith('No route');
    return (
      <Alert
        type={missing ? 'info' : 'error'}
        showIcon
        title={missing ? t('common.serviceUnavailable') : t('common.loadFailed')}
        description={missing ? undefined : errorText(e, lang)}
        action={<Button size="small" onClick={() => query.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  return <>{children(query.data)}</>;
}
