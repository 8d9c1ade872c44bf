import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../db/database';
import type { Role } from '@yiwang/contracts';
import type { Actor } from './actor';
import './auth.tables';

export const SESSION_COOKIE = 'yw_session';
/** Wrong passwords and wrong TOTP codes share one counter: 5 failures lock the account for 15 minutes. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Hand a new session to the browser: HTTP-only, same-site cookie that ends with the session. */
export function setSessionCookie(
  reply: { setCookie(name: string, value: string, opts: Record<string, unknown>): unknown },
  session: { token: string; expiresAt: Date },
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: session.expiresAt });
}

export async function createSession(
  db: Db,
  accountId: string,
  now: Date,
  ttlMinutes: number,
  meta: { ip?: string; userAgent?: string; secondFactorOk?: boolean },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256Hex(token),
      account_id: accountId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      second_factor_ok: meta.secondFactorOk ?? false,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function loadActor(db: Db, accountId: string): Promise<Omit<Actor, 'via'> | undefined> {
  const row = await db
    .selectFrom('accounts')
    .leftJoin('organisations', 'organisations.id', 'accounts.org_id')
    .select(['accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.org_id', 'accounts.status', 'accounts.totp_enabled', 'accounts.is_org_admin', 'organisations.name as org_name'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return undefined;
  const roles = await db.selectFrom('account_roles').select(['role', 'industries', 'regions']).where('account_id', '=', accountId).orderBy('role').execute();
  return {
    accountId: row.id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgName: row.org_name ?? null,
    roles: roles.map((r) => ({ role: r.role as Role, industries: r.industries, regions: r.regions })),
    totpEnabled: row.totp_enabled,
    isOrgAdmin: row.is_org_admin,
  };
}

/** Resolve a session token to its actor; expired or unknown sessions resolve to nothing. */
export async function actorFromSession(db: Db, token: string, now: Date): Promise<{ actor: Actor; csrfToken: string; secondFactorOk: boolean } | undefined> {
  const idHash = sha256Hex(token);
  // One round trip (session, account, organisation, roles) rather than three: every authenticated request pays it,
  // and it is read afresh each time, so a sign-out, a disabled account or a changed role applies to the next request.
  const s = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('organisations', 'organisations.id', 'accounts.org_id')
    .select(['sessions.expires_at', 'sessions.csrf_token', 'sessions.second_factor_ok'])
    .select(['accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.org_id', 'accounts.status', 'accounts.totp_enabled', 'accounts.is_org_admin', 'organisations.name as org_name'])
    .select((eb) => jsonArrayFrom(eb.selectFrom('account_roles').select(['role', 'industries', 'regions']).whereRef('account_roles.account_id', '=', 'accounts.id').orderBy('role')).as('roles'))
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!s || s.expires_at.getTime() <= now.getTime() || s.status !== 'active') return undefined;
  const actor: Actor = {
    accountId: s.id,
    username: s.username,
    displayName: s.display_name,
    orgId: s.org_id,
    orgName: s.org_name ?? null,
    roles: s.roles.map((r) => ({ role: r.role as Role, industries: r.industries, regions: r.regions })),
    totpEnabled: s.totp_enabled,
    isOrgAdmin: s.is_org_admin,
    via: 'session',
    sessionIdHash: idHash,
    secondFactorOk: s.second_factor_ok,
  };
  return { actor, csrfToken: s.csrf_token, secondFactorOk: s.second_factor_ok };
}
