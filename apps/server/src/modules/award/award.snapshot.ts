import type { DbOrTx } from '../../platform/db/database';
import {
  recordOcdsRelease,
  type AwardSnapshot,
  type ContractSnapshot,
  type LotSnapshot,
  type PartySnapshot,
  type ProcessSnapshot,
  type ReleaseTag,
  type TenderStatus,
  type BidSnapshot,
} from '../opendata/index';
import { getLots, POLICIES, type LotRow, type LotStatus, type TenderRow } from '../tendering/index';
import { awardLotsOfTender, contractsOfTender, getCandidates, orgsByIds, performanceOf } from './award.repo';
import { validBidsOf } from './award.seams';

/**
 * The OCDS view of a tender after its opening, built from what is PUBLIC at this instant only (DOMAIN §7; 条例 54):
 * candidates once their publicity is published, the award once the result is announced, the contract once its
 * notice is published, performance payments once recorded. Scores, the evaluation report and the 中标通知书 itself
 * are not part of it. Bids come from the bidding seam, only for lots past their opening.
 */
const LOT_OCDS: Record<LotStatus, TenderStatus> = {
  draft: 'planned',
  bidding: 'active',
  opening: 'active',
  negotiating: 'active',
  evaluation: 'active',
  publicity: 'active',
  awarded: 'active',
  contracted: 'complete',
  failed: 'unsuccessful',
  terminated: 'cancelled',
};

function processStatus(lots: LotRow[]): TenderStatus {
  const s = lots.map((l) => l.status);
  if (s.every((x) => x === 'terminated')) return 'cancelled';
  if (s.every((x) => x === 'failed' || x === 'terminated')) return 'unsuccessful';
  if (s.every((x) => x === 'contracted' || x === 'failed' || x === 'terminated')) return 'complete';
  return 'active';
}

const METHOD: Record<string, ProcessSnapshot['procurementMethod']> = {
  works_open_tender: 'open',
  gp_open_tender: 'open',
  works_invited_tender: 'selective',
  gp_invited_tender: 'selective',
  competitive_negotiation: 'limited',
  competitive_consultation: 'limited',
  inquiry: 'limited',
  single_source: 'direct',
};

const PAST_OPENING: LotStatus[] = ['evaluation', 'publicity', 'awarded', 'contracted'];
/** Negotiation procedures publish no opening record (采购法 38（四）): their offers become public with the result. */
const PAST_RESULT: LotStatus[] = ['awarded', 'contracted'];

export const candidateAwardId = (lotId: string, rank: number) => `${lotId}-${rank}`;

