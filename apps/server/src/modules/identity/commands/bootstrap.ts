import type { AppContext } from '../../../platform/context';
import { hashPassword } from '../../../platform/auth/password';
import { appendLedger } from '../../../platform/ledger/append';
import { AppError } from '../../../platform/http/errors';
import { assertPassword } from '../identity.rules';
import { countAdmins, insertAccount, replaceGrants, usernameTaken } from '../identity.repo';
import { usernameTakenError } from './register';

/**
 * The first administrator of a new installation (`yiwang admin create-first`). Without it a platform started without
 * the demo city has nobody who can grant roles. Refused once any administrator exists: later administrators are
 * created by an administrator through the API, with the usual ledger trail.
 */
export async function createFirstAdmin(ctx: AppContext, input: { username: string; password: string; displayName: string }) {
  assertPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if ((await countAdmins(trx)) > 0) {
      throw new AppError('ADMIN_EXISTS', 409, '平台已有管理员，请由现有管理员创建新账号', 'An administrator already exists; ask one to create the account');
    }
    if (await usernameTaken(trx, input.username)) throw usernameTakenError();
    const account = await insertAccount(
      trx,
      { orgId: null, username: input.username, displayName: input.displayName, passwordHash, phone: null, email: null, isOrgAdmin: false },
      now,
    );
    await replaceGrants(trx, account.id, [{ role: 'admin' }], now);
    await appendLedger(
      trx,
      { type: 'account.bootstrap_admin', subjectType: 'account', subjectId: account.id, actorId: null, payload: { username: account.username, via: 'cli' } },
      now,
    );
    return account;
  });
}
