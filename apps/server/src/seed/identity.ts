/**
 * Demo organisations and accounts, through the identity module's own commands (registerEntity for market entities,
 * createAccountByAdmin for staff) so they obey the same checks and leave the same ledger entries. Only the first
 * administrator and the non-market bodies (trading center, supervising departments) are inserted here directly:
 * no command creates them (an operator does it once at installation), so the seed writes the rows and their ledger
 * entries itself.
 */
import { makeResidentId, makeUscc, type Role } from '@yiwang/contracts';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/auth/actor';
import { appendLedger } from '../platform/ledger/append';
import { emitEvent } from '../platform/outbox/emit';
import { registerEntity } from '../modules/identity/commands/register';
import { createAccountByAdmin } from '../modules/identity/commands/accounts';
import { ADMIN, DEMO_PASSWORD, GOVERNMENT_ORGS, MARKET_ORGS, PERSONS, STAFF } from './data/orgs';

export interface DemoPeople {
  /** username → actor as the auth layer would resolve it (for calling commands as that person). */
  actors: Map<string, Actor & { orgId: string | null }>;
  /** organisation name → id. */
  orgIds: Map<string, string>;
  accounts: number;
}

/** A context whose clock reads `at`: commands take their time from ctx.clock. */
export const ctxAt = (ctx: AppContext, at: Date): AppContext => ({ ...ctx, clock: { now: () => new Date(at.getTime()) } });

const phoneOf = (i: number) => `1380592${String(1000 + i * 37).slice(-4)}`;

function actorOf(
  account: { id: string; username: string; display_name: string },
  orgId: string | null,
  orgName: string | null,
  roles: { role: Role; industries?: string[]; regions?: string[] }[],
): Actor & { orgId: string | null } {
  return {
    accountId: account.id,
    username: account.username,
    displayName: account.display_name,
    orgId,
    orgName,
    roles: roles.map((g) => ({ role: g.role, industries: g.industries ?? [], regions: g.regions ?? [] })),
    via: 'session',
    isOrgAdmin: !!orgId,
    secondFactorOk: true,
  };
}

export async function seedPeople(ctx: AppContext, passwordHash: string, start: Date): Promise<DemoPeople> {
  const actors = new Map<string, Actor & { orgId: string | null }>();
  const orgIds = new Map<string, string>();
  const govIds = new Map<string, string>();
  let t = start.getTime();
  const tick = () => new Date((t += 7 * 60_000)); // a few minutes apart, in order
  let accounts = 0;

  // The installation: government bodies and the first administrator (no command exists for these).
  await ctx.db.transaction().execute(async (trx) => {
    for (const [i, g] of GOVERNMENT_ORGS.entries()) {
      const now = tick();
      const uscc = makeUscc(`yiwang-demo-gov-${g.key}`, { region: g.region, authority: g.form[0], orgType: g.form[1] });
      const org = await trx
        .insertInto('organisations')
        .values({
          kind: 'organisation',
          name: g.name,
          uscc,
          person_id_hash: null,
          region_code: g.region,
          org_type: g.orgType,
          contact_name: null,
          contact_phone: phoneOf(100 + i),
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      govIds.set(g.key, org.id);
      orgIds.set(g.name, org.id);
      await appendLedger(
        trx,
        {
          type: 'identity.org_created',
          subjectType: 'organisation',
          subjectId: org.id,
          payload: { kind: 'organisation', uscc, regionCode: g.region, orgType: g.orgType, source: 'installation' },
        },
        now,
      );
    }
    const now = tick();
    const orgId = govIds.get(ADMIN.org)!;
    const a = await trx
      .insertInto('accounts')
      .values({
        org_id: orgId,
        username: ADMIN.username,
        display_name: ADMIN.displayName,
        password_hash: passwordHash,
        phone: null,
        email: null,
        locked_until: null,
        totp_secret: null,
        created_at: now,
      })
      .returning(['id', 'username', 'display_name'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('account_roles')
      .values({ account_id: a.id, role: 'admin', industries: [], regions: [], granted_at: now })
      .execute();
    const entry = await appendLedger(
      trx,
      {
        type: 'identity.account_created',
        subjectType: 'account',
        subjectId: a.id,
        payload: { username: a.username, orgId, roles: [{ role: 'admin', industries: [], regions: [] }], source: 'installation' },
      },
      now,
    );
    await emitEvent(
      trx,
      { type: 'identity.account_created', payload: { accountId: a.id, orgId, roles: ['admin'] }, ledgerSeq: entry.seq },
      now,
    );
    actors.set(ADMIN.username, actorOf(a, orgId, GOVERNMENT_ORGS.find((g) => g.key === ADMIN.org)!.name, [{ role: 'admin' }]));
    accounts++;
  });
  const admin = actors.get(ADMIN.username)!;

  // Staff, experts and the system account: granted by the administrator (管办分离 checked by the command).
  for (const s of STAFF) {
    const orgId = s.org ? govIds.get(s.org)! : undefined;
    const isSystem = s.roles.some((g) => g.role === 'system');
    const r = await createAccountByAdmin(
      ctxAt(ctx, tick()),
      admin,
      { username: s.username, displayName: s.displayName, orgId, roles: s.roles, ...(isSystem ? {} : { password: DEMO_PASSWORD }) },
      { passwordHash },
    );
    const orgName = s.org ? GOVERNMENT_ORGS.find((g) => g.key === s.org)!.name : null;
    actors.set(s.username, actorOf(r.account, orgId ?? null, orgName, s.roles));
    accounts++;
  }

  // Market entities register themselves (一地注册、全网通用).
  for (const [i, o] of MARKET_ORGS.entries()) {
    const uscc = makeUscc(`yiwang-demo-${o.username}`, { region: o.region, authority: o.form[0], orgType: o.form[1] });
    const r = await registerEntity(
      ctxAt(ctx, tick()),
      {
        kind: 'organisation',
        name: o.name,
        uscc,
        regionCode: o.region,
        username: o.username,
        password: DEMO_PASSWORD,
        displayName: o.contact,
        phone: phoneOf(i),
        roles: o.roles,
      },
      { passwordHash },
    );
    orgIds.set(o.name, r.org.id);
    actors.set(
      o.username,
      actorOf(
        r.account,
        r.org.id,
        o.name,
        o.roles.map((role) => ({ role })),
      ),
    );
    accounts++;
  }
  for (const [i, p] of PERSONS.entries()) {
    const r = await registerEntity(
      ctxAt(ctx, tick()),
      {
        kind: 'person',
        name: p.name,
        idNumber: makeResidentId(`yiwang-demo-${p.username}`, p.region),
        username: p.username,
        password: DEMO_PASSWORD,
        displayName: p.name,
        phone: phoneOf(60 + i),
        roles: p.roles,
      },
      { passwordHash },
    );
    orgIds.set(p.name, r.org.id);
    actors.set(
      p.username,
      actorOf(
        r.account,
        r.org.id,
        p.name,
        p.roles.map((role) => ({ role })),
      ),
    );
    accounts++;
  }
  return { actors, orgIds, accounts };
}
