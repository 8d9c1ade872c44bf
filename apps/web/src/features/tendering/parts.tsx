// Small shared pieces of the tendering pages: lot status tag, server warnings, Beijing deadlines, answer box.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Input, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/problem';
import type { DictKey } from '../../lib/i18n/dict';
import type { Warning } from './api';

const LOT_COLORS: Record<string, string> = {
  draft: 'default',
  bidding: 'processing',
  opening: 'purple',
  negotiating: 'geekblue',
  evaluation: 'gold',
  publicity: 'cyan',
  awarded: 'success',
  contracted: 'success',
  failed: 'error',
  terminated: 'error',
};

export function LotStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `tn.lot.${status}` as DictKey;
  const text = t(key);
  return (
    <Tag color={LOT_COLORS[status] ?? 'default'} data-testid="lot-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {text === key ? status : text}
    </Tag>
  );
}

/** A Beijing time with "(北京时间)" so nobody reads it in their own zone. */
export function BjTime({ at, testId }: { at: string | null | undefined; testId?: string }) {
  const { t } = useI18n();
  if (!at) return <>—</>;
  return (
    <span data-testid={testId}>
      {formatDateTime(at)} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tn.bj')}</Typography.Text>
    </span>
  );
}

/** The statute warnings the server attaches (late award, late contract…): its own bilingual text and code. */
export function Warnings({ warnings }: { warnings: Warning[] | undefined }) {
  const { lang } = useI18n();
  if (!warnings?.length) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="award-warnings">
      {warnings.map((w, i) => (
        <Alert
          key={`${w.code}-${i}`}
          type="warning"
          showIcon
          title={lang === 'en' ? w.en : w.zh}
          description={<span><Tag>{w.code}</Tag> {formatDateTime(w.dueAt)}</span>}
          data-testid="award-warning"
          data-code={w.code}
        />
      ))}
    </Space>
  );
}

/** A text box with a submit button; shows the server's message on failure. */
export function AnswerBox({
  onSubmit,
  testId,
  placeholder,
  button,
  extra,
}: {
  onSubmit: (text: string) => Promise<unknown>;
  testId: string;
  placeholder?: string;
  button?: string;
  extra?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={placeholder} data-testid={`${testId}-text`} maxLength={20000} />
      {extra}
      <Button
        type="primary"
        loading={busy}
        disabled={!text.trim()}
        data-testid={`${testId}-submit`}
        onClick={async () => {
          setBusy(true);
          try {
            await onSubmit(text.trim());
            setText('');
            message.success(t('common.saved'));
          } catch (e) {
            message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        {button ?? t('common.submit')}
      </Button>
    </Space>
  );
}
