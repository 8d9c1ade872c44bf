import type { AppContext } from '../../../platform/context';
import { hashPassword } from '../../../platform/auth/password';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { Errors, type AppError } from '../../../platform/http/errors';
import { checkRegistration, type RegistrationInput } from '../identity.rules';
import { insertAccount, personTaken, replaceGrants, uniqueViolation, usccTaken, usernameTaken, ORG_COLUMNS } from '../identity.repo';
import { personIdHash } from '../identity.pii';

export const usccAlreadyRegistered = () =>
  Errors.conflict(
    'USCC_ALREADY_REGISTERED',
    '该统一社会信用代码已注册，请联系本单位管理员添加账号',
    'This credit code is already registered; ask your organisation admin for an account',
    'uscc',
  );
export const personAlreadyRegistered = () =>
  Errors.conflict('PERSON_ALREADY_REGISTERED', '该身份证号码已注册', 'This ID number is already registered', 'idNumber');
export const usernameTakenError = () => Errors.conflict('USERNAME_TAKEN', '用户名已被使用', 'The username is taken', 'username');

/** Map a unique-constraint race (two registrations at once) to the same errors the pre-checks give. */
export function conflictFromUnique(e: unknown): AppError | undefined {
  const c = uniqueViolation(e);
  if (!c) return undefined;
  if (c.includes('uscc')) return usccAlreadyRegistered();
  if (c.includes('person_id_hash')) return personAlreadyRegistered();
  if (c.includes('username')) return usernameTakenError();
  return undefined;
}

/**
 * Self-registration of a market entity with its first account, which becomes the entity's admin
 * (一地注册、全网通用: one registration serves every procedure). One transaction: entity, account, roles, ledger,
 * outbox.
 */
export async function registerEntity(ctx: AppContext, input: RegistrationInput, opts: { passwordHash?: string } = {}) {
  const checked = checkRegistration(input);
  const idHash = checked.idNumber ? personIdHash(ctx.config, checked.idNumber) : null;
  // Hash before the transaction: Argon2 takes ~50 ms and must not hold the (PGlite) connection.
  // opts.passwordHash: the demo seeder hashes its one demo password once (the policy was still checked above).
  const passwordHash = opts.passwordHash ?? (await hashPassword(input.password));
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (checked.uscc && (await usccTaken(trx, checked.uscc))) throw usccAlreadyRegistered();
      if (idHash && (await personTaken(trx, idHash))) throw personAlreadyRegistered();
      if (await usernameTaken(trx, input.username)) throw usernameTakenError();
      const org = await trx
        .insertInto('organisations')
        .values({
          kind: input.kind,
          name: input.name.trim(),
          uscc: checked.uscc,
          person_id_hash: idHash,
          region_code: checked.regionCode,
          org_type: input.kind === 'person' ? 'person' : 'enterprise',
          contact_name: input.displayName,
          contact_phone: input.phone,
          created_at: now,
        })
        .returning(ORG_COLUMNS)
        .executeTakeFirstOrThrow();
      const account = await insertAccount(
        trx,
        {
          orgId: org.id,
          username: input.username,
          displayName: input.displayName,
          passwordHash,
          phone: input.phone,
          email: input.email ?? null,
          isOrgAdmin: true,
        },
        now,
      );
      const grants = input.roles.map((role) => ({ role }));
      await replaceGrants(trx, account.id, grants, now);
      await recordLedger(
        trx,
        {
          type: 'identity.registered',
          subjectType: 'organisation',
          subjectId: org.id,
          actorId: account.id,
          // No personal data in the ledger: it is append-only and cannot honour erasure.
          payload: {
            kind: org.kind,
            uscc: org.uscc,
            regionCode: org.region_code,
            accountId: account.id,
            username: account.username,
            roles: input.roles,
          },
        },
        now,
      );
      await emitEvent(
        trx,
        {
          type: 'identity.registered',
          payload: { orgId: org.id, accountId: account.id, kind: org.kind, roles: input.roles },
                  },
        now,
      );
      return { org, account, grants: grants.map((g) => ({ role: g.role, industries: [], regions: [] })) };
    });
  } catch (e) {
    throw conflictFromUnique(e) ?? e;
  }
}
