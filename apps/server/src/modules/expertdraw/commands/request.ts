import { commitDraw } from '../../../platform/lottery/index';
import type { Actor } from '../../../platform/auth/actor';
import { regionPrefix } from '../../../platform/auth/policies';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { leafCodes } from '../../experts/index';
import * as repo from '../expertdraw.repo';
import { earliestDrawAt, normaliseQuotas } from '../expertdraw.rules';
import type { Quota } from '../expertdraw.tables';
import { SUBJECT_TYPE, subjectOf } from './draw';

export interface RequestInput {
  tenderId: string;
  lotNo: number;
  quotas: Quota[];
  /** GB/T 2260 codes the experts must serve. Default: the tender's region (local). */
  regions?: string[];
  /** 异地: the regions are elsewhere (none may lie in the tender's own city). */
  remote?: boolean;
  kinds?: ('works' | 'government_procurement' | 'other')[];
  evaluationAt: string;
  evaluationEndsAt?: string;
  confirmMinutes?: number;
}

const MAX_EXPERTS = 49;

/**
 * The tenderer (or its agency) asks for a lot's experts. The lottery seed is committed here, before anyone — the
 * platform included — has assembled the pool (ADR 0015 step 1); the draw itself runs from `earliestAt`.
 */
export async function requestDraw(trx: DbOrTx, actor: Actor, input: RequestInput, now: Date) {
  const lot = await repo.tenderLot(trx, input.tenderId, input.lotNo);
  const party = !!lot && !!actor.orgId && (lot.owner_org_id === actor.orgId || lot.agency_org_id === actor.orgId);
  if (!lot || !party) throw new AppError('EXPERTDRAW_LOT_NOT_FOUND', 404, '招标项目或标段不存在', 'Tender or lot not found', 'lotNo');
  if (lot.tenderStatus !== 'published') throw Errors.conflict('EXPERTDRAW_TENDER_NOT_PUBLISHED', '招标公告发布后方可申请抽取专家', 'The tender must be published first');
  if (['failed', 'awarded', 'contracted', 'terminated'].includes(lot.lotStatus))
    throw Errors.conflict('EXPERTDRAW_LOT_CLOSED', `标段状态为 ${lot.lotStatus}，不能申请抽取专家`, `The lot is ${lot.lotStatus}`);

  const quotas = normaliseQuotas(input.quotas);
  await leafCodes(trx, quotas.map((q) => q.code)); // unknown codes: 400 EXPERT_SPECIALTY_UNKNOWN
  const total = quotas.reduce((n, q) => n + q.count, 0);
  if (total < 1 || total > MAX_EXPERTS) throw Errors.validation('quotas', `专家人数须为 1–${MAX_EXPERTS}`, `Between 1 and ${MAX_EXPERTS} experts`);

  const remote = !!input.remote;
  const regions = [...new Set((input.regions?.length ? input.regions : remote ? [] : [lot.region_code]).map((r) => r.trim()))];
  if (!regions.length) throw Errors.validation('regions', '异地抽取须指定专家所在地区', 'A remote draw must name the regions to draw from');
  const city = regionPrefix(lot.region_code).slice(0, 4);
  if (remote && regions.some((r) => r.startsWith(city) || city.startsWith(regionPrefix(r))))
    throw Errors.validation('regions', '异地抽取的地区不能包含项目所在地', "A remote draw's regions must lie outside the tender's city");
  const kinds = input.kinds?.length ? [...new Set(input.kinds)] : [lot.procedure_type.startsWith('gp_') ? 'government_procurement' : 'works'];

  const evaluationAt = new Date(input.evaluationAt);
  const evaluationEndsAt = input.evaluationEndsAt ? new Date(input.evaluationEndsAt) : new Date(evaluationAt.getTime() + 8 * 3_600_000);
  if (evaluationAt.getTime() <= now.getTime()) throw Errors.validation('evaluationAt', '评标时间须晚于现在', 'The evaluation must be in the future');
  if (evaluationEndsAt.getTime() <= evaluationAt.getTime()) throw Errors.validation('evaluationEndsAt', '评标结束须晚于开始', 'The evaluation must end after it starts');
  const s = await repo.settings(trx);
  const confirmMinutes = input.confirmMinutes ?? s.confirm_minutes;
  const earliestAt = earliestDrawAt(evaluationAt, s.days_before);

  const existing = await trx.selectFrom('expert_draw_requests').select('id').where('lot_id', '=', lot.lotId).executeTakeFirst();
  if (existing) throw new AppError('EXPERTDRAW_EXISTS', 409, '该标段已申请抽取专家', 'Experts have already been requested for this lot', 'lotNo', { requestId: existing.id });

  // actorId null: the lottery treats its requester as a custodian of the names, which the tenderer must not be.
  const commit = await commitDraw(trx, { purpose: 'expert_selection', subject: subjectOf({ tender_id: lot.tenderId, lot_no: lot.lot_no }), secret: true, revealAfter: null, replaces: null, actorId: null }, now);
  const row = await trx
    .insertInto('expert_draw_requests')
    .values({
      tender_id: lot.tenderId,
      lot_id: lot.lotId,
      lot_no: lot.lot_no,
      tenderer_org_id: lot.owner_org_id,
      requested_by: actor.accountId,
      requester_org_id: actor.orgId!,
      quotas: JSON.stringify(quotas),
      regions,
      remote,
      kinds,
      evaluation_at: evaluationAt,
      evaluation_ends_at: evaluationEndsAt,
      earliest_at: earliestAt,
      confirm_minutes: confirmMinutes,
      status: 'committed',
      first_draw_id: commit.id,
      latest_draw_id: commit.id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const payload = {
    requestId: row.id,
    tenderId: lot.tenderId,
    lotId: lot.lotId,
    lotNo: lot.lot_no,
    quotas,
    regions,
    remote,
    kinds,
    evaluationAt: evaluationAt.toISOString(),
    earliestAt: earliestAt.toISOString(),
    drawId: commit.id,
    commitment: commit.commitment,
  };
  await recordLedger(trx, { type: 'expertdraw.requested', subjectType: SUBJECT_TYPE, subjectId: row.id, actorId: actor.accountId, payload }, now);
  await emitEvent(trx, { type: 'expertdraw.requested', payload: { requestId: row.id, tenderId: lot.tenderId, lotId: lot.lotId, drawId: commit.id } }, now);
  return row.id;
}
