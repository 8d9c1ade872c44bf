import type { Role } from '@yiwang/contracts';
import type { DbOrTx } from '../db/database';
import '../auth/auth.tables';

/** Active accounts of the given organisations (who hears about their own projects and notices). */
export async function activeAccountsOfOrgs(db: DbOrTx, orgIds: (string | null | undefined)[]): Promise<string[]> {
  const ids = [...new Set(orgIds.filter((x): x is string => !!x))];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('accounts').select('id').where('org_id', 'in', ids).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

/** Active accounts holding a role (e.g. the intake window's staff, who hear about new submissions). */
export async function activeAccountsWithRole(db: DbOrTx, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select('accounts.id')
    .where('account_roles.role', '=', role)
    .where('accounts.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}
