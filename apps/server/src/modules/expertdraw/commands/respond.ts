import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { cancelJob } from '../../../platform/chronograph/jobs';
import { revealDraw } from '../../../platform/lottery/index';
import * as repo from '../expertdraw.repo';
import { isComplete } from '../expertdraw.rules';
import type { MemberStatus } from '../expertdraw.tables';
import { fillVacancies, quotasOf, RESPOND_JOB, SUBJECT_TYPE } from './draw';
import { seatFromDraw } from './seat';

/**
 * What a drawn expert does — confirm, decline, check in (declaring a conflict or not) — and what the chronograph
 * does when an answer is overdue. Each voided seat is filled at once by a replacement draw (补抽).
 */

async function lockMember(trx: DbOrTx, memberId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(memberId)) return undefined;
  const m = await trx.selectFrom('expert_draw_members').select(['id', 'request_id']).where('id', '=', memberId).executeTakeFirst();
  if (!m) return undefined;
  // Lock order: request, then member (every command of a request serialises on the request row).
  const req = (await repo.lockRequest(trx, m.request_id))!;
  const member = await trx.selectFrom('expert_draw_members').selectAll().where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow();
  return { req, member };
}

const notFound = () => new AppError('EXPERTDRAW_INVITATION_NOT_FOUND', 404, '抽取通知不存在', 'Invitation not found');

/** The expert's own invitation, or 404 (another expert's invitation does not exist for this one). */
async function ownMember(trx: DbOrTx, actor: Actor, memberId: string) {
  const found = await lockMember(trx, memberId);
  if (!found || found.member.account_id !== actor.accountId) throw notFound();
  return found;
}

async function settle(trx: DbOrTx, req: Awaited<ReturnType<typeof repo.lockRequest>> & {}, actorId: string | null, now: Date) {
  const members = await repo.membersOf(trx, req.id);
  if (req.status === 'drawing' && isComplete(quotasOf(req), members)) {
    await trx.updateTable('expert_draw_requests').set({ status: 'complete', completed_at: now }).where('id', '=', req.id).execute();
    const payload = { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id, confirmed: members.filter((m) => m.status === 'confirmed').length };
    await recordLedger(trx, { type: 'expertdraw.completed', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload }, now);
    await emitEvent(trx, { type: 'expertdraw.completed', payload }, now);
    await seatFromDraw(trx, req, actorId, now);
  }
}

async function answer(trx: DbOrTx, actor: Actor, memberId: string, to: 'confirmed' | 'declined', reason: string | null, now: Date) {
  const { req, member } = await ownMember(trx, actor, memberId);
  if (member.status !== 'invited')
    throw Errors.conflict('EXPERTDRAW_ALREADY_ANSWERED', `已处理（${member.status}），不能再次答复`, `Already answered (${member.status})`);
  if (now.getTime() >= member.respond_by.getTime()) throw Errors.conflict('EXPERTDRAW_ANSWER_LATE', '已超过答复期限，视为拒绝', 'The answer deadline has passed; it counts as a decline');
  await trx.updateTable('expert_draw_members').set({ status: to, responded_at: now, void_reason: to === 'declined' ? reason : null }).where('id', '=', member.id).execute();
  await cancelJob(trx, RESPOND_JOB, member.id, now);
  // Ledger: the seat and its answer, not who holds it (the committee is secret until the result is published).
  await recordLedger(
    trx,
    { type: `expertdraw.${to}`, subjectType: SUBJECT_TYPE, subjectId: req.id, actorId: actor.accountId, payload: { requestId: req.id, position: member.position, specialty: member.specialty } },
    now,
  );
  if (to === 'declined') await fillVacancies(trx, req, `第${member.position}位专家拒绝参加`, actor.accountId, now);
  else await settle(trx, req, actor.accountId, now);
  return member.id;
}

export const confirm = (trx: DbOrTx, actor: Actor, memberId: string, now: Date) => answer(trx, actor, memberId, 'confirmed', null, now);
export const decline = (trx: DbOrTx, actor: Actor, memberId: string, reason: string, now: Date) => answer(trx, actor, memberId, 'declined', reason, now);

/**
 * Check-in on the evaluation day. Declaring a conflict (招标投标法 第三十七条: "已经进入的应当更换") voids the seat and
 * draws a replacement at once; the committee is incomplete again until the replacement confirms.
 */
