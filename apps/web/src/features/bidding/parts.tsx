// Small pieces the bidder's pages share: a countdown to a Beijing-time instant, the key-file loader, error text.
import { useEffect, useState } from 'react';
import { Button, Grid, Input, Space, Tag, Typography, Upload } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { importKeyFile, isSealedBidError, type BidKeyPair } from '@yiwang/sdk/sealing';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { formatDateTime } from '../../lib/format';
import { ApiError, errorText } from '../../lib/problem';

/**
 * The server's clock as seen from here. Deadlines are decided by the server (ADR 0010); on a demo or test
 * installation its clock may be moved forward (GET /api/dev/clock answers there, 404 elsewhere), so countdowns count
 * from the server's now, not the browser's.
 */
let clockOffsetMs = 0;
let clockSynced: Promise<void> | null = null;
export function syncServerClock(): Promise<void> {
  clockSynced ??= fetch('/api/dev/clock', { credentials: 'same-origin' })
    .then(async (r) => {
      if (r.ok) clockOffsetMs = new Date(((await r.json()) as { now: string }).now).getTime() - Date.now();
    })
    .catch(() => {});
  return clockSynced;
}
export function serverNow(): number {
  return Date.now() + clockOffsetMs;
}
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    void syncServerClock();
    const id = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** Label beside value on wide screens, label above value on phones (a 390 px row cannot hold both). */
export function useDescLayout(): 'horizontal' | 'vertical' {
  return Grid.useBreakpoint().md === false ? 'vertical' : 'horizontal';
}

/** "2026-12-21 09:30 (还剩 3天 04:05:06)". The browser clock counts; the server's clock decides (ADR 0010). */
export function Countdown({ until, testId }: { until: string | null | undefined; testId?: string }) {
  const { t } = useI18n();
  const now = useNow();
  if (!until) return <span>—</span>;
  const ms = new Date(until).getTime() - now;
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = Math.max(0, Math.floor(ms / 1000));
  const left = `${Math.floor(s / 86400) > 0 ? `${Math.floor(s / 86400)}${t('bid.days')} ` : ''}${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return (
    <span data-testid={testId}>
      {formatDateTime(until)}{' '}
      {ms > 0 ? <Tag color="blue">{t('bid.remaining', { left })}</Tag> : <Tag>{t('bid.passed')}</Tag>}
    </span>
  );
}

/** Problem text of any error: server problems, the SDK's SealedBidError (Chinese `zh`), or plain errors. */
export function anyErrorText(e: unknown, lang: Parameters<typeof errorText>[1]): string {
  if (e instanceof ApiError) return errorText(e, lang);
  if (isSealedBidError(e)) return lang === 'en' ? `${e.code}: ${e.message}` : `${e.zh}（${e.code}）`;
  return e instanceof Error ? e.message : String(e);
}

/** Pick the password-protected key file and unlock it in the browser; the private key stays in memory only. */
export function KeyFileLoader({ onKey, prefix, current }: { onKey: (key: BidKeyPair) => void; prefix: string; current?: BidKeyPair | null }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loadedHere, setLoaded] = useState<string | null>(null);
  // The key lives in the page (parent); show it as loaded even if this part was re-mounted (e.g. a phone rotated).
  const loaded = current?.fingerprint ?? loadedHere;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={async (f) => {
            setText(await f.text());
            setName(f.name);
            return false;
          }}
        >
          <Button icon={<KeyOutlined />} data-testid={`${prefix}-keyfile`}>{t('bid.keyFile')}</Button>
        </Upload>
        {name && <Typography.Text type="secondary">{name}</Typography.Text>}
      </Space>
      <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
        <Input.Password placeholder={t('bid.keyPassword')} value={password} onChange={(e) => setPassword(e.target.value)} data-testid={`${prefix}-keypass`} />
        <Button
          type="primary"
          loading={busy}
          disabled={!text || !password}
          data-testid={`${prefix}-keyunlock`}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const key = await importKeyFile(text!, password);
              setLoaded(key.fingerprint);
              onKey(key);
            } catch (e) {
              setError(anyErrorText(e, lang));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('bid.keyUnlock')}
        </Button>
      </Space.Compact>
      {error && <Typography.Text type="danger" data-testid={`${prefix}-keyerror`}>{error}</Typography.Text>}
      {loaded && <Typography.Text type="success" data-testid={`${prefix}-keyloaded`}>{t('bid.keyLoaded', { fp: loaded.slice(0, 16) })}</Typography.Text>}
    </Space>
  );
}
