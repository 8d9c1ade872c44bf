import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import { canSupervise } from '../../platform/auth/policies';
import { AppError } from '../../platform/http/errors';
import './expertdraw.tables';

/** Kysely only: the facts the draw needs, read inside the caller's transaction. */

export async function settings(db: DbOrTx) {
  return db.selectFrom('expert_draw_settings').selectAll().executeTakeFirstOrThrow();
}

export async function tenderLot(db: DbOrTx, tenderId: string, lotNo: number) {
  const row = await db
    .selectFrom('tender_lots as l')
    .innerJoin('tenders as t', 't.id', 'l.tender_id')
    .select(['t.id as tenderId', 't.title', 't.status as tenderStatus', 't.owner_org_id', 't.agency_org_id', 't.industry', 't.region_code', 't.procedure_type'])
    .select(['l.id as lotId', 'l.lot_no', 'l.name as lotName', 'l.bid_deadline', 'l.status as lotStatus'])
    .where('t.id', '=', tenderId)
    .where('l.lot_no', '=', lotNo)
    .executeTakeFirst();
  return row;
}

export async function tenderOf(db: DbOrTx, tenderId: string) {
  return db
    .selectFrom('tenders')
    .select(['id', 'title', 'owner_org_id', 'agency_org_id', 'industry', 'region_code'])
    .where('id', '=', tenderId)
    .executeTakeFirstOrThrow();
}

export async function lockRequest(trx: DbOrTx, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return trx.selectFrom('expert_draw_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function getRequest(db: DbOrTx, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db.selectFrom('expert_draw_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function membersOf(db: DbOrTx, requestId: string) {
  return db.selectFrom('expert_draw_members').selectAll().where('request_id', '=', requestId).orderBy('position').execute();
}

async function codesOfOrgs(db: DbOrTx, orgIds: (string | null)[]): Promise<string[]> {
  const ids = [...new Set(orgIds.filter((x): x is string => !!x))];
  if (!ids.length) return [];
  const rows = await db.selectFrom('organisations').select('uscc').where('id', 'in', ids).where('uscc', 'is not', null).execute();
  return rows.map((r) => r.uscc!.trim().toUpperCase());
}

export const tendererCodes = (db: DbOrTx, ownerOrgId: string, agencyOrgId: string | null) => codesOfOrgs(db, [ownerOrgId, agencyOrgId]);

/**
 * The 统一社会信用代码 of the lot's bidders — read here and used only for avoidance; never returned by any route.
 * Before the bid deadline nobody knows who will bid (and the list is secret, 招标投标法 第二十二条), so every
 * organisation that obtained the documents — the only ones that may bid — is avoided; after it, every organisation
 * with a bid on the lot that was not withdrawn.
 */
export async function bidderCodes(db: DbOrTx, tenderId: string, lotId: string, bidDeadline: Date, now: Date): Promise<string[]> {
  const bidders = db.selectFrom('bids').select('bidder_org_id as org').where('lot_id', '=', lotId).where('status', '<>', 'withdrawn');
  const orgs =
    now.getTime() < bidDeadline.getTime()
      ? await db.selectFrom('tender_obtains').select('org_id as org').where('tender_id', '=', tenderId).union(bidders).execute()
      : await bidders.execute();
  return codesOfOrgs(
    db,
    orgs.map((o) => o.org),
  );
}

/**
 * The supervising department of this tender: accounts with a regulator grant covering its industry and region
 * (条例 第四条). Their organisations' codes are avoided (an expert employed there is its staff — 条例 第四十六条),
 * and so are the accounts themselves (a regulator may also hold the expert role).
 */
export async function supervisorFacts(db: DbOrTx, industry: string, region: string): Promise<{ codes: string[]; accounts: string[] }> {
  const rows = await db
    .selectFrom('account_roles as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.account_id', 'r.role', 'r.industries', 'r.regions', 'a.org_id'])
    .where('r.role', '=', 'regulator')
    .execute();
  const hits = rows.filter((r) => canSupervise({ roles: [{ role: 'regulator', industries: r.industries, regions: r.regions }] }, { industry, region }));
  return { codes: await codesOfOrgs(db, hits.map((h) => h.org_id)), accounts: [...new Set(hits.map((h) => h.account_id))] };
}

/** Experts drawn for this tenderer at least `max` times since `since` (every draw counts, whatever the answer). */
export async function frequentExperts(db: DbOrTx, tendererOrgId: string, since: Date, max: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('expert_draw_members')
    .select('expert_id')
    .where('tenderer_org_id', '=', tendererOrgId)
    .where('drawn_at', '>=', since)
    .groupBy('expert_id')
    .having(sql`count(*)`, '>=', max)
    .execute();
  return new Set(rows.map((r) => r.expert_id));
}

export function notFound(): AppError {
  return new AppError('EXPERTDRAW_NOT_FOUND', 404, '专家抽取申请不存在', 'Expert draw request not found');
}
