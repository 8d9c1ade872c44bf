import { commitDraw, executeDraw, type DrawResult } from '../../../platform/lottery/index';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { notify } from '../../../platform/notify/notify';
import type { Channel } from '../../../platform/notify/adapters';
import { scheduleJob } from '../../../platform/chronograph/jobs';
import { drawCandidates } from '../../experts/index';
import * as repo from '../expertdraw.repo';
import { applyAvoidance, REASON_DETAIL, REASONS, respondBy, shortages, vacancies, type Exclusion, type Shortage } from '../expertdraw.rules';
import type { Quota } from '../expertdraw.tables';

/**
 * Building the pool and drawing (docs/adr/0019-expert-draw.md). The first draw executes the commitment made at the
 * request; every replacement (补抽) is a new lottery draw that names the previous one (`replaces`), so each stands
 * in the ledger and none silently replaces another (ADR 0015).
 */

export const RESPOND_JOB = 'expertdraw.respond_by';
export const SUBJECT_TYPE = 'expert_draw';
type Request = NonNullable<Awaited<ReturnType<typeof repo.getRequest>>>;

export const quotasOf = (r: Request) => r.quotas as Quota[];

export function shortageError(list: Shortage[]): AppError {
  const zh = list.map((s) => `${s.specialty === '*' ? '合计' : s.specialty} 需 ${s.needed} 人、可抽 ${s.available} 人`).join('；');
  const en = list.map((s) => `${s.specialty === '*' ? 'in total' : s.specialty}: ${s.needed} needed, ${s.available} available`).join('; ');
  return new AppError('EXPERTDRAW_SHORTAGE', 422, `符合条件的专家不足，未抽取：${zh}`, `Too few eligible experts; nothing was drawn — ${en}`, 'quotas', { shortages: list });
}

/**
 * The pool for a draw of this request: eligible experts (registry: active, specialty, region, kind, not on leave,
 * not barred during the evaluation) minus those avoided here, plus the exclusions to publish with reason codes.
 */
export async function buildPool(trx: DbOrTx, req: Request, now: Date, alreadyDrawn: string[]) {
  const tender = await repo.tenderOf(trx, req.tender_id);
  const lot = await trx.selectFrom('tender_lots').select(['bid_deadline']).where('id', '=', req.lot_id).executeTakeFirstOrThrow();
  const quotas = quotasOf(req);
  const at = { from: req.evaluation_at, to: req.evaluation_ends_at };
  // One statement gives the eligible experts and those on leave or barred (ADR 0019 § performance).
  const [{ eligible, blocked }, bidders, tenderer, supervisors, s] = await Promise.all([
    drawCandidates(trx, { specialties: quotas.map((q) => q.code), regions: req.regions, kinds: req.kinds as never, at, excludeExpertIds: alreadyDrawn }),
    repo.bidderCodes(trx, req.tender_id, req.lot_id, lot.bid_deadline, now),
    repo.tendererCodes(trx, tender.owner_org_id, tender.agency_org_id),
    repo.supervisorFacts(trx, tender.industry, tender.region_code),
    repo.settings(trx),
  ]);
  const frequent = await repo.frequentExperts(trx, req.tenderer_org_id, new Date(now.getTime() - s.frequency_days * 86_400_000), s.max_per_tenderer);
  const { pool, excluded } = applyAvoidance(eligible, {
    bidderCodes: new Set(bidders),
    tendererCodes: new Set(tenderer),
    supervisorCodes: new Set(supervisors.codes),
    supervisorAccounts: new Set(supervisors.accounts),
    frequent,
  });
  const exclusions: Exclusion[] = [
    ...excluded,
    ...blocked.map((b) => ({ id: b.id, reason: b.reason, detail: REASON_DETAIL[b.reason] })),
    ...alreadyDrawn.map((id) => ({ id, reason: REASONS.alreadyDrawn, detail: REASON_DETAIL.already_drawn })),
  ];
  return { pool, exclusions };
}

