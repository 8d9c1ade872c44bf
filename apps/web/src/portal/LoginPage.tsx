import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n/I18nProvider';
import { secondFactorPending, useAuth, type Session } from '../lib/auth/AuthProvider';
import { api, setCsrfToken } from '../lib/api';
import { ApiError, errorText, fieldErrors } from '../lib/problem';

type Step = 'password' | 'verify' | 'enrol';

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/workbench';
}

export default function LoginPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const { actor, pending, signedIn } = useAuth();
  const [step, setStep] = useState<Step>(pending ?? (sp.get('step') === 'totp' ? 'verify' : 'password'));
  const [session, setSession] = useState<Session | null>(null);
  const [enrolment, setEnrolment] = useState<{ uri: string; secret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const [codeForm] = Form.useForm();
  const next = safeNext(sp.get('next'));

  // A session that still owes its second factor (e.g. after a reload) resumes at the right step.
  useEffect(() => {
    if (pending && step === 'password') setStep(pending);
  }, [pending, step]);

  // Staff without an authenticator enrol one now: the server hands out a secret once.
  useEffect(() => {
    if (step !== 'enrol' || enrolment) return;
    api
      .post<{ uri: string; secret: string }>('/api/auth/totp/enrol')
      .then(setEnrolment)
      .catch((e: unknown) => setError(errorText(e, lang)));
  }, [step, enrolment, lang]);

  if (actor && step === 'password' && !busy) return <Navigate to={next} replace />;

  const finish = (s: Session) => {
    signedIn({ ...s, secondFactor: s.secondFactor === 'not_required' ? 'not_required' : 'ok' });
    message.success(t('login.welcome', { name: s.actor.displayName }));
    navigate(next, { replace: true });
  };

  const onLogin = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Session>('/api/auth/login', { username: v.username.trim(), password: v.password });
      setCsrfToken(r.csrfToken);
      const owed = secondFactorPending(r);
      if (owed) {
        setSession(r);
        signedIn(r); // keeps the CSRF token and the "owed" state across a reload
        setStep(owed);
      } else finish(r);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SECOND_FACTOR_REQUIRED') {
        setStep(e.details?.state === 'enrolment_required' ? 'enrol' : 'verify');
      } else {
        const fe = fieldErrors(e, lang);
        if (fe) form.setFields(fe);
        else setError(errorText(e, lang));
      }
    } finally {
      setBusy(false);
    }
  };

  const onCode = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(step === 'enrol' ? '/api/auth/totp/confirm' : '/api/auth/totp/verify', { code: v.code.trim() });
      const s = session ?? (await api.get<Session>('/api/auth/me', undefined, { quiet401: true }));
      finish({ ...s, secondFactor: 'ok' });
    } catch (e) {
      const fe = fieldErrors(e, lang);
      if (fe) codeForm.setFields(fe.map((f) => ({ ...f, name: ['code'] })));
      else setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const title = step === 'password' ? t('login.title') : step === 'enrol' ? t('settings.totp') : t('login.totpTitle');
  const subtitle = step === 'password' ? t('login.subtitle') : step === 'enrol' ? t('settings.totpDesc') : t('login.totpDesc');

  return (
    <div style={{ background: 'linear-gradient(160deg, #e8eef7 0%, #f3f5f8 60%)', minHeight: 'calc(100vh - 200px)', padding: '48px 16px' }}>
      <Card style={{ maxWidth: 420, margin: '0 auto', boxShadow: '0 8px 24px rgba(13,59,120,.10)' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 4, marginBottom: 4 }}>{title}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>{subtitle}</Typography.Paragraph>
        {sp.get('expired') && step === 'password' && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {step === 'password' ? (
          <Form form={form} layout="vertical" size="large" onFinish={onLogin} requiredMark={false} data-testid="login-form">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        ) : (
          <Form form={codeForm} layout="vertical" size="large" onFinish={onCode} requiredMark={false} data-testid="totp-form">
            {step === 'enrol' && enrolment && (
              <Alert
                type="info"
                style={{ marginBottom: 16 }}
                title={t('settings.totpSecret')}
                description={
                  <>
                    <Typography.Text code copyable data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>{enrolment.secret}</Typography.Text>
                    <div><a href={enrolment.uri} data-testid="totp-uri">otpauth://…</a></div>
                  </>
                }
              />
            )}
            <Form.Item name="code" label={t('login.totpCode')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpRequired') }]}>
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                style={{ letterSpacing: 6, fontVariantNumeric: 'tabular-nums' }}
                data-testid="totp-code"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-submit">
              {step === 'enrol' ? t('settings.totpConfirm') : t('login.totpSubmit')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
