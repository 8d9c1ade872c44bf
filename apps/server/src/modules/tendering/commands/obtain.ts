import type { Actor } from '../../../platform/auth/actor';
import type { Db } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { getObtain, isInvited, type TenderRow } from '../tendering.repo';
import { tenderNotFound } from '../tendering.policy';
import type { ProcedurePolicy } from '../policies/types';
import { assertBiddingLive, loadTender } from './shared';

/**
 * Whether a bidder's organisation may see (and so obtain) a published tender: open procedures — any bidder; invitational —
 * only the invited. The tender's own parties never bid on it (条例 34). Everyone else: 404, as for an unknown id.
 */
export async function assertBidderMayTakePart(
  db: Db | Parameters<typeof getObtain>[0],
  actor: Actor,
  t: TenderRow,
  policy: ProcedurePolicy,
): Promise<void> {
  if (t.status !== 'published' || !actor.orgId) throw tenderNotFound();
  if (actor.orgId === t.owner_org_id || actor.orgId === t.agency_org_id) {
    throw new AppError(
      'TENDER_OWN_TENDER',
      403,
      '招标人及其代理机构不得获取本项目招标文件参与投标（招标投标法实施条例第三十四条）',
      'The tenderer and its agency may not take part in their own tender',
    );
  }
  if (policy.invitational && !(await isInvited(db, t.id, actor.orgId))) throw tenderNotFound();
}

/**
 * A bidder obtains the documents online (DOMAIN §4 step 3). Recorded once per organisation (a repeat returns the
 * first record). The ledger entry's subject is the obtain row's random id, not the tender, and no outbox event is
 * emitted: a ledger reader (staff see types and subjects) must not be able to count obtainers per tender before the
 * deadline (招标投标法 第二十二条). The payload, never shown by any API, keeps the facts for later audit.
 */
export async function obtainDocuments(db: Db, actor: Actor, id: string, now: Date): Promise<{ obtainedAt: Date; first: boolean }> {
  return db.transaction().execute(async (trx) => {
    const { tender, lots, policy } = await loadTender(trx, id, false);
    await assertBidderMayTakePart(trx, actor, tender, policy);
    const existing = await getObtain(trx, id, actor.orgId!);
    if (existing) return { obtainedAt: existing.obtained_at, first: false };
    assertBiddingLive(lots, now, { zh: '获取招标文件', en: 'obtain the documents' });
    const row = await trx
      .insertInto('tender_obtains')
      .values({ tender_id: id, org_id: actor.orgId!, account_id: actor.accountId, obtained_at: now })
      .onConflict((oc) => oc.columns(['tender_id', 'org_id']).doNothing())
      .returning(['id', 'obtained_at'])
      .executeTakeFirst();
    if (!row) return { obtainedAt: (await getObtain(trx, id, actor.orgId!))!.obtained_at, first: false };
    await recordLedger(
      trx,
      {
        type: 'tender.documents_obtained',
        subjectType: 'tender_obtain',
        subjectId: row.id,
        actorId: actor.accountId,
        payload: { tenderId: id, orgId: actor.orgId, obtainedAt: now.toISOString() },
      },
      now,
    );
    return { obtainedAt: row.obtained_at, first: true };
  });
}
