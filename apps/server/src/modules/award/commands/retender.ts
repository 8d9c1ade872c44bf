import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import { Errors } from '../../../platform/http/errors';
import { createTender, getLots } from '../../tendering/index';
import { getRetender } from '../award.repo';
import { assertOperates } from '../award.policy';
import { assertStatus, loadLot, record } from './shared';

export interface RetenderInput {
  procedureType?: string;
  title?: string;
  noticeHtml?: string;
  plannedPublishAt?: string;
  depositFen: number;
  bidDeadline: string;
  documentIds: string[];
  escrow: { k: number; custodianAccountIds: string[] };
  invitedOrgIds?: string[];
}

/**
 * 重新招标 (条例 44, 55; 采购法 36) of a failed or terminated lot: a new draft tender for the same project lot through
 * the tendering module's `createTender` (its own checks: procedure allowed, deposit cap, deadline, custodians), then
 * the link `retender_of` in a second transaction. createTender opens its own transaction, so the two are not atomic:
 * a failure between them leaves an unlinked draft tender, which its author can see and delete/retry.
 */
export async function retender(
  ctx: AppContext,
  actor: Actor,
  lotId: string,
  body: RetenderInput,
): Promise<{ tenderId: string; lotId: string }> {
  const check = async () =>
    ctx.db.transaction().execute(async (trx) => {
      const l = await loadLot(trx, lotId);
      assertOperates(actor, l.tender);
      assertStatus(l.lot, ['failed', 'terminated'], { zh: '重新招标', en: 're-tender' });
      if (await getRetender(trx, lotId))
        throw Errors.conflict('AWARD_ALREADY_RETENDERED', '该标段已重新招标', 'This lot has already been re-tendered', 'lotId');
      return l;
    });
  const { tender, lot } = await check();
  const now = ctx.clock.now();
  const newTenderId = await createTender(
    ctx.db,
    actor,
    {
      projectId: tender.project_id,
      procedureType: body.procedureType ?? tender.procedure_type,
      title: body.title ?? `${tender.title}（重新招标）`,
      noticeHtml: body.noticeHtml,
      plannedPublishAt: body.plannedPublishAt,
      lots: [{ lotNo: lot.lot_no, depositFen: body.depositFen, bidDeadline: body.bidDeadline }],
      documentIds: body.documentIds,
      escrow: body.escrow,
      invitedOrgIds: body.invitedOrgIds,
    },
    now,
  );
  return ctx.db.transaction().execute(async (trx) => {
    const l = await loadLot(trx, lotId);
    if (await getRetender(trx, lotId))
      throw Errors.conflict('AWARD_ALREADY_RETENDERED', '该标段已重新招标', 'This lot has already been re-tendered', 'lotId');
    const newLot = (await getLots(trx, newTenderId))[0]!;
    await trx
      .insertInto('award_retenders')
      .values({ retender_of: lotId, new_tender_id: newTenderId, new_lot_id: newLot.id, created_at: now, created_by: actor.accountId })
      .execute();
    await record(trx, actor.accountId, l.tender, l.lot, 'award.retendered', { newTenderId, newLotId: newLot.id }, now);
    return { tenderId: newTenderId, lotId: newLot.id };
  });
}
