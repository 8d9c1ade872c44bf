import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { AppError } from '../../../platform/http/errors';
import { parsePublicKey, verifyProof, type KeyAlgorithm } from '../identity.keys';
import { uniqueViolation } from '../identity.repo';

const CHALLENGE_MINUTES = 10;

/** A one-time challenge naming the account, so a proof made for one account cannot be replayed for another. */
export async function issueChallenge(ctx: AppContext, actor: Actor) {
  const now = ctx.clock.now();
  const challenge = `yiwang-key-proof:${actor.accountId}:${randomBytes(24).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
  await ctx.db.transaction().execute(async (trx) => {
    // Keep the table small: an account's stale challenges go when it asks for a new one.
    await trx.deleteFrom('key_challenges').where('account_id', '=', actor.accountId).where('expires_at', '<', now).execute();
    await trx
      .insertInto('key_challenges')
      .values({ challenge, account_id: actor.accountId, created_at: now, expires_at: expiresAt, used_at: null })
      .execute();
  });
  return { challenge, expiresAt: expiresAt.toISOString() };
}

const badChallenge = () =>
  new AppError(
    'CHALLENGE_INVALID',
    400,
    '挑战值无效、已过期或已使用，请重新获取',
    'The challenge is unknown, expired or used; fetch a new one',
    'challenge',
  );

export async function registerKey(
  ctx: AppContext,
  actor: Actor,
  input: { algorithm: KeyAlgorithm; publicKey: string; challenge: string; proof: string; label?: string },
) {
  const parsed = parsePublicKey(input.algorithm, input.publicKey);
  const now = ctx.clock.now();
  try {
    return await ctx.db
      .transaction()
      .execute(async (trx) => {
        const ch = await trx
          .selectFrom('key_challenges')
          .selectAll()
          .where('challenge', '=', input.challenge)
          .forUpdate()
          .executeTakeFirst();
        if (!ch || ch.account_id !== actor.accountId || ch.used_at || ch.expires_at.getTime() <= now.getTime()) throw badChallenge();
        // The challenge is spent whether or not the proof holds, so one challenge allows one guess.
        await trx.updateTable('key_challenges').set({ used_at: now }).where('challenge', '=', ch.challenge).execute();
        if (!verifyProof(parsed, input.challenge, input.proof)) return { failed: true as const };
        const row = await trx
          .insertInto('signing_keys')
          .values({
            account_id: actor.accountId,
            algorithm: input.algorithm,
            public_key: parsed.normalized,
            fingerprint: parsed.fingerprint,
            label: input.label ?? null,
            created_at: now,
            revoked_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordLedger(
          trx,
          {
            type: 'identity.key_registered',
            subjectType: 'signing_key',
            subjectId: row.id,
            actorId: actor.accountId,
            payload: { accountId: actor.accountId, algorithm: row.algorithm, fingerprint: row.fingerprint },
          },
          now,
        );
        await emitEvent(
          trx,
          {
            type: 'identity.key_registered',
            payload: { keyId: row.id, accountId: actor.accountId, fingerprint: row.fingerprint },
                      },
          now,
        );
        return { failed: false as const, row };
      })
      .then((r) => {
        // Reported after commit so the spent challenge stays spent.
        if (r.failed)
          throw new AppError(
            'PROOF_INVALID',
            400,
            '签名验证失败：请用对应私钥对挑战值签名',
            'The proof does not verify: sign the challenge with the matching private key',
            'proof',
          );
        return r.row;
      });
  } catch (e) {
    if (uniqueViolation(e))
      throw new AppError('KEY_ALREADY_REGISTERED', 409, '该公钥已登记', 'This public key is already registered', 'publicKey');
    throw e;
  }
}

export async function revokeKey(ctx: AppContext, actor: Actor, keyId: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const k = await trx.selectFrom('signing_keys').selectAll().where('id', '=', keyId).forUpdate().executeTakeFirst();
    // Another account's key answers 404, so key ids cannot be probed.
    if (!k || k.account_id !== actor.accountId) throw new AppError('NOT_FOUND', 404, '公钥不存在', 'Key not found');
    if (k.revoked_at) return;
    await trx.updateTable('signing_keys').set({ revoked_at: now }).where('id', '=', keyId).execute();
    await recordLedger(
      trx,
      {
        type: 'identity.key_revoked',
        subjectType: 'signing_key',
        subjectId: keyId,
        actorId: actor.accountId,
        payload: { fingerprint: k.fingerprint },
      },
      now,
    );
    await emitEvent(
      trx,
      { type: 'identity.key_revoked', payload: { keyId, accountId: actor.accountId, fingerprint: k.fingerprint } },
      now,
    );
  });
}
