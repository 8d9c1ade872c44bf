import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { commitDraw, executeDraw } from '../../../platform/lottery/index';
import { engine, isTenderParty, type ProcedurePolicy } from '../../tendering/index';
import { committeeOf, evalErrors, loadLot } from '../evaluation.repo';
import { seatLabel, seatOf } from '../evaluation.rules';
import { record } from './shared';

const SEATABLE = ['bidding', 'opening', 'negotiating', 'evaluation'];

function noCommitteeRule(policy: ProcedurePolicy) {
  if (!policy.committee)
    return new AppError('EVAL_NO_COMMITTEE_RULE', 409, '该采购方式不组建评审委员会（如单一来源采购）', 'This procedure has no evaluation committee (e.g. single source)');
  return null;
}

/** What the expert draw needs to know: the policy's committee rules and the representatives already nominated. */
export async function committeePlan(db: DbOrTx, lotId: string) {
  const { policy } = await loadLot(db, lotId);
  const reps = await db.selectFrom('eval_nominations').select('account_id').where('lot_id', '=', lotId).execute();
  return { rules: policy.committee, representatives: reps.map((r) => r.account_id) };
}

/**
 * The tenderer (or its agency) nominates a representative of the tenderer for the committee, before it is seated.
 * 招标投标法 第三十七条 / 87号令 第四十七条 let the committee include 招标人/采购人代表; the representative must be an
 * account of the tenderer organisation itself — the agency's staff may not sit on committees of projects their agency
 * runs (87号令：采购代理机构工作人员不得参加由本机构代理的政府采购项目的评标). The experts-share rule is checked when the committee is seated.
 */
export async function nominateRepresentative(ctx: AppContext, actor: Actor, lotId: string, accountId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { tender, lot, policy } = await loadLot(trx, lotId, true);
    if (!isTenderParty(actor, { ownerOrgId: tender.owner_org_id, agencyOrgId: tender.agency_org_id })) throw evalErrors.lotNotFound();
    const rule = noCommitteeRule(policy);
    if (rule) throw rule;
    if (await committeeOf(trx, lotId)) throw Errors.conflict('EVAL_COMMITTEE_SEATED', '评标委员会已组建，不能再增加代表', 'The committee is already seated', 'accountId');
    if (!SEATABLE.includes(lot.status)) throw evalErrors.stage(lot.status, '提名代表', 'nominate a representative');
    const acc = await trx.selectFrom('accounts').select(['id', 'org_id']).where('id', '=', accountId).executeTakeFirst();
    const role = acc && (await trx.selectFrom('account_roles').select('role').where('account_id', '=', accountId).where('role', '=', 'tenderer').executeTakeFirst());
    if (!acc || acc.org_id !== tender.owner_org_id || !role)
      throw Errors.validation('accountId', '招标人代表须为招标人单位的账号', 'A representative must be an account of the tenderer organisation', 'EVAL_REPRESENTATIVE_INVALID');
    await trx.insertInto('eval_nominations').values({ lot_id: lotId, account_id: accountId, nominated_by: actor.accountId, nominated_at: now }).onConflict((oc) => oc.doNothing()).execute();
  });
}

export interface SeatInput {
  lotId: string;
  /** The drawn experts who confirmed (the expert draw calls this). Nominated representatives are added here. */
  members: { expertId: string; accountId: string }[];
  now: Date;
  actorId?: string | null;
}

/**
 * Seat the committee of a lot (called by the expert draw when the drawn experts have confirmed, in its transaction):
 * checks the composition against the procedure's policy — 5 or more (3 for 竞争性谈判/磋商/询价 panels), an odd number,
 * experts at least two thirds (招标投标法 第三十七条; 87号令 第四十七条; 采购法 第三十八条、第四十条) — and assigns seats by a
 * seat_assignment draw of the verifiable lottery (ADR 0015), kept secret (membership is secret until the result,
 * revealed at the hand-off). The lowest-seated expert chairs (a tenderer representative never does).
 */
