import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as OTPAuth from 'otpauth';
import { STAFF_ROLES } from '@yiwang/contracts';
import { AppError } from '../http/errors';
import { ProblemSchema } from '../http/schemas';
import { recordLedger } from '../ledger/append';
import type { Actor } from './actor';
import { requireActor } from './actor';
import { createSession, LOCK_MINUTES, MAX_FAILED_LOGINS, setSessionCookie } from './sessions';

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app supports). Staff accounts
 * must use it when `config.requireStaffTotp` is on; any account that has enabled it must pass it at each sign-in.
 * Wrong codes count towards the same lockout as wrong passwords, and a code is accepted once only.
 */
const ISSUER = 'Yiwang 一网交易';
const PERIOD = 30;

/** Paths a session may call while its second factor is still pending. */
export const SECOND_FACTOR_EXEMPT = new Set([
  '/api/auth/login',
  '/api/auth/logout',
  '/api/auth/me',
  '/api/auth/totp/enrol',
  '/api/auth/totp/confirm',
  '/api/auth/totp/verify',
]);

export type SecondFactorState = 'ok' | 'verify_required' | 'enrolment_required' | 'not_required';

export function secondFactorState(
  actor: Pick<Actor, 'via' | 'roles' | 'totpEnabled' | 'secondFactorOk'>,
  requireStaffTotp: boolean,
): SecondFactorState {
  if (actor.via !== 'session') return 'not_required';
  if (actor.secondFactorOk) return 'ok';
  if (actor.totpEnabled) return 'verify_required';
  if (requireStaffTotp && actor.roles.some((g) => STAFF_ROLES.includes(g.role))) return 'enrolment_required';
  return 'not_required';
}

export const secondFactorRequired = (state: SecondFactorState) =>
  new AppError(
    'SECOND_FACTOR_REQUIRED',
    403,
    state === 'enrolment_required' ? '工作人员账号须先绑定动态口令（TOTP）' : '请先输入动态口令（TOTP）完成二次验证',
    state === 'enrolment_required' ? 'Staff accounts must enrol a TOTP authenticator first' : 'Enter your TOTP code to finish signing in',
    undefined,
    { state },
  );

function totpFor(username: string, secret: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

const CodeBody = Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false });
/** The session is replaced: the response sets a new cookie and carries the new CSRF token. */
const OkResponse = Type.Object({ secondFactor: Type.Literal('ok'), csrfToken: Type.String(), expiresAt: Type.String() });

export async function totpRoutes(app: FastifyInstance) {
  const { db, clock, config } = app.ctx;

  function sessionActor(req: Parameters<typeof requireActor>[0]): Actor & { sessionIdHash: string } {
    const actor = requireActor(req);
    if (actor.via !== 'session' || !actor.sessionIdHash)
      throw new AppError('SESSION_REQUIRED', 403, '此操作只能在登录会话中进行', 'This needs a signed-in session');
    return actor as Actor & { sessionIdHash: string };
  }

  /**
   * Check `code` against the account's secret at the server's time (±1 step for clock drift); on success record
   * the step (replay guard) and replace the session by a new, second-factor-verified one — a new session id at the
   * privilege change, so a token captured before the check is worth nothing after it. One transaction.
   */
  async function acceptCode(
    actor: Actor & { sessionIdHash: string },
    code: string,
    enabling: boolean,
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const now = clock.now();
    return db
      .transaction()
      .execute(async (trx) => {
        const acc = await trx.selectFrom('accounts').selectAll().where('id', '=', actor.accountId).forUpdate().executeTakeFirstOrThrow();
        if (acc.locked_until && acc.locked_until.getTime() > now.getTime()) {
          throw new AppError(
            'ACCOUNT_LOCKED',
            423,
            `验证失败次数过多，账号已锁定至 ${acc.locked_until.toISOString()}`,
            `Too many failed attempts; the account is locked until ${acc.locked_until.toISOString()}`,
            'code',
          );
        }
        if (enabling && acc.totp_enabled) throw new AppError('TOTP_ALREADY_ENABLED', 409, '动态口令已启用', 'TOTP is already enabled');
        if (!acc.totp_secret || (!enabling && !acc.totp_enabled))
          throw new AppError('TOTP_NOT_ENROLLED', 409, '尚未绑定动态口令', 'No TOTP authenticator is enrolled');
        const totp = totpFor(acc.username, acc.totp_secret);
        const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
        const step = delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
        if (step === null || (acc.totp_last_step !== null && step <= acc.totp_last_step)) {
          const failures = acc.failed_logins + 1;
          const lock = failures >= MAX_FAILED_LOGINS;
          // The failure must be recorded even though this request fails: write it outside the rolled-back work.
          throw Object.assign(
            new AppError('TOTP_INVALID', 400, '动态口令不正确或已使用', 'The code is wrong or was already used', 'code'),
            {
              failure: { failures: lock ? 0 : failures, lockedUntil: lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null },
            },
          );
        }
        await trx
          .updateTable('accounts')
          .set({ totp_enabled: true, totp_last_step: step, failed_logins: 0, locked_until: null })
          .where('id', '=', acc.id)
          .execute();
        await trx.deleteFrom('sessions').where('id_hash', '=', actor.sessionIdHash).execute();
        const session = await createSession(trx, acc.id, now, config.sessionTtlMinutes, { ...meta, secondFactorOk: true });
        if (enabling)
          await recordLedger(
            trx,
            { type: 'auth.totp_enabled', subjectType: 'account', subjectId: acc.id, actorId: acc.id, payload: {} },
            now,
          );
        return session;
      })
      .catch(async (e: unknown) => {
        const failure = (e as { failure?: { failures: number; lockedUntil: Date | null } }).failure;
        if (failure)
          await db
            .updateTable('accounts')
            .set({ failed_logins: failure.failures, locked_until: failure.lockedUntil })
            .where('id', '=', actor.accountId)
            .execute();
        throw e;
      });
  }

  app.post(
    '/api/auth/totp/enrol',
    {
      schema: {
        tags: ['auth'],
        summary: '绑定动态口令（返回密钥，仅显示一次） / Enrol a TOTP authenticator (secret shown once)',
        response: { 200: Type.Object({ uri: Type.String(), secret: Type.String() }), 401: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => {
      const actor = sessionActor(req);
      // Once enabled, re-enrolling would let a password-only session replace the factor: refuse.
      if (actor.totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED', 409, '动态口令已启用', 'TOTP is already enabled');
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      await db
        .updateTable('accounts')
        .set({ totp_secret: secret, totp_last_step: null })
        .where('id', '=', actor.accountId)
        .where('totp_enabled', '=', false)
        .execute();
      return { uri: totpFor(actor.username, secret).toString(), secret };
    },
  );

  // Confirming an enrolment and verifying at sign-in both accept one code and issue a fresh, second-factor session.
  const secondFactorRoute = (url: string, summary: string, enrolling: boolean) =>
    app.post(
      url,
      { schema: { tags: ['auth'], summary, body: CodeBody, response: { 200: OkResponse, 400: ProblemSchema, 409: ProblemSchema, 423: ProblemSchema } } },
      async (req, reply) => {
        const session = await acceptCode(sessionActor(req), (req.body as { code: string }).code, enrolling, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        setSessionCookie(reply, session, config.secureCookies);
        return { secondFactor: 'ok' as const, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
      },
    );
  secondFactorRoute('/api/auth/totp/confirm', '确认绑定动态口令 / Confirm TOTP enrolment with a first code', true);
  secondFactorRoute('/api/auth/totp/verify', '登录二次验证 / Verify the TOTP code after signing in', false);
}