function countByReason(ex: Exclusion[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of ex) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

async function runLottery(trx: DbOrTx, drawId: string, strata: Quota[], pool: Awaited<ReturnType<typeof buildPool>>, actorId: string | null, now: Date): Promise<DrawResult> {
  try {
    return await executeDraw(
      trx,
      drawId,
      {
        candidates: pool.pool.map((c) => ({ id: c.expertId, groups: c.groups })),
        strata: strata.map((q) => ({ group: q.code, count: q.count })),
        exclusions: pool.exclusions,
        actorId,
      },
      now,
    );
  } catch (e) {
    // Overlapping specialties can pass the count check and still run dry in a later stratum: same answer, and the
    // caller's transaction rolls back, so nothing is drawn.
    if (e instanceof AppError && e.code === 'LOTTERY_STRATUM_TOO_SMALL') {
      const d = e.details as { group: string; needed: number; available: number };
      throw shortageError([{ specialty: d.group, needed: d.needed, available: d.available }]);
    }
    throw e;
  }
}

/** Insert the drawn experts as invited, tell each of them (inbox + SMS), and schedule their answer deadline. */
async function invite(trx: DbOrTx, req: Request, result: DrawResult, pool: Awaited<ReturnType<typeof buildPool>>, now: Date): Promise<void> {
  const accountOf = new Map(pool.pool.map((c) => [c.expertId, c.accountId]));
  const last = await trx.selectFrom('expert_draw_members').select((eb) => eb.fn.max('position').as('p')).where('request_id', '=', req.id).executeTakeFirst();
  let position = Number(last?.p ?? 0);
  const due = respondBy(now, req.confirm_minutes, req.evaluation_at);
  const rows = await trx
    .insertInto('expert_draw_members')
    .values(
      result.selected.map((s) => ({
        request_id: req.id,
        draw_id: result.drawId,
        position: ++position,
        expert_id: s.id,
        account_id: accountOf.get(s.id)!,
        specialty: s.group,
        tenderer_org_id: req.tenderer_org_id,
        status: 'invited' as const,
        drawn_at: now,
        respond_by: due,
      })),
    )
    .returning(['id', 'account_id'])
    .execute();
  // Channels: the policy's (SMS, or voice calls where the local rule phones every drawn expert) plus a call for an
  // expert who asked for one (ADR 0019 § notification).
  const policy = (await repo.settings(trx)).invite_channels as Channel[];
  const voice = new Set(
    (await trx.selectFrom('experts').select('account_id').where('account_id', 'in', rows.map((m) => m.account_id)).where('invite_by_voice', '=', true).execute()).map((e) => e.account_id),
  );
  const when = new Date(req.evaluation_at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  const by = new Date(due.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  for (const m of rows) {
    // The project is not named before the expert confirms: time, place and the deadline only (policy 001: 语音通知).
    await notify(
      trx,
      {
        accountIds: [m.account_id],
        kind: 'expertdraw.invited',
        title: { zh: '评标专家抽取通知', en: 'You have been drawn as an evaluation expert' },
        body: {
          zh: `您被随机抽取参加 ${when}（北京时间）开始的评标，请于 ${by} 前登录平台确认或拒绝，逾期视为拒绝。`,
          en: `You were drawn for an evaluation starting ${when} (Beijing time). Confirm or decline on the platform by ${by}; no answer counts as a decline.`,
        },
        link: `/expert/draws/${m.id}`,
        channels: voice.has(m.account_id) && !policy.includes('voice') ? [...policy, 'voice'] : policy,
      },
      now,
    );
    await scheduleJob(trx, { kind: RESPOND_JOB, subjectId: m.id, dueAt: due }, now);
  }
}

/** The first draw: executes the commitment made at the request. Refused too early, too late, or when short. */
export async function executeFirst(trx: DbOrTx, req: Request, actorId: string, now: Date) {
  if (req.status !== 'committed') throw new AppError('EXPERTDRAW_ALREADY_DRAWN', 409, '该标段的专家已抽取；补抽由系统或交易中心发起', 'The experts of this lot have been drawn; replacements are separate draws');
  if (now.getTime() < req.earliest_at.getTime())
    throw new AppError('EXPERTDRAW_TOO_EARLY', 409, '未到可抽取时间（评标当日或前一日起）', 'Too early: the draw may run from the day before the evaluation', 'earliestAt', { earliestAt: req.earliest_at.toISOString() });
  if (now.getTime() >= req.evaluation_at.getTime()) throw new AppError('EXPERTDRAW_TOO_LATE', 409, '评标已开始，不能再首次抽取', 'The evaluation has started', 'evaluationAt');
  const quotas = quotasOf(req);
  const pool = await buildPool(trx, req, now, []);
  const short = shortages(pool.pool, quotas);
  if (short.length) throw shortageError(short);
  const result = await runLottery(trx, req.first_draw_id, quotas, pool, actorId, now);
  await invite(trx, req, result, pool, now);
  await trx.updateTable('expert_draw_requests').set({ status: 'drawing', executed_at: now, executed_by: actorId }).where('id', '=', req.id).execute();
  const payload = {
    requestId: req.id,
    tenderId: req.tender_id,
    lotId: req.lot_id,
    drawId: result.drawId,
    drawn: result.selected.length,
    poolSize: pool.pool.length,
    exclusions: countByReason(pool.exclusions),
  };
  await recordLedger(trx, { type: 'expertdraw.executed', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload }, now);
  await emitEvent(trx, { type: 'expertdraw.executed', payload: { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id, drawId: result.drawId } }, now);
  return result;
}

/**
 * 补抽: fill every vacant seat with a new lottery draw that follows the latest one of this lot's chain, from a pool
 * that excludes everyone already drawn for the committee. When the pool is too short, nothing is drawn and the
 * request records why (the center may retry once conditions change); the caller's own change (a decline) stands.
 */
export async function fillVacancies(
  trx: DbOrTx,
  req: Request,
  reason: string,
  actorId: string | null,
  now: Date,
): Promise<{ drawId: string; drawn: number } | { shortages: Shortage[] } | null> {
  const members = await repo.membersOf(trx, req.id);
  const vac = vacancies(quotasOf(req), members);
  if (!vac.length) return null;
  const pool = await buildPool(
    trx,
    req,
    now,
    members.map((m) => m.expert_id),
  );
  const short = shortages(pool.pool, vac);
  if (short.length) {
    await trx.updateTable('expert_draw_requests').set({ vacancy_reason: shortageError(short).zh, status: 'drawing' }).where('id', '=', req.id).execute();
    await recordLedger(trx, { type: 'expertdraw.replacement_short', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload: { requestId: req.id, shortages: short } }, now);
    await emitEvent(trx, { type: 'expertdraw.replacement_short', payload: { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id } }, now);
    return { shortages: short };
  }
  // The commitment is ledgered before the execution in the same transaction (ADR 0019 on what that proves).
  // actorId null: the lottery's "requester" is a custodian of the names, and neither an expert who declined nor the
  // tenderer may be one.
  const commit = await commitDraw(
    trx,
    { purpose: 'expert_selection', subject: subjectOf(req), secret: true, revealAfter: null, replaces: { drawId: req.latest_draw_id, reason }, actorId: null },
    now,
  );
  const result = await runLottery(trx, commit.id, vac, pool, actorId, now);
  await invite(trx, req, result, pool, now);
  await trx.updateTable('expert_draw_requests').set({ latest_draw_id: commit.id, vacancy_reason: null, status: 'drawing' }).where('id', '=', req.id).execute();
  const payload = { requestId: req.id, drawId: commit.id, replaces: req.latest_draw_id, reason, drawn: result.selected.length, poolSize: pool.pool.length, exclusions: countByReason(pool.exclusions) };
  await recordLedger(trx, { type: 'expertdraw.replaced', subjectType: SUBJECT_TYPE, subjectId: req.id, actorId, payload }, now);
  await emitEvent(trx, { type: 'expertdraw.replaced', payload: { requestId: req.id, tenderId: req.tender_id, lotId: req.lot_id, drawId: commit.id } }, now);
  return { drawId: commit.id, drawn: result.selected.length };
}

export const subjectOf = (r: { tender_id: string; lot_no: number }) => `tender:${r.tender_id}/lot:${r.lot_no}/experts`;
