import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/database';
import { AppError } from '../http/errors';
import type { Actor } from './actor';
import { loadActor, sha256Hex } from './sessions';
import './auth.tables';

/**
 * Scoped API tokens for system-to-system use (ARCHITECTURE §5). The token is `ywt_` + 32 random bytes
 * (base64url); the database keeps only its SHA-256, so a database reader cannot call the API. Tokens travel in
 * `Authorization: Bearer`, never in a cookie, so a browser cannot be tricked into sending one: no CSRF check.
 */
export const TOKEN_PREFIX = 'ywt_';
/** `<resource>:<read|write>`, e.g. 'announcements:read', 'projects:write'. */
export const SCOPE_PATTERN = '^[a-z][a-z0-9_]*:(read|write)$';

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export const tokenInvalid = () =>
  new AppError('TOKEN_INVALID', 401, 'API 令牌无效、已过期或已吊销', 'The API token is invalid, expired or revoked');

/** Resolve a bearer token to its actor; unknown, expired or revoked tokens resolve to nothing. */
export async function actorFromToken(db: Db, token: string, now: Date): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime()) return undefined;
  const actor = await loadActor(db, row.account_id);
  if (!actor) return undefined;
  // Record use at most once a minute so a busy integration does not turn every read into a write.
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { ...actor, via: 'token', scopes: row.scopes };
}

export async function insertToken(
  trx: DbOrTx,
  spec: { accountId: string; name: string; scopes: string[]; createdBy: string; expiresAt: Date },
  now: Date,
): Promise<{ id: string; token: string }> {
  const token = newTokenSecret();
  const row = await trx
    .insertInto('api_tokens')
    .values({
      account_id: spec.accountId,
      name: spec.name,
      token_hash: sha256Hex(token),
      token_prefix: token.slice(0, 10),
      scopes: spec.scopes,
      created_by: spec.createdBy,
      created_at: now,
      expires_at: spec.expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}
