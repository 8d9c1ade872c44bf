import { sql } from 'kysely';
import type { Role } from '@yiwang/contracts';
import type { DbOrTx } from '../../platform/db/database';
import './identity.tables';

export const ACCOUNT_COLUMNS = [
  'id',
  'username',
  'display_name',
  'org_id',
  'is_org_admin',
  'totp_enabled',
  'status',
  'created_at',
] as const;
export const ORG_COLUMNS = ['id', 'kind', 'name', 'uscc', 'region_code', 'status', 'created_at'] as const;

/** The unique constraint a failed insert hit (PostgreSQL and PGlite both report SQLSTATE 23505 with its name). */
export function uniqueViolation(e: unknown): string | undefined {
  const err = e as { code?: string; constraint?: string; detail?: string; message?: string };
  if (err?.code !== '23505') return undefined;
  return err.constraint ?? `${err.detail ?? ''} ${err.message ?? ''}`;
}

export function findOrg(db: DbOrTx, id: string) {
  return db.selectFrom('organisations').select(ORG_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function usccTaken(db: DbOrTx, uscc: string): Promise<boolean> {
  return !!(await db.selectFrom('organisations').select('id').where('uscc', '=', uscc).executeTakeFirst());
}

export async function personTaken(db: DbOrTx, idHash: string): Promise<boolean> {
  return !!(await db.selectFrom('organisations').select('id').where('person_id_hash', '=', idHash).executeTakeFirst());
}

export async function usernameTaken(db: DbOrTx, username: string): Promise<boolean> {
  return !!(await db
    .selectFrom('accounts')
    .select('id')
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst());
}

export async function insertAccount(
  trx: DbOrTx,
  a: {
    orgId: string | null;
    username: string;
    displayName: string;
    passwordHash: string;
    phone: string | null;
    email: string | null;
    isOrgAdmin: boolean;
  },
  now: Date,
) {
  return trx
    .insertInto('accounts')
    .values({
      org_id: a.orgId,
      username: a.username,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      phone: a.phone,
      email: a.email,
      locked_until: null,
      totp_secret: null,
      is_org_admin: a.isOrgAdmin,
      created_at: now,
    })
    .returning(ACCOUNT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function replaceGrants(
  trx: DbOrTx,
  accountId: string,
  grants: { role: Role; industries?: string[]; regions?: string[] }[],
  now: Date,
) {
  await trx.deleteFrom('account_roles').where('account_id', '=', accountId).execute();
  for (const g of grants) {
    await trx
      .insertInto('account_roles')
      .values({ account_id: accountId, role: g.role, industries: g.industries ?? [], regions: g.regions ?? [], granted_at: now })
      .execute();
  }
}

export function grantsOf(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('account_roles')
    .select(['role', 'industries', 'regions'])
    .where('account_id', '=', accountId)
    .orderBy('role')
    .execute();
}

export function findAccount(db: DbOrTx, id: string) {
  return db.selectFrom('accounts').select(ACCOUNT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function accountsOfOrg(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('username')
    .execute();
  const grants = rows.length
    ? await db
        .selectFrom('account_roles')
        .select(['account_id', 'role', 'industries', 'regions'])
        .where(
          'account_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('role')
        .execute()
    : [];
  return rows.map((r) => ({ row: r, grants: grants.filter((g) => g.account_id === r.id) }));
}

export async function countAdmins(db: DbOrTx): Promise<number> {
  const r = await db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_roles.role', '=', 'admin')
    .where('accounts.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Staff search by name fragment or credit-code prefix, keyset-paged on (name, id). */
export function searchOrgs(db: DbOrTx, q: string | undefined, after: [string, string] | undefined, limit: number) {
  let query = db.selectFrom('organisations').select(ORG_COLUMNS);
  if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(name)`, 'like', like), eb('uscc', 'like', `${q.toUpperCase().replace(/[\\%_]/g, '')}%`)]),
    );
  }
  if (after) query = query.where((eb) => eb.or([eb('name', '>', after[0]), eb.and([eb('name', '=', after[0]), eb('id', '>', after[1])])]));
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}

/** LIKE pattern for a case-insensitive "contains" match, with LIKE's own metacharacters escaped. */
function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Organisations at least one of whose active accounts holds `role` — what an agency picks from when it
 * registers a project on a tenderer's behalf. Same keyset as searchOrgs.
 */
export function searchOrgsWithRole(db: DbOrTx, role: Role, q: string | undefined, after: [string, string] | undefined, limit: number) {
  let query = db
    .selectFrom('organisations')
    .select(ORG_COLUMNS)
    .where('status', '=', 'active')
    .where('kind', '=', 'organisation')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accounts')
          .innerJoin('account_roles', 'account_roles.account_id', 'accounts.id')
          .select('accounts.id')
          .whereRef('accounts.org_id', '=', 'organisations.id')
          .where('accounts.status', '=', 'active')
          .where('account_roles.role', '=', role),
      ),
    );
  if (q) {
    const like = containsPattern(q);
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(name)`, 'like', like), eb('uscc', 'like', `${q.toUpperCase().replace(/[\\%_]/g, '')}%`)]),
    );
  }
  if (after) query = query.where((eb) => eb.or([eb('name', '>', after[0]), eb.and([eb('name', '=', after[0]), eb('id', '>', after[1])])]));
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}

/**
 * The administrator's account list: `q` matches username, display name or organisation name; `role` keeps
 * accounts holding that role. Keyset-paged on (lower(username), id) — usernames are unique case-insensitively.
 */
export async function listAccounts(
  db: DbOrTx,
  f: { q?: string; role?: Role; after?: [string, string]; limit: number },
) {
  let query = db
    .selectFrom('accounts')
    .leftJoin('organisations', 'organisations.id', 'accounts.org_id')
    .select([
      'accounts.id',
      'accounts.username',
      'accounts.display_name',
      'accounts.org_id',
      'accounts.is_org_admin',
      'accounts.totp_enabled',
      'accounts.status',
      'accounts.created_at',
      'organisations.name as org_name',
      sql<string>`lower(accounts.username)`.as('username_key'),
    ]);
  if (f.q) {
    const like = containsPattern(f.q);
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(accounts.username)`, 'like', like),
        eb(sql<string>`lower(accounts.display_name)`, 'like', like),
        eb(sql<string>`lower(organisations.name)`, 'like', like),
      ]),
    );
  }
  if (f.role) {
    const role = f.role;
    query = query.where((eb) =>
      eb.exists(
        eb.selectFrom('account_roles').select('account_roles.account_id').whereRef('account_roles.account_id', '=', 'accounts.id').where('account_roles.role', '=', role),
      ),
    );
  }
  if (f.after) {
    const [key, id] = f.after;
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(accounts.username)`, '>', key),
        eb.and([eb(sql<string>`lower(accounts.username)`, '=', key), eb('accounts.id', '>', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy(sql`lower(accounts.username)`)
    .orderBy('accounts.id')
    .limit(f.limit + 1)
    .execute();
  const grants = rows.length
    ? await db
        .selectFrom('account_roles')
        .select(['account_id', 'role', 'industries', 'regions'])
        .where('account_id', 'in', rows.map((r) => r.id))
        .orderBy('role')
        .execute()
    : [];
  return rows.map((r) => ({ row: r, grants: grants.filter((g) => g.account_id === r.id) }));
}

// ---- API tokens

export function tokensOf(db: DbOrTx, accountId: string) {
  return db.selectFrom('api_tokens').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').execute();
}

export function findToken(db: DbOrTx, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

// ---- signing keys

export function keysOf(db: DbOrTx, accountId: string) {
  return db.selectFrom('signing_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
}
