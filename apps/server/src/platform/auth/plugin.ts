import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, Errors } from '../http/errors';
import { ProblemSchema } from '../http/schemas';
import { hashPassword, verifyPassword } from './password';
import { actorFromSession, createSession, loadActor, LOCK_MINUTES, MAX_FAILED_LOGINS, safeEqual, SESSION_COOKIE, setSessionCookie, sha256Hex } from './sessions';
import { requireActor } from './actor';
import { actorFromToken, tokenInvalid } from './tokens';
import { SECOND_FACTOR_EXEMPT, secondFactorRequired, secondFactorState, totpRoutes } from './totp';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that may be called with a session cookie but without the CSRF header (there is no session yet). */
const CSRF_EXEMPT = new Set(['/api/auth/login']);

const ActorSchema = Type.Object({
  accountId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.Union([Type.String(), Type.Null()]),
  orgName: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.Object({ role: Type.String(), industries: Type.Array(Type.String()), regions: Type.Array(Type.String()) })),
  isOrgAdmin: Type.Optional(Type.Boolean({ description: '可管理本单位账号 / may manage its organisation’s accounts' })),
  totpEnabled: Type.Optional(Type.Boolean()),
});
const SecondFactorSchema = Type.Union([Type.Literal('ok'), Type.Literal('verify_required'), Type.Literal('enrolment_required'), Type.Literal('not_required')], {
  description: '二次验证状态 / second-factor state of this session',
});

/** Rate limit for sign-in and registration: each attempt costs an Argon2 hash, so unbounded calls load the server. */
export function authRateLimit(perMinute: number) {
  return {
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new AppError('RATE_LIMITED', 429, '请求过于频繁，请一分钟后再试', 'Too many requests; try again in a minute'),
  };
}

export async function authPlugin(app: FastifyInstance) {
  const { db, clock, config } = app.ctx;
  app.decorateRequest('actor', null);
  // A real hash to verify against when the username is unknown, so timing does not reveal which usernames exist.
  const dummyHash = hashPassword('not-a-real-password-0');

  // Resolve the actor from a bearer API token or the session cookie; enforce CSRF (double-submit header) on
  // state-changing cookie requests, and the second factor for sessions that still owe it.
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const path = req.url.split('?')[0] ?? '';
    const authz = req.headers.authorization;
    if (typeof authz === 'string' && /^bearer\s/i.test(authz)) {
      // A presented token that does not resolve is an error, not an anonymous request: the caller meant to be someone.
      const actor = await actorFromToken(db, authz.slice(7).trim(), clock.now());
      if (!actor) throw tokenInvalid();
      req.actor = actor;
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await actorFromSession(db, token, clock.now());
    if (!resolved) return;
    if (UNSAFE.has(req.method) && !CSRF_EXEMPT.has(path)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, resolved.csrfToken)) throw Errors.csrf();
    }
    const state = secondFactorState(resolved.actor, config.requireStaffTotp);
    if ((state === 'verify_required' || state === 'enrolment_required') && path.startsWith('/api/') && !SECOND_FACTOR_EXEMPT.has(path)) throw secondFactorRequired(state);
    req.actor = resolved.actor;
  });

  await totpRoutes(app);

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: authRateLimit(config.authRateLimitPerMinute) },
      schema: {
        tags: ['auth'],
        summary: '登录 / Sign in',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ csrfToken: Type.String(), expiresAt: Type.String(), actor: ActorSchema, secondFactor: SecondFactorSchema }), 401: ProblemSchema, 423: ProblemSchema },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const now = clock.now();
      const account = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
      const failed = () => new AppError('LOGIN_FAILED', 401, '用户名或密码错误', 'Wrong username or password', 'password');
      if (!account) {
        // Spend comparable time so the response does not reveal whether the username exists.
        await verifyPassword(await dummyHash, password);
        throw failed();
      }
      if (account.locked_until && account.locked_until.getTime() > now.getTime()) {
        throw new AppError('ACCOUNT_LOCKED', 423, `连续登录失败次数过多，账号已锁定至 ${account.locked_until.toISOString()}`, `Too many failed sign-ins; the account is locked until ${account.locked_until.toISOString()}`, 'username', { lockedUntil: account.locked_until.toISOString() });
      }
      if (account.status !== 'active' || !(await verifyPassword(account.password_hash, password))) {
        const failures = account.failed_logins + 1;
        const lock = failures >= MAX_FAILED_LOGINS;
        await db
          .updateTable('accounts')
          .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null })
          .where('id', '=', account.id)
          .execute();
        throw failed();
      }
      await db.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
      const session = await createSession(db, account.id, now, config.sessionTtlMinutes, { ip: req.ip, userAgent: req.headers['user-agent'] });
      setSessionCookie(reply, session, config.secureCookies);
      const actor = (await loadActor(db, account.id))!;
      const secondFactor = secondFactorState({ ...actor, via: 'session', secondFactorOk: false }, config.requireStaffTotp);
      return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), actor, secondFactor };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出 / Sign out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await db.deleteFrom('sessions').where('id_hash', '=', sha256Hex(token)).execute();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: '当前用户 / Current account', response: { 200: Type.Object({ actor: ActorSchema, csrfToken: Type.String(), secondFactor: SecondFactorSchema, scopes: Type.Optional(Type.Array(Type.String())) }), 401: ProblemSchema } } },
    async (req) => {
      const actor = requireActor(req);
      if (actor.via === 'token') return { actor, csrfToken: '', secondFactor: 'not_required' as const, scopes: actor.scopes ?? [] };
      const token = req.cookies[SESSION_COOKIE]!;
      const resolved = await actorFromSession(db, token, clock.now());
      return { actor, csrfToken: resolved?.csrfToken ?? '', secondFactor: secondFactorState(actor, config.requireStaffTotp) };
    },
  );
}
