import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { hasRole } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import { calendarDayDeadline, workingDayDeadline } from '../../../platform/calendar/index';
import { scheduleJob } from '../../../platform/chronograph/jobs';
import { recordLedger } from '../../../platform/ledger/append';
import { registerLotDeposit } from '../../deposits/index';
import { AuctionErrors as E } from '../auctions.errors';
import { checkSetup, policyOf, type PolicyCode } from '../auctions.rules';
import { getAuction, lockAuction } from '../auctions.repo';
import { commitNumbersDraw, DEPOSIT_LOT, issueNumberIfReady, NUMBERS_JOB } from './numbers';
import { publishTransferNotice } from './results';

export const PHASE_END_JOB = 'auction.phase_end';

export interface CreateAuctionInput {
  title: string;
  policy: PolicyCode;
  industry: string;
  regionCode: string;
  startPriceFen: number;
  incrementFen: number;
  reserveFen?: number | null;
  depositFen: number;
  registrationEndsAt: string;
  startsAt: string;
  firstPhaseEndsAt: string;
  countdownSeconds: number;
  /** Guard: bidding never runs longer than this past the first phase's end (default 4 h). */
  maxExtensionSeconds?: number;
  preemptionOrgId?: string | null;
  preemptionWindowSeconds?: number;
}

/** Organisers: the trading center's staff and agencies (拍卖人/出让人's agent), never supervisors (管办分离). */
export function assertOrganiser(actor: Actor): string {
  assertOperator(actor);
  if (!actor.orgId || !hasRole(actor, 'agency', 'center_intake')) throw E.notOrganiser();
  return actor.orgId;
}