export async function buildSnapshot(db: DbOrTx, t: TenderRow, now: Date): Promise<ProcessSnapshot> {
  const lots = await getLots(db, t.id);
  const awards = await awardLotsOfTender(db, t.id);
  const candidates = await getCandidates(
    db,
    awards.map((a) => a.lot_id),
  );
  const contracts = (await contractsOfTender(db, t.id)).filter((c) => c.published_at && c.published_at <= now);
  const payments = (
    await performanceOf(
      db,
      contracts.map((c) => c.id),
    )
  ).filter((p) => p.kind === 'payment' && p.amount_fen);
  const project = await db.selectFrom('projects').select(['subject']).where('id', '=', t.project_id).executeTakeFirst();

  // Bids of lots past the opening (public since the opening record); skipped while the bidding seam is unconnected.
  const bids: BidSnapshot[] = [];
  const openings: number[] = [];
  const bidsPublic = POLICIES[t.procedure_type as keyof typeof POLICIES]?.negotiationRounds.value ? PAST_RESULT : PAST_OPENING;
  for (const l of lots.filter((x) => bidsPublic.includes(x.status))) {
    const r = await validBidsOf(db, { tenderId: t.id, lotId: l.id, lotNo: l.lot_no }).catch(() => null);
    if (!r || r.openedAt > now) continue;
    openings.push(r.openedAt.getTime());
    for (const b of r.bids)
      bids.push({
        id: b.bidId,
        date: b.submittedAt,
        status: 'valid',
        bidder: { orgId: b.bidderOrgId, name: '' },
        priceFen: b.priceFen,
        lotIds: [l.id],
      });
  }

  const awardSnaps: AwardSnapshot[] = [];
  for (const a of awards) {
    const cands = candidates.filter((c) => c.lot_id === a.lot_id);
    const awarded = !!a.awarded_at && a.awarded_at <= now;
    const lotStatus = lots.find((l) => l.id === a.lot_id)?.status;
    const ended = lotStatus === 'failed' || lotStatus === 'terminated';
    const publicised = !!a.publicity_starts_at && a.publicity_starts_at <= now;
    for (const c of cands) {
      const isWinner = awarded && c.bidder_org_id === a.winner_org_id;
      if (!isWinner && !publicised) continue; // no publicity (政府采购): only the winner, once announced
      awardSnaps.push({
        id: candidateAwardId(a.lot_id, c.rank),
        title: `第${c.rank}中标候选人`,
        status: awarded ? (isWinner ? 'active' : 'unsuccessful') : ended ? 'cancelled' : 'pending',
        date: awarded ? a.awarded_at! : a.publicity_starts_at!,
        valueFen: isWinner ? (a.award_price_fen ?? c.price_fen) : c.price_fen,
        suppliers: [{ orgId: c.bidder_org_id, name: c.name }],
        lotIds: [a.lot_id],
        bidId: bids.some((b) => b.id === c.bid_id) ? c.bid_id : null,
      });
    }
  }

  const contractSnaps: ContractSnapshot[] = contracts.map((c) => {
    const a = awards.find((x) => x.lot_id === c.lot_id)!;
    return {
      id: c.id,
      awardId: candidateAwardId(c.lot_id, a.winner_rank!),
      title: `${t.title} 合同`,
      status: 'active',
      valueFen: c.value_fen,
      dateSigned: c.signed_at,
      period:
        c.period_start || c.period_end
          ? {
              start: c.period_start ? new Date(`${c.period_start}T00:00:00+08:00`) : null,
              end: c.period_end ? new Date(`${c.period_end}T23:59:59+08:00`) : null,
            }
          : undefined,
      transactions: payments
        .filter((p) => p.contract_id === c.id)
        .map((p) => ({
          id: p.id,
          date: new Date(`${p.occurred_on}T12:00:00+08:00`),
          valueFen: p.amount_fen!,
          payerOrgId: t.owner_org_id,
          payeeOrgId: a.winner_org_id!,
        })),
    };
  });

  const orgs = await orgsByIds(db, [
    t.owner_org_id,
    t.agency_org_id,
    ...bids.map((b) => b.bidder.orgId),
    ...awardSnaps.flatMap((a) => a.suppliers.map((s) => s.orgId)),
  ]);
  for (const b of bids) b.bidder.name = orgs.get(b.bidder.orgId)?.name ?? '';
  const roles = new Map<string, Set<string>>();
  const role = (id: string | null, r: string) => id && (roles.get(id) ?? roles.set(id, new Set()).get(id)!).add(r);
  role(t.owner_org_id, 'buyer');
  role(t.agency_org_id ?? t.owner_org_id, 'procuringEntity');
  for (const b of bids) role(b.bidder.orgId, 'tenderer');
  for (const a of awardSnaps) for (const s of a.suppliers) role(s.orgId, a.status === 'active' ? 'supplier' : 'tenderer');
  const parties: PartySnapshot[] = [...roles].map(([id, r]) => ({
    orgId: id,
    name: orgs.get(id)?.name ?? '',
    uscc: orgs.get(id)?.uscc ?? null,
    roles: [...r],
    regionCode: orgs.get(id)?.region_code ?? null,
  }));
  const lotSnaps: LotSnapshot[] = lots.map((l) => ({ id: l.id, title: l.name, valueFen: l.estimate_fen, status: LOT_OCDS[l.status] }));
  const policy = POLICIES[t.procedure_type as keyof typeof POLICIES];
  const subject = project?.subject;
  return {
    processId: t.id,
    title: t.title,
    description: null,
    status: processStatus(lots),
    procurementMethod: METHOD[t.procedure_type] ?? 'open',
    procurementMethodDetails: policy?.nameZh ?? t.procedure_type,
    mainProcurementCategory:
      policy?.regime === 'works' ? 'works' : subject === 'goods' || subject === 'services' || subject === 'works' ? subject : null,
    valueFen: lots.reduce((s, l) => s + l.estimate_fen, 0),
    tenderPeriod: { start: t.published_at, end: new Date(Math.max(...lots.map((l) => l.bid_deadline.getTime()))) },
    buyer: { orgId: t.owner_org_id, name: orgs.get(t.owner_org_id)?.name ?? '' },
    procuringEntity: { orgId: t.agency_org_id ?? t.owner_org_id, name: orgs.get(t.agency_org_id ?? t.owner_org_id)?.name ?? '' },
    parties,
    lots: lotSnaps,
    openedAt: openings.length ? new Date(Math.max(...openings)) : null,
    bids: bids.length ? bids : undefined,
    awards: awardSnaps,
    contracts: contractSnaps,
  };
}

/** Record the release for a public step, inside the step's transaction. */
export async function releaseFor(trx: DbOrTx, prefix: string, t: TenderRow, tags: ReleaseTag[], actorId: string | null, now: Date) {
  return recordOcdsRelease(trx, { prefix, snapshot: await buildSnapshot(trx, t, now), tags, actorId }, now);
}