export async function checkIn(trx: DbOrTx, actor: Actor, memberId: string, conflict: { reason: string } | null, now: Date) {
  const { req, member } = await ownMember(trx, actor, memberId);
  if (member.status !== 'confirmed') throw Errors.conflict('EXPERTDRAW_NOT_CONFIRMED', '只有已确认参加的专家可以签到', 'Only a confirmed expert can check in');
  if (member.checked_in_at) throw Errors.conflict('EXPERTDRAW_CHECKED_IN', '已签到', 'Already checked in');
  if (now.getTime() >= req.evaluation_ends_at.getTime()) throw Errors.conflict('EXPERTDRAW_EVALUATION_OVER', '评标已结束', 'The evaluation is over');
  if (!conflict) {
    await trx.updateTable('expert_draw_members').set({ checked_in_at: now }).where('id', '=', member.id).execute();
    await recordLedger(trx, { type: 'expertdraw.checked_in', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId: actor.accountId, payload: { requestId: req.id, position: member.position } }, now);
    return { voided: false, replacement: null };
  }
  await voidMember(trx, req, member.id, 'voided', `签到时申报回避：${conflict.reason}`, actor.accountId, now);
  if (req.status === 'complete') await trx.updateTable('expert_draw_requests').set({ status: 'drawing', completed_at: null }).where('id', '=', req.id).execute();
  const replacement = await fillVacancies(trx, { ...req, status: 'drawing' }, `第${member.position}位专家签到时申报回避`, actor.accountId, now);
  return { voided: true, replacement };
}

async function voidMember(trx: DbOrTx, req: { id: string }, memberId: string, status: MemberStatus, reason: string, actorId: string | null, now: Date) {
  const m = await trx.updateTable('expert_draw_members').set({ status, void_reason: reason, responded_at: now }).where('id', '=', memberId).returning(['position', 'specialty']).executeTakeFirstOrThrow();
  await recordLedger(trx, { type: `expertdraw.${status}`, subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload: { requestId: req.id, position: m.position, specialty: m.specialty } }, now);
}

/** Chronograph: no answer by the deadline counts as a decline; the seat is filled by a replacement. */
export async function expire(trx: DbOrTx, memberId: string, now: Date) {
  const found = await lockMember(trx, memberId);
  if (!found) return;
  const { req, member } = found;
  if (member.status !== 'invited' || now.getTime() < member.respond_by.getTime()) return;
  await voidMember(trx, req, member.id, 'expired', '逾期未答复', null, now);
  if (req.status === 'published') return;
  await fillVacancies(trx, req, `第${member.position}位专家逾期未答复`, null, now);
}

/** Center staff: retry the replacement after a shortage (conditions may have changed: leave ended, experts added). */
export async function retryVacancies(trx: DbOrTx, actor: Actor, requestId: string, now: Date) {
  const req = await repo.lockRequest(trx, requestId);
  if (!req) throw repo.notFound();
  if (req.status !== 'drawing') throw Errors.conflict('EXPERTDRAW_NOTHING_TO_FILL', '没有待补抽的席位', 'No vacant seats to fill');
  const r = await fillVacancies(trx, req, '交易中心重新补抽', actor.accountId, now);
  if (!r) throw Errors.conflict('EXPERTDRAW_NOTHING_TO_FILL', '没有待补抽的席位', 'No vacant seats to fill');
  return r;
}

/** Center staff: seat the committee again after a failed attempt (seat_error), e.g. once a representative is nominated. */
export async function retrySeating(trx: DbOrTx, actor: Actor, requestId: string, now: Date) {
  const req = await repo.lockRequest(trx, requestId);
  if (!req) throw repo.notFound();
  if (req.status !== 'complete' || !req.seat_error) throw Errors.conflict('EXPERTDRAW_NOTHING_TO_SEAT', '没有待组建的评标委员会', 'There is no committee waiting to be seated');
  const r = await seatFromDraw(trx, req, actor.accountId, now);
  // Still failing: answer with the reason (the transaction rolls back; the stored reason stays as it was).
  if (!r.seated) throw new AppError(r.code, 409, r.zh, r.en);
  return r;
}

/**
 * Publication: DOMAIN §7 and 招标投标法 第三十七条 ("评标委员会成员的名单在中标结果确定前应当保密") — the names
 * stay secret until the award (中标结果) is made. Then every draw of the lot's chain is revealed (seed public, the
 * records verifiable by anyone) and the parties may read the names.
 */
export async function publish(trx: DbOrTx, lotId: string, now: Date) {
  const row = await trx.selectFrom('expert_draw_requests').select('id').where('lot_id', '=', lotId).executeTakeFirst();
  if (!row) return false;
  const req = (await repo.lockRequest(trx, row.id))!;
  if (req.status === 'published' || req.status === 'committed') return false;
  const draws = await trx.selectFrom('lottery_draws').select(['id', 'status']).where('subject', '=', `tender:${req.tender_id}/lot:${req.lot_no}/experts`).orderBy('commit_seq').execute();
  for (const d of draws) if (d.status === 'executed') await revealDraw(trx, d.id, now, null);
  await trx.updateTable('expert_draw_requests').set({ status: 'published', published_at: now }).where('id', '=', req.id).execute();
  const members = await repo.membersOf(trx, req.id);
  for (const m of members) if (m.status === 'invited') await cancelJob(trx, RESPOND_JOB, m.id, now);
  const payload = { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id, draws: draws.map((d) => d.id) };
  await recordLedger(trx, { type: 'expertdraw.published', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId: null, payload }, now);
  await emitEvent(trx, { type: 'expertdraw.published', payload }, now);
  return true;
}
