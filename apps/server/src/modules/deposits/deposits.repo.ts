import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import type { Tables } from '../../platform/db/schema';
import '../../platform/auth/auth.tables';
import './deposits.tables';

export type RequirementRow = Selectable<Tables['deposit_requirements']>;
export type BankRow = Selectable<Tables['deposit_banks']>;
export type IssuerRow = Selectable<Tables['deposit_issuers']>;
export type SubAccountRow = Selectable<Tables['deposit_sub_accounts']>;
export type CreditRow = Selectable<Tables['deposit_credits']>;
export type GuaranteeRow = Selectable<Tables['deposit_guarantees']>;
export type RefundRow = Selectable<Tables['deposit_refunds']>;

export interface LotKey {
  tenderId: string;
  lotId: string;
}

export async function getRequirement(db: DbOrTx, k: LotKey, opts: { forUpdate?: boolean } = {}): Promise<RequirementRow | undefined> {
  let q = db.selectFrom('deposit_requirements').selectAll().where('tender_id', '=', k.tenderId).where('lot_id', '=', k.lotId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function getBank(db: DbOrTx, code: string): Promise<BankRow | undefined> {
  return db.selectFrom('deposit_banks').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listBanks(db: DbOrTx, activeOnly = true): Promise<BankRow[]> {
  let q = db.selectFrom('deposit_banks').selectAll().orderBy('code');
  if (activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

export async function getIssuer(db: DbOrTx, code: string): Promise<IssuerRow | undefined> {
  return db.selectFrom('deposit_issuers').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listIssuers(db: DbOrTx, activeOnly = true): Promise<IssuerRow[]> {
  let q = db.selectFrom('deposit_issuers').selectAll().orderBy('code');
  if (activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

export async function orgById(
  db: DbOrTx,
  id: string,
): Promise<{ id: string; name: string; uscc: string | null; status: string } | undefined> {
  return db.selectFrom('organisations').select(['id', 'name', 'uscc', 'status']).where('id', '=', id).executeTakeFirst();
}

export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function subAccountsOf(db: DbOrTx, k: LotKey & { bidderOrgId: string }): Promise<SubAccountRow[]> {
  return db
    .selectFrom('deposit_sub_accounts')
    .selectAll()
    .where('tender_id', '=', k.tenderId)
    .where('lot_id', '=', k.lotId)
    .where('bidder_org_id', '=', k.bidderOrgId)
    .orderBy('created_at')
    .execute();
}

export async function subAccountByNo(db: DbOrTx, bankCode: string, accountNo: string): Promise<SubAccountRow | undefined> {
  return db
    .selectFrom('deposit_sub_accounts')
    .selectAll()
    .where('bank_code', '=', bankCode)
    .where('account_no', '=', accountNo)
    .executeTakeFirst();
}

/** Credits of one bidder (bidderOrgId given) or of every bidder of a lot. */
export async function creditsOf(db: DbOrTx, k: LotKey & { bidderOrgId?: string }): Promise<CreditRow[]> {
  let q = db.selectFrom('deposit_credits').selectAll().where('tender_id', '=', k.tenderId).where('lot_id', '=', k.lotId);
  if (k.bidderOrgId) q = q.where('bidder_org_id', '=', k.bidderOrgId);
  return q.orderBy('credited_at').orderBy('id').execute();
}

export async function guaranteesOf(db: DbOrTx, k: LotKey & { bidderOrgId?: string }): Promise<GuaranteeRow[]> {
  let q = db.selectFrom('deposit_guarantees').selectAll().where('tender_id', '=', k.tenderId).where('lot_id', '=', k.lotId);
  if (k.bidderOrgId) q = q.where('bidder_org_id', '=', k.bidderOrgId);
  return q.orderBy('verified_at').orderBy('id').execute();
}

export async function refundsOf(db: DbOrTx, k: LotKey & { bidderOrgId?: string }): Promise<RefundRow[]> {
  let q = db.selectFrom('deposit_refunds').selectAll().where('tender_id', '=', k.tenderId).where('lot_id', '=', k.lotId);
  if (k.bidderOrgId) q = q.where('bidder_org_id', '=', k.bidderOrgId);
  return q.orderBy('due_at').orderBy('id').execute();
}

export async function getRefund(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<RefundRow | undefined> {
  let q = db.selectFrom('deposit_refunds').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Refund tasks for the finance desk. Only lots whose reveal instant has passed are listed: a refund task names a
 * bidder, and before the bid deadline who bids is secret even from the center (DOMAIN §7).
 */
export async function listRefunds(
  db: DbOrTx,
  f: { status?: 'open' | 'done' | 'overdue'; now: Date; limit: number; after?: { dueAt: string; id: string } },
): Promise<(RefundRow & { lot_label: string; industry: string; region_code: string })[]> {
  let q = db
    .selectFrom('deposit_refunds as r')
    .innerJoin('deposit_requirements as q', (j) => j.onRef('q.tender_id', '=', 'r.tender_id').onRef('q.lot_id', '=', 'r.lot_id'))
    .selectAll('r')
    .select(['q.lot_label', 'q.industry', 'q.region_code'])
    .where('q.reveal_after', '<=', f.now)
    .orderBy('r.due_at')
    .orderBy('r.id')
    .limit(f.limit + 1);
  if (f.status === 'open') q = q.where('r.status', '=', 'open');
  if (f.status === 'done') q = q.where('r.status', '=', 'done');
  if (f.status === 'overdue') q = q.where('r.overdue_at', 'is not', null);
  if (f.after) {
    const a = f.after;
    q = q.where((eb) =>
      eb.or([eb('r.due_at', '>', new Date(a.dueAt)), eb.and([eb('r.due_at', '=', new Date(a.dueAt)), eb('r.id', '>', a.id)])]),
    );
  }
  return q.execute();
}

/**
 * 条例 40 signal: payer accounts that paid deposits for more than one bidder. Scoped to a tender (all its lots) — the
 * tell-tale is one account behind several "competitors".
 */
export async function sharedPayerAccounts(
  db: DbOrTx,
  tenderId: string,
): Promise<{ payer_account_no: string; bidders: string[]; lots: string[] }[]> {
  const rows = await db
    .selectFrom('deposit_credits')
    .select(['payer_account_no', 'bidder_org_id', 'lot_id'])
    .where('tender_id', '=', tenderId)
    .where('payer_account_no', 'in', (eb) =>
      eb
        .selectFrom('deposit_credits')
        .select('payer_account_no')
        .where('tender_id', '=', tenderId)
        .groupBy('payer_account_no')
        .having((h) => h.fn.count<number>('bidder_org_id').distinct(), '>', 1),
    )
    .orderBy('payer_account_no')
    .execute();
  const by = new Map<string, { bidders: Set<string>; lots: Set<string> }>();
  for (const r of rows) {
    const e = by.get(r.payer_account_no) ?? { bidders: new Set(), lots: new Set() };
    e.bidders.add(r.bidder_org_id);
    e.lots.add(r.lot_id);
    by.set(r.payer_account_no, e);
  }
  return [...by].map(([k, v]) => ({ payer_account_no: k, bidders: [...v.bidders].sort(), lots: [...v.lots].sort() }));
}
