import type { Role } from '@yiwang/contracts';
import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { hashPassword } from '../../../platform/auth/password';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { AppError } from '../../../platform/http/errors';
import { assertPassword, checkGrants, checkMarketRoles, type GrantInput } from '../identity.rules';
import { countAdmins, findAccount, findOrg, grantsOf, insertAccount, replaceGrants, usernameTaken } from '../identity.repo';
import { conflictFromUnique, usernameTakenError } from './register';

export interface NewAccountInput {
  username: string;
  password?: string;
  displayName: string;
  phone?: string;
  email?: string;
}

/** Accounts that sign in only with API tokens carry this instead of a password hash: no password verifies against it. */
const NO_PASSWORD = '!token-only';

async function createAccount(
  ctx: AppContext,
  actor: Actor,
  spec: NewAccountInput & { orgId: string | null; isOrgAdmin: boolean; grants: GrantInput[]; passwordHash: string },
  ledgerType: string,
) {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (await usernameTaken(trx, spec.username)) throw usernameTakenError();
      const account = await insertAccount(
        trx,
        {
          orgId: spec.orgId,
          username: spec.username,
          displayName: spec.displayName,
          passwordHash: spec.passwordHash,
          phone: spec.phone ?? null,
          email: spec.email ?? null,
          isOrgAdmin: spec.isOrgAdmin,
        },
        now,
      );
      await replaceGrants(trx, account.id, spec.grants, now);
      const roles = spec.grants.map((g) => ({ role: g.role, industries: g.industries ?? [], regions: g.regions ?? [] }));
      await recordLedger(
        trx,
        {
          type: ledgerType,
          subjectType: 'account',
          subjectId: account.id,
          actorId: actor.accountId,
          payload: { username: account.username, orgId: spec.orgId, roles },
        },
        now,
      );
      await emitEvent(
        trx,
        { type: ledgerType, payload: { accountId: account.id, orgId: spec.orgId, roles: roles.map((r) => r.role) } },
        now,
      );
      return { account, roles };
    });
  } catch (e) {
    throw conflictFromUnique(e) ?? e;
  }
}

/**
 * An organisation admin adds an account to its own organisation. It may hand out only market roles it holds
 * itself, so an organisation cannot grow roles it never registered for.
 */
export async function addOrgAccount(
  ctx: AppContext,
  actor: Actor,
  orgId: string,
  input: NewAccountInput & { roles: Role[]; orgAdmin?: boolean },
) {
  checkMarketRoles(input.roles);
  const own = new Set(actor.roles.map((g) => g.role));
  const beyond = input.roles.find((r) => !own.has(r));
  if (beyond)
    throw new AppError(
      'ROLE_NOT_ALLOWED',
      403,
      `您本身没有 ${beyond} 角色，不能授予他人`,
      `You cannot grant ${beyond}, which you do not hold`,
      'roles',
    );
  if (!input.password) throw new AppError('FIELD_REQUIRED', 400, '须设置密码', 'A password is required', 'password');
  assertPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return createAccount(
    ctx,
    actor,
    { ...input, orgId, isOrgAdmin: input.orgAdmin ?? false, grants: input.roles.map((role) => ({ role })), passwordHash },
    'identity.org_account_added',
  );
}

/** Administrator creates a staff, expert, market or system account with role grants (管办分离 enforced). */
export async function createAccountByAdmin(
  ctx: AppContext,
  actor: Actor,
  input: NewAccountInput & { orgId?: string; roles: GrantInput[] },
  opts: { passwordHash?: string } = {},
) {
  if (input.roles.length === 0) throw new AppError('FIELD_REQUIRED', 400, '至少授予一个角色', 'Grant at least one role', 'roles');
  if (input.orgId && !(await findOrg(ctx.db, input.orgId)))
    throw new AppError('NOT_FOUND', 404, '单位不存在', 'Organisation not found', 'orgId');
  checkGrants(input.roles, !!input.orgId);
  const isSystem = input.roles.some((g) => g.role === 'system');
  let passwordHash = NO_PASSWORD;
  if (isSystem) {
    if (input.password)
      throw new AppError(
        'FIELD_NOT_ALLOWED',
        400,
        '系统账号只能使用 API 令牌，不设密码',
        'System accounts use API tokens only and have no password',
        'password',
      );
  } else {
    if (!input.password) throw new AppError('FIELD_REQUIRED', 400, '须设置初始密码', 'An initial password is required', 'password');
    assertPassword(input.password);
    passwordHash = opts.passwordHash ?? (await hashPassword(input.password)); // demo seeder: one hash reused
  }
  return createAccount(
    ctx,
    actor,
    { ...input, orgId: input.orgId ?? null, isOrgAdmin: false, grants: input.roles, passwordHash },
    'identity.account_created',
  );
}

/** Replace an account's role grants. Refuses to remove the last administrator. */
export async function setRoles(ctx: AppContext, actor: Actor, accountId: string, grants: GrantInput[]) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').select(['id', 'org_id']).where('id', '=', accountId).forUpdate().executeTakeFirst();
    if (!account) throw new AppError('NOT_FOUND', 404, '账号不存在', 'Account not found');
    checkGrants(grants, !!account.org_id);
    const before = await grantsOf(trx, accountId);
    // A system account has no password and a personal one has no tokens: converting either way would break that.
    if (before.some((g) => g.role === 'system') !== grants.some((g) => g.role === 'system')) {
      throw new AppError(
        'ROLE_SEPARATION',
        409,
        '系统账号与人员账号不能互相转换',
        'A system account and a personal account cannot be converted into each other',
        'roles',
      );
    }
    await replaceGrants(trx, accountId, grants, now);
    if (before.some((g) => g.role === 'admin') && !grants.some((g) => g.role === 'admin') && (await countAdmins(trx)) === 0) {
      throw new AppError('LAST_ADMIN', 409, '不能移除最后一个平台管理员', 'Cannot remove the last administrator', 'roles');
    }
    const after = grants.map((g) => ({ role: g.role, industries: g.industries ?? [], regions: g.regions ?? [] }));
    await recordLedger(
      trx,
      {
        type: 'identity.roles_changed',
        subjectType: 'account',
        subjectId: accountId,
        actorId: actor.accountId,
        payload: { before, after },
      },
      now,
    );
    await emitEvent(
      trx,
      { type: 'identity.roles_changed', payload: { accountId, roles: after.map((g) => g.role) } },
      now,
    );
    const row = (await findAccount(trx, accountId))!;
    return { account: row, roles: after };
  });
}

/** Administrator clears a lost authenticator; the account enrols again at next sign-in. */
export async function resetTotp(ctx: AppContext, actor: Actor, accountId: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('accounts')
      .set({ totp_enabled: false, totp_secret: null, totp_last_step: null })
      .where('id', '=', accountId)
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 404, '账号不存在', 'Account not found');
    await trx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    await recordLedger(
      trx,
      { type: 'auth.totp_reset', subjectType: 'account', subjectId: accountId, actorId: actor.accountId, payload: {} },
      now,
    );
  });
}
