import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { insertToken } from '../../../platform/auth/tokens';
import { recordLedger } from '../../../platform/ledger/append';
import { AppError } from '../../../platform/http/errors';
import { findToken, grantsOf } from '../identity.repo';

/** Issue a scoped token to a system account. The secret is returned here once and never again. */
export async function createToken(
  ctx: AppContext,
  actor: Actor,
  accountId: string,
  input: { name: string; scopes: string[]; expiresInDays: number },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').select(['id', 'status']).where('id', '=', accountId).executeTakeFirst();
    if (!account) throw new AppError('NOT_FOUND', 404, '账号不存在', 'Account not found');
    const grants = await grantsOf(trx, accountId);
    if (!grants.some((g) => g.role === 'system')) {
      throw new AppError(
        'TOKEN_SYSTEM_ONLY',
        409,
        'API 令牌只能发给第三方系统账号',
        "API tokens are issued only to 'system' accounts",
        'accountId',
      );
    }
    const scopes = [...new Set(input.scopes)].sort();
    const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const { id, token } = await insertToken(trx, { accountId, name: input.name, scopes, createdBy: actor.accountId, expiresAt }, now);
    await recordLedger(
      trx,
      {
        type: 'auth.token_created',
        subjectType: 'api_token',
        subjectId: id,
        actorId: actor.accountId,
        payload: { accountId, name: input.name, scopes, expiresAt: expiresAt.toISOString() },
      },
      now,
    );
    return { id, token, row: (await findToken(trx, id))! };
  });
}

export async function revokeToken(ctx: AppContext, actor: Actor, tokenId: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const t = await findToken(trx, tokenId);
    if (!t) throw new AppError('NOT_FOUND', 404, '令牌不存在', 'Token not found');
    if (t.revoked_at) return; // idempotent
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).execute();
    await recordLedger(
      trx,
      {
        type: 'auth.token_revoked',
        subjectType: 'api_token',
        subjectId: tokenId,
        actorId: actor.accountId,
        payload: { accountId: t.account_id },
      },
      now,
    );
  });
}