export async function createAuction(ctx: AppContext, actor: Actor, i: CreateAuctionInput): Promise<{ id: string }> {
  const orgId = assertOrganiser(actor);
  const now = ctx.clock.now();
  const policy = policyOf(i.policy);
  const registrationEndsAt = new Date(i.registrationEndsAt);
  const startsAt = new Date(i.startsAt);
  const firstPhaseEndsAt = new Date(i.firstPhaseEndsAt);
  const maxEndsAt = new Date(firstPhaseEndsAt.getTime() + (i.maxExtensionSeconds ?? 4 * 3600) * 1000);
  const bad = checkSetup({ ...i, reserveFen: i.reserveFen ?? null, registrationEndsAt, startsAt, firstPhaseEndsAt, maxEndsAt });
  if (bad) throw E.setup(...bad);
  if (startsAt.getTime() <= now.getTime()) throw E.setup('startsAt', '竞价开始时间须晚于当前时间', 'Bidding must start in the future');
  if (i.preemptionOrgId && !policy.preemption)
    throw E.setup('preemptionOrgId', `${policy.label.zh}不设优先购买权`, `The ${policy.label.en} policy has no pre-emption right`);
  return ctx.db.transaction().execute(async (trx) => {
    if (policy.minFirstPhase) {
      const { n, unit, basis } = policy.minFirstPhase;
      const least = unit === 'working_day' ? await workingDayDeadline(trx, startsAt, n) : await calendarDayDeadline(trx, startsAt, n);
      if (firstPhaseEndsAt.getTime() < least.getTime())
        throw E.setup('firstPhaseEndsAt', `挂牌（披露）期不得短于 ${n} ${unit === 'working_day' ? '个工作日' : '日'}，最早至 ${least.toISOString()}（${basis}）`, `The listing period must run at least ${n} ${unit === 'working_day' ? 'working days' : 'days'}, to ${least.toISOString()} or later (${basis})`);
    }
    const row = await trx
      .insertInto('auctions')
      .values({
        title: i.title,
        policy: i.policy,
        organiser_org_id: orgId,
        created_by: actor.accountId,
        industry: i.industry,
        region_code: i.regionCode,
        start_price_fen: i.startPriceFen,
        increment_fen: i.incrementFen,
        reserve_fen: i.reserveFen ?? null,
        deposit_fen: i.depositFen,
        registration_ends_at: registrationEndsAt,
        starts_at: startsAt,
        countdown_seconds: i.countdownSeconds,
        max_ends_at: maxEndsAt,
        preemption_org_id: i.preemptionOrgId ?? null,
        preemption_window_seconds: i.preemptionWindowSeconds ?? 0,
        phase: policy.firstPhase,
        ends_at: firstPhaseEndsAt,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The deposit goes through the deposits module's per-lot sub-accounts and bank confirmations (no second adapter).
    await registerLotDeposit(
      trx,
      {
        tenderId: row.id,
        lotId: DEPOSIT_LOT,
        lotLabel: i.title,
        requiredFen: i.depositFen,
        cashAllowed: true,
        revealAfter: registrationEndsAt,
        bidValidUntil: maxEndsAt,
        beneficiary: { name: actor.orgName ?? i.title, uscc: null },
        tendererOrgId: null,
        agencyOrgId: orgId,
        industry: i.industry,
        regionCode: i.regionCode,
      },
      now,
      actor.accountId,
    );
    await scheduleJob(trx, { kind: PHASE_END_JOB, subjectId: row.id, dueAt: firstPhaseEndsAt }, now);
    // Committed now, before anyone registers; executed at the registration deadline (ADR 0018 "Deposits and numbers").
    const drawId = await commitNumbersDraw(trx, row.id, actor.accountId, now);
    await scheduleJob(trx, { kind: NUMBERS_JOB, subjectId: row.id, dueAt: registrationEndsAt }, now);
    // Registration opens with the creation, so the listing notice goes out now.
    const noticeId = await publishTransferNotice(
      trx,
      { id: row.id, title: i.title, policy: i.policy, industry: i.industry, region_code: i.regionCode, start_price_fen: i.startPriceFen, increment_fen: i.incrementFen, reserve_fen: i.reserveFen ?? null, deposit_fen: i.depositFen, registration_ends_at: registrationEndsAt, starts_at: startsAt, ends_at: firstPhaseEndsAt, countdown_seconds: i.countdownSeconds, preemption_org_id: i.preemptionOrgId ?? null },
      orgId,
      actor.accountId,
      now,
    );
    await trx.updateTable('auctions').set({ numbers_draw_id: drawId, notice_id: noticeId }).where('id', '=', row.id).execute();
    // The reserve is ledgered as a hash-free fact "a reserve exists", not its amount: the ledger is readable by auditors
    // before the end, and the reserve is secret until then (DOMAIN §7). The amount is ledgered at the close.
    await recordLedger(
      trx,
      {
        type: 'auction.created',
        subjectType: 'auction',
        subjectId: row.id,
        actorId: actor.accountId,
        payload: { policy: i.policy, title: i.title, noticeId, numbersDrawId: drawId, startPriceFen: i.startPriceFen, incrementFen: i.incrementFen, depositFen: i.depositFen, hasReserve: i.reserveFen != null, startsAt: startsAt.toISOString(), firstPhaseEndsAt: firstPhaseEndsAt.toISOString(), countdownSeconds: i.countdownSeconds, maxEndsAt: maxEndsAt.toISOString() },
      },
      now,
    );
    return { id: row.id };
  });
}

export async function applyToBid(ctx: AppContext, actor: Actor, auctionId: string, materialFileIds: string[]): Promise<{ applicationId: string; status: string }> {
  assertOperator(actor);
  if (!actor.orgId || !hasRole(actor, 'auction_bidder', 'bidder')) throw E.notRegistered();
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await getAuction(trx, auctionId);
    if (!a) throw E.notFound();
    if (a.organiser_org_id === actor.orgId) throw E.organiserCannotBid();
    if (now.getTime() >= a.registration_ends_at.getTime()) throw E.registrationClosed();
    const existing = await trx.selectFrom('auction_bidders').select('id').where('auction_id', '=', auctionId).where('org_id', '=', actor.orgId!).executeTakeFirst();
    if (existing) throw E.alreadyApplied();
    const row = await trx
      .insertInto('auction_bidders')
      .values({ auction_id: auctionId, org_id: actor.orgId!, account_id: actor.accountId, status: 'applied', material_file_ids: JSON.stringify(materialFileIds), applied_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordLedger(trx, { type: 'auction.applied', subjectType: 'auction', subjectId: auctionId, actorId: actor.accountId, payload: { applicationId: row.id, materialFileIds } }, now);
    return { applicationId: row.id, status: 'applied' };
  });
}

/** The organiser approves or rejects; an approval after the draw issues the next number if the deposit was in place by the deadline. */
export async function decideApplication(
  ctx: AppContext,
  actor: Actor,
  auctionId: string,
  applicationId: string,
  d: { approve: boolean; reason?: string },
): Promise<{ applicationId: string; status: string; biddingNo: number | null }> {
  const orgId = assertOrganiser(actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await lockAuction(trx, auctionId);
    if (!a) throw E.notFound();
    if (a.organiser_org_id !== orgId) throw E.notOrganiser();
    const app = await trx.selectFrom('auction_bidders').selectAll().where('id', '=', applicationId).where('auction_id', '=', auctionId).executeTakeFirst();
    if (!app) throw E.notRegistered();
    if (app.status !== 'applied') throw E.decided();
    const status = d.approve ? 'approved' : 'rejected';
    await trx.updateTable('auction_bidders').set({ status, decided_at: now, decided_by: actor.accountId, decision_reason: d.reason ?? null }).where('id', '=', app.id).execute();
    const no = d.approve ? await issueNumberIfReady(trx, a, app, now) : null;
    await recordLedger(trx, { type: 'auction.application_decided', subjectType: 'auction', subjectId: auctionId, actorId: actor.accountId, payload: { applicationId, status, biddingNo: no } }, now);
    return { applicationId, status, biddingNo: no };
  });
}

/** A bidder asks for its number once the numbers are drawn (also given on its first bid; the draw runs at the deadline). */
export async function claimNumber(ctx: AppContext, actor: Actor, auctionId: string): Promise<{ biddingNo: number }> {
  assertOperator(actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await lockAuction(trx, auctionId);
    if (!a) throw E.notFound();
    const b = actor.orgId ? await trx.selectFrom('auction_bidders').selectAll().where('auction_id', '=', auctionId).where('org_id', '=', actor.orgId).executeTakeFirst() : undefined;
    if (!b) throw E.notRegistered();
    if (b.status !== 'approved') throw E.notApproved();
    const no = await issueNumberIfReady(trx, a, b, now);
    if (no === null) throw now.getTime() < a.registration_ends_at.getTime() ? E.numbersNotDrawn(a.registration_ends_at) : E.depositMissing();
    return { biddingNo: no };
  });
}