export async function seatCommittee(trx: DbOrTx, input: SeatInput): Promise<{ committeeId: string; seats: { accountId: string; seat: number; chair: boolean }[]; drawId: string }> {
  const { tender, lot, policy } = await loadLot(trx, input.lotId, true);
  const rule = noCommitteeRule(policy);
  if (rule) throw rule;
  if (!SEATABLE.includes(lot.status)) throw evalErrors.stage(lot.status, '组建评标委员会', 'seat the committee');
  if (await committeeOf(trx, lot.id)) throw Errors.conflict('EVAL_COMMITTEE_SEATED', '该标段的评标委员会已组建', 'This lot’s committee is already seated');
  const reps = (await trx.selectFrom('eval_nominations').select('account_id').where('lot_id', '=', lot.id).execute()).map((r) => r.account_id);
  const accounts = new Set<string>();
  for (const m of input.members) {
    const e = await trx.selectFrom('experts').select(['id', 'account_id', 'status']).where('id', '=', m.expertId).executeTakeFirst();
    if (!e || e.account_id !== m.accountId || e.status !== 'active')
      throw Errors.validation('members', `专家 ${m.expertId} 不在库或不可用`, `Expert ${m.expertId} is not an active expert of that account`, 'EVAL_MEMBER_INVALID');
    if (accounts.has(m.accountId) || reps.includes(m.accountId))
      throw Errors.validation('members', '同一人不能重复进入评标委员会', 'A person cannot sit twice on the committee', 'EVAL_MEMBER_DUPLICATE');
    accounts.add(m.accountId);
  }
  const size = input.members.length + reps.length;
  const problems = engine.committeeProblems(policy, size, input.members.length);
  if (problems.length) {
    const c = policy.committee!;
    throw new AppError(
      'EVAL_COMMITTEE_COMPOSITION',
      422,
      `评标委员会组成不符合规定（${c.basis}：${c.minSize}人以上单数，专家不少于成员总数的${c.expertShare.num}/${c.expertShare.den}）`,
      `The committee breaks the rules (${c.basis}: at least ${c.minSize}, odd, experts ≥ ${c.expertShare.num}/${c.expertShare.den})`,
      'members',
      { problems, size, experts: input.members.length },
    );
  }
  const draw = await commitDraw(trx, { purpose: 'seat_assignment', subject: `evaluation:lot:${lot.id}/seats`, secret: true, revealAfter: null, actorId: input.actorId ?? null }, input.now);
  const people = [...input.members.map((m) => m.accountId), ...reps];
  const result = await executeDraw(
    trx,
    draw.id,
    {
      candidates: Array.from({ length: size }, (_, k) => ({ id: seatLabel(k + 1), groups: [] })),
      strata: [{ group: '*', count: size }],
      assignTo: people,
      actorId: input.actorId ?? null,
    },
    input.now,
  );
  const seatOfAccount = new Map(result.assignments!.map((a) => [a.to, seatOf(a.id)]));
  const expertIds = new Map(input.members.map((m) => [m.accountId, m.expertId]));
  const chair = input.members.map((m) => m.accountId).sort((a, b) => seatOfAccount.get(a)! - seatOfAccount.get(b)!)[0]!;
  const committee = await trx
    .insertInto('eval_committees')
    .values({ lot_id: lot.id, tender_id: tender.id, stage: 'review', seat_draw_id: draw.id, seated_at: input.now, report_file_id: null, report_sha256: null, report_at: null, signed_at: null })
    .returning(['id', 'lot_id', 'tender_id'])
    .executeTakeFirstOrThrow();
  const seats = people.map((a) => ({ accountId: a, seat: seatOfAccount.get(a)!, chair: a === chair }));
  await trx
    .insertInto('eval_members')
    .values(
      seats.map((s) => ({
        committee_id: committee.id,
        account_id: s.accountId,
        expert_id: expertIds.get(s.accountId) ?? null,
        kind: expertIds.has(s.accountId) ? ('expert' as const) : ('representative' as const),
        seat: s.seat,
        chair: s.chair,
        reviewed_at: null,
        submitted_at: null,
        signed_at: null,
        signature_sha256: null,
        fee_fen: null,
      })),
    )
    .execute();
  await record(trx, input.actorId ?? null, committee, 'evaluation.seated', { size, experts: input.members.length, seatDrawId: draw.id, basis: policy.committee!.basis }, input.now);
  return { committeeId: committee.id, seats: seats.sort((a, b) => a.seat - b.seat), drawId: draw.id };
}

/**
 * A seated committee whose expert left before any work (a conflict declared at check-in, 招标投标法 第三十七条 "已经进入
 * 的应当更换"): each departed expert's seat — number and chair — passes to a replacement drawn by the expert draw
 * (补抽). Refused once the departing member has reviewed, scored or signed, or after the review stage: the committee
 * would then have to start over, which is a decision for the center, not an automatic step.
 */
export async function replaceMembers(
  trx: DbOrTx,
  input: { lotId: string; confirmed: { expertId: string; accountId: string }[]; now: Date; actorId?: string | null },
): Promise<{ committeeId: string; replaced: number }> {
  const committee = await committeeOf(trx, input.lotId, true);
  if (!committee) throw evalErrors.noCommittee();
  const members = await trx.selectFrom('eval_members').selectAll().where('committee_id', '=', committee.id).orderBy('seat').execute();
  const stay = new Set(input.confirmed.map((m) => m.expertId));
  const gone = members.filter((m) => m.kind === 'expert' && !stay.has(m.expert_id!));
  const seated = new Set(members.map((m) => m.expert_id));
  const incoming = input.confirmed.filter((m) => !seated.has(m.expertId));
  if (gone.length !== incoming.length)
    throw Errors.conflict('EVAL_REPLACEMENT_MISMATCH', `待更换 ${gone.length} 人、补入 ${incoming.length} 人，不一致`, `${gone.length} seats to refill but ${incoming.length} replacements`);
  const began = gone.length
    ? await trx.selectFrom('eval_reviews').select('account_id').where('committee_id', '=', committee.id).where('account_id', 'in', gone.map((m) => m.account_id))
        .union(trx.selectFrom('eval_scores').select('account_id').where('committee_id', '=', committee.id).where('account_id', 'in', gone.map((m) => m.account_id)))
        .executeTakeFirst()
    : undefined;
  if (committee.stage !== 'review' || began || gone.some((m) => m.reviewed_at || m.submitted_at || m.signed_at))
    throw Errors.conflict('EVAL_REPLACEMENT_TOO_LATE', '评审已开始，不能自动更换委员，请交易中心处理', 'The evaluation has started: the member cannot be replaced automatically');
  for (let k = 0; k < gone.length; k++) {
    await trx.updateTable('eval_members').set({ account_id: incoming[k]!.accountId, expert_id: incoming[k]!.expertId }).where('committee_id', '=', committee.id).where('seat', '=', gone[k]!.seat).execute();
  }
  if (gone.length) await record(trx, input.actorId ?? null, committee, 'evaluation.members_replaced', { seats: gone.map((m) => m.seat) }, input.now);
  return { committeeId: committee.id, replaced: gone.length };
}
