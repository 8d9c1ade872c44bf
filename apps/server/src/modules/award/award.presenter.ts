import { Type, type Static } from 'typebox';
import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { loadCalendar } from '../../platform/calendar/index';
import { effectivePolicy, engine, getLotById, getTender } from '../tendering/index';
import {
  getAwardLot,
  getCandidates,
  getContract,
  getEnding,
  getObjections,
  getRetender,
  orgsByIds,
  performanceOf,
  type ObjectionRow,
} from './award.repo';
import { objectionWindow, refundPlan } from './award.rules';
import { canRead, isParty, lotNotFound, access } from './award.policy';
import { isTenderOverseer } from '../tendering/index';
import { validBidsOf } from './award.seams';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ObjectionSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('objection'), Type.Literal('challenge')]),
  objectorOrgId: Nullable(Type.String()),
  objectorName: Nullable(Type.String()),
  mine: Type.Boolean(),
  text: Type.String(),
  raisedAt: Instant,
  answerDueAt: Instant,
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Instant),
  overdue: Type.Boolean(),
});

const Warning = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), dueAt: Type.String(), at: Type.String() });

export const AwardLotSchema = Type.Object({
  lotId: Type.String(),
  tenderId: Type.String(),
  lotNo: Type.Integer(),
  lotName: Type.String(),
  status: Type.String(),
  procedureType: Type.String(),
  operator: Type.Boolean(),
  result: Nullable(
    Type.Object({
      source: Type.String(),
      reportReceivedAt: Instant,
      reportFileId: Nullable(Type.String()),
      candidates: Type.Array(
        Type.Object({
          rank: Type.Integer(),
          bidderOrgId: Type.String(),
          name: Type.String(),
          priceFen: Type.Integer(),
          score: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  publicity: Nullable(Type.Object({ noticeId: Type.String(), startsAt: Instant, endsAt: Instant })),
  objectionWindow: Nullable(Type.Object({ kind: Type.String(), opensAt: Instant, closesAt: Instant, basis: Type.String() })),
  objections: Type.Array(ObjectionSchema),
  award: Nullable(
    Type.Object({
      winnerOrgId: Type.String(),
      winnerName: Type.String(),
      rank: Type.Integer(),
      priceFen: Type.Integer(),
      reason: Nullable(Type.String()),
      awardedAt: Instant,
      resultNoticeId: Nullable(Type.String()),
      noticeNo: Nullable(Type.String()),
      noticeSha256: Nullable(Type.String()),
      noticeLedgerSeq: Nullable(Type.Integer()),
      contractDueAt: Nullable(Instant),
    }),
  ),
  contract: Nullable(
    Type.Object({
      id: Type.String(),
      valueFen: Type.Integer(),
      signedAt: Instant,
      periodStart: Nullable(Type.String()),
      periodEnd: Nullable(Type.String()),
      noticeId: Nullable(Type.String()),
      publishedAt: Nullable(Instant),
      fileId: Nullable(Type.String()),
      performance: Type.Array(
        Type.Object({
          id: Type.String(),
          kind: Type.String(),
          occurredOn: Type.String(),
          amountFen: Nullable(Type.Integer()),
          description: Type.String(),
        }),
      ),
    }),
  ),
  ending: Nullable(Type.Object({ kind: Type.String(), reason: Type.String(), endedAt: Instant, noticeId: Nullable(Type.String()) })),
  retender: Nullable(Type.Object({ tenderId: Type.String(), lotId: Type.String() })),
  refunds: Type.Object({
    losersAt: Type.String(),
    losers: Type.Object({ n: Type.Integer(), unit: Type.String(), basis: Type.String() }),
    winner: Type.Object({ n: Type.Integer(), unit: Type.String(), basis: Type.String() }),
  }),
  warnings: Type.Array(Warning),
});
export type AwardLotView = Static<typeof AwardLotSchema>;

export function presentObjection(o: ObjectionRow, actor: Actor | null, full: boolean, names: Map<string, { name: string }>, now: Date) {
  return {
    id: o.id,
    kind: o.kind,
    objectorOrgId: full ? o.objector_org_id : null,
    objectorName: full ? (names.get(o.objector_org_id)?.name ?? null) : null,
    mine: !!actor?.orgId && actor.orgId === o.objector_org_id,
    text: o.body_text,
    raisedAt: o.raised_at.toISOString(),
    answerDueAt: o.answer_due_at.toISOString(),
    status: o.status,
    answer: o.answer_text,
    answeredAt: o.answered_at?.toISOString() ?? null,
    overdue: o.status === 'open' ? now >= o.answer_due_at : !!o.answered_at && o.answered_at > o.answer_due_at,
  };
}

/**
 * The lot after its opening, as this actor may see it. Parties and overseers see everything, including scores, the
 * report file, who objected and the warnings; the lot's bidders see the candidates only once publicised (works) or
 * the winner once announced, never scores, and only their own objections. Anyone else: 404.
 */
export async function presentLot(db: DbOrTx, actor: Actor | null, lotId: string, now: Date): Promise<AwardLotView> {
  const lot = await getLotById(db, lotId);
  const tender = lot && (await getTender(db, lot.tender_id));
  if (!lot || !tender || !engine.isTenderingProcedure(tender.procedure_type)) throw lotNotFound();
  const bids = await validBidsOf(db, { tenderId: tender.id, lotId: lot.id, lotNo: lot.lot_no })
    .then((r) => r.bids)
    .catch(() => []);
  const bidders = bids.map((b) => b.bidderOrgId);
  if (!canRead(actor, tender, bidders)) throw lotNotFound();
  const full = isParty(actor, tender) || isTenderOverseer(actor, access(tender));
  const [policy, cal, a, ending, retender] = await Promise.all([
    effectivePolicy(db, tender.procedure_type),
    loadCalendar(db),
    getAwardLot(db, lot.id),
    getEnding(db, lot.id),
    getRetender(db, lot.id),
  ]);
  const candidates = a ? await getCandidates(db, [lot.id]) : [];
  const objections = a ? (await getObjections(db, lot.id)).filter((o) => full || o.objector_org_id === actor?.orgId) : [];
  const contract = await getContract(db, lot.id);
  const perf = contract ? await performanceOf(db, [contract.id]) : [];
  const names = await orgsByIds(db, [...objections.map((o) => o.objector_org_id), a?.winner_org_id ?? null]);
  const publicised = !!a?.publicity_starts_at;
  const awarded = !!a?.awarded_at;
  const w = a ? objectionWindow(cal, policy, a) : null;
  const plan = refundPlan(policy);
  const showCandidates = full
    ? candidates
    : publicised
      ? candidates
      : awarded
        ? candidates.filter((c) => c.bidder_org_id === a!.winner_org_id)
        : [];
  return {
    lotId: lot.id,
    tenderId: tender.id,
    lotNo: lot.lot_no,
    lotName: lot.name,
    status: lot.status,
    procedureType: tender.procedure_type,
    operator: isParty(actor, tender),
    result:
      a && (full || publicised || awarded)
        ? {
            source: a.result_source,
            reportReceivedAt: a.report_received_at.toISOString(),
            reportFileId: full ? a.report_file_id : null,
            candidates: showCandidates.map((c) => ({
              rank: c.rank,
              bidderOrgId: c.bidder_org_id,
              name: c.name,
              priceFen: c.price_fen,
              score: full ? c.score : null,
            })),
          }
        : null,
    publicity:
      a?.publicity_notice_id && a.publicity_starts_at && a.publicity_ends_at
        ? { noticeId: a.publicity_notice_id, startsAt: a.publicity_starts_at.toISOString(), endsAt: a.publicity_ends_at.toISOString() }
        : null,
    objectionWindow:
      w && (full || publicised || awarded)
        ? { kind: w.kind, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString(), basis: w.basis }
        : null,
    objections: objections.map((o) => presentObjection(o, actor, full, names, now)),
    award:
      a?.awarded_at && a.winner_org_id
        ? {
            winnerOrgId: a.winner_org_id,
            winnerName: names.get(a.winner_org_id)?.name ?? '',
            rank: a.winner_rank!,
            priceFen: a.award_price_fen!,
            reason: a.award_reason,
            awardedAt: a.awarded_at.toISOString(),
            resultNoticeId: a.result_notice_id,
            noticeNo: a.notice_no,
            noticeSha256: a.notice_sha256,
            noticeLedgerSeq: a.notice_ledger_seq,
            contractDueAt: a.contract_due_at?.toISOString() ?? null,
          }
        : null,
    contract: contract
      ? {
          id: contract.id,
          valueFen: contract.value_fen,
          signedAt: contract.signed_at.toISOString(),
          periodStart: contract.period_start,
          periodEnd: contract.period_end,
          noticeId: contract.notice_id,
          publishedAt: contract.published_at?.toISOString() ?? null,
          fileId: full || actor?.orgId === a?.winner_org_id ? contract.file_id : null,
          performance: perf.map((p) => ({
            id: p.id,
            kind: p.kind,
            occurredOn: p.occurred_on,
            amountFen: p.amount_fen,
            description: p.description,
          })),
        }
      : null,
    ending: ending
      ? { kind: ending.kind, reason: ending.reason, endedAt: ending.ended_at.toISOString(), noticeId: ending.notice_id }
      : null,
    retender: retender ? { tenderId: retender.new_tender_id, lotId: retender.new_lot_id } : null,
    refunds: { losersAt: plan.losersAt, losers: plan.losers, winner: plan.winner },
    warnings: full ? (a?.warnings ?? []) : [],
  };
}
