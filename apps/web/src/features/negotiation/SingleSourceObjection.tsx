// 单一来源公示异议 on the portal's tender page (74号令 第三十九条: any supplier, unit or individual may object in
// writing during the publicity). Signed-in visitors write it here; the purchaser and its agency answer in their
// negotiation tab. Visitors who are not signed in are sent to the login page and back.
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert, App, Button, Card, Input, Space, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useAuth } from '../../lib/auth/AuthProvider';
import { errorText } from '../../lib/problem';
import { serverNow } from '../bidding/parts';
import { negApi } from './api';

export function SingleSourceObjection({ tenderId, publicityEndsAt }: { tenderId: string; publicityEndsAt: string | null }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { actor } = useAuth();
  const location = useLocation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  // The server decides (NEGOTIATION_OBJECTION_CLOSED); the form hides itself by the server's clock as well.
  const open = !publicityEndsAt || new Date(publicityEndsAt).getTime() > serverNow();
  if (!open) return null;
  return (
    <Card size="small" title={t('ng.objectPublicity')} data-testid="ss-objection">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ng.objectHint')}</Typography.Paragraph>
      {done ? <Alert type="success" showIcon title={t('ng.objectionSent')} data-testid="ss-objection-sent" /> : actor ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={3} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} data-testid="ss-objection-text" />
          <Button type="primary" disabled={text.trim().length < 2} loading={busy} data-testid="ss-objection-submit" onClick={async () => {
            setBusy(true);
            try {
              await negApi.raiseObjection(tenderId, text.trim());
              setDone(true);
              message.success(t('ng.objectionSent'));
            } catch (e) {
              message.error(errorText(e, lang));
            } finally {
              setBusy(false);
            }
          }}>{t('ng.submit')}</Button>
        </Space>
      ) : (
        <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}><Button>{t('ng.signInToObject')}</Button></Link>
      )}
    </Card>
  );
}
