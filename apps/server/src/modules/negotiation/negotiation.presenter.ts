import { Type, type Static, type TSchema } from 'typebox';
import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { custodiansWithKeys } from '../bidding/index';
import type { Loaded } from './commands/shared';
import type { Viewer } from './negotiation.policy';
import { changesFor, changesOf, currentOffer, currentOffers, offerHistory, participantsOf, recipientsOf, roundsOf } from './negotiation.repo';
import { MINIMUM_EXCEPTIONS, minimumFor, priceScores, PRICED, rankByPrice } from './negotiation.rules';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const S = Type.String();
const I = Type.Integer();

const Round = Type.Object({
  id: S,
  roundNo: I,
  bidderOrgId: S,
  bidderName: S,
  heldAt: S,
  minutesText: N(S),
  minutesFileId: N(S),
  recordedAt: S,
});
const Change = Type.Object({
  id: S,
  seq: I,
  text: S,
  fileId: N(S),
  issuedAt: S,
  acknowledgedAt: N(S),
  recipients: Type.Array(Type.Object({ orgId: S, name: S, acknowledgedAt: N(S) })),
});
const Participant = Type.Object({
  orgId: S,
  name: S,
  status: S,
  statusReason: N(S),
  statusAt: N(S),
  firstPriceFen: I,
  finalPriceFen: N(I),
  rounds: I,
});
const FinalOffer = Type.Object({
  orgId: S,
  name: S,
  receivedAt: S,
  sha256: S,
  decryption: S,
  priceFen: N(I),
  status: S,
  rank: N(I),
  priceScore: N(Type.Number()),
});
const MyOffer = Type.Object({
  finalOfferId: S,
  receivedAt: S,
  sha256: S,
  size: I,
  sealedDigest: S,
  decryption: S,
  priceFen: N(I),
  header: Type.Unknown(),
  ledger: Type.Object({ seq: I, entryHash: S }),
  superseded: I,
});

export const NegotiationSchema = Type.Object({
  tenderId: S,
  tenderTitle: S,
  lotId: S,
  lotNo: I,
  lotName: S,
  lotStatus: S,
  procedureType: S,
  kind: S,
  stage: S,
  version: I,
  viewer: S,
  operator: Type.Boolean(),
  startedAt: S,
  budgetFen: N(I),
  minFinalOffers: Type.Object({ value: I, basis: S }),
  minimumException: N(Type.Object({ kind: S, note: S, zh: S, basis: S })),
  priceWeightPercent: N(I),
  finalCall: N(Type.Object({ calledAt: S, deadline: S, decryptionEndsAt: N(S) })),
  finalOffersSealed: Type.Boolean(),
  participants: Type.Array(Participant),
  rounds: Type.Array(Round),
  changes: Type.Array(Change),
  finalOffers: Type.Array(FinalOffer),
  me: N(Type.Object({ orgId: S, status: S, statusReason: N(S), finalPriceFen: N(I), finalOffer: N(MyOffer) })),
  sealing: N(
    Type.Object({
      tenderId: S,
      lotId: S,
      k: I,
      custodians: Type.Array(Type.Object({ kind: S, accountId: S, label: S, algorithm: N(S), publicKey: N(S) })),
    }),
  ),
  agreement: N(Type.Object({ priceFen: I, terms: S, recordFileId: N(S), proposedAt: S, confirmedAt: N(S) })),
  concludedAt: N(S),
  failedReason: N(S),
});
export type NegotiationView = Static<typeof NegotiationSchema>;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * The negotiation as one reader may see it (negotiation.policy.ts). Parties and overseers: everything but the final
 * offers before their deadline (then not even who submitted). A supplier: its own rounds, the change notices delivered
 * to it, its own status and offer — the `participants`, `finalOffers` lists stay empty and no other name appears.
 */
export async function presentNegotiation(db: DbOrTx, actor: Actor, viewer: Viewer, x: Loaded, now: Date): Promise<NegotiationView> {
  const { tender, lot, neg } = x;
  const full = viewer !== 'supplier';
  const participants = await participantsOf(db, lot.id);
  const names = new Map(participants.map((p) => [p.bidder_org_id, p.name]));
  const orgId = full ? null : actor.orgId!;
  const rounds = await roundsOf(db, lot.id, orgId ?? undefined);
  const deadlinePassed = !!neg.final_deadline && neg.stage !== 'final_offers' && now.getTime() >= neg.final_deadline.getTime();
  const min = minimumFor(x.kind, neg.min_exception) ?? { value: neg.min_final_offers, basis: '' };

  let changes: NegotiationView['changes'];
  if (full) {
    const recipients = await recipientsOf(db, lot.id);
    changes = (await changesOf(db, lot.id)).map((c) => ({
      id: c.id,
      seq: c.seq,
      text: c.body_text,
      fileId: c.file_id,
      issuedAt: c.issued_at.toISOString(),
      acknowledgedAt: null,
      recipients: recipients.filter((r) => r.change_id === c.id).map((r) => ({ orgId: r.bidder_org_id, name: names.get(r.bidder_org_id) ?? '', acknowledgedAt: iso(r.acknowledged_at) })),
    }));
  } else {
    changes = (await changesFor(db, lot.id, orgId!)).map((c) => ({ id: c.id, seq: c.seq, text: c.body_text, fileId: c.file_id, issuedAt: c.issued_at.toISOString(), acknowledgedAt: iso(c.acknowledged_at), recipients: [] }));
  }

  let finalOffers: NegotiationView['finalOffers'] = [];
  if (full && deadlinePassed) {
    const offers = await currentOffers(db, lot.id);
    const byOrg = new Map(participants.map((p) => [p.bidder_org_id, p]));
    const priced = participants.filter((p) => PRICED.includes(p.status) && p.final_price_fen !== null).map((p) => ({ orgId: p.bidder_org_id, priceFen: p.final_price_fen! }));
    const ranks = new Map(rankByPrice(priced).map((r) => [r.orgId, r.rank]));
    const scores = neg.price_weight_percent ? priceScores(priced, neg.price_weight_percent) : new Map<string, number>();
    finalOffers = offers.map((o) => ({
      orgId: o.bidder_org_id,
      name: names.get(o.bidder_org_id) ?? '',
      receivedAt: o.received_at.toISOString(),
      sha256: o.sha256,
      decryption: o.decryption,
      priceFen: o.price_fen,
      status: byOrg.get(o.bidder_org_id)?.status ?? '',
      rank: ranks.get(o.bidder_org_id) ?? null,
      priceScore: scores.get(o.bidder_org_id) ?? null,
    }));
  }

  let me: NegotiationView['me'] = null;
  let sealing: NegotiationView['sealing'] = null;
  if (!full) {
    const p = participants.find((q) => q.bidder_org_id === orgId)!;
    const offer = await currentOffer(db, lot.id, orgId!);
    const history = offer ? await offerHistory(db, lot.id, orgId!) : [];
    me = {
      orgId: orgId!,
      status: p.status,
      statusReason: p.status_reason,
      finalPriceFen: p.final_price_fen,
      finalOffer: offer
        ? {
            finalOfferId: offer.id,
            receivedAt: offer.received_at.toISOString(),
            sha256: offer.sha256,
            size: offer.size,
            sealedDigest: offer.sealed_digest,
            decryption: offer.decryption,
            priceFen: offer.price_fen,
            header: typeof offer.header === 'string' ? JSON.parse(offer.header) : offer.header,
            ledger: { seq: offer.ledger_seq, entryHash: offer.ledger_hash },
            superseded: history.filter((h) => h.status === 'superseded').length,
          }
        : null,
    };
    if (neg.stage === 'final_offers' && p.status === 'active') {
      const custodians = await custodiansWithKeys(db, tender.id);
      sealing = {
        tenderId: tender.id,
        lotId: lot.id,
        k: tender.escrow_k,
        custodians: custodians.map((c) => ({ kind: c.kind, accountId: c.accountId, label: c.displayName, algorithm: c.keys[0]?.algorithm ?? null, publicKey: c.keys[0]?.publicKey ?? null })),
      };
    }
  }

  return {
    tenderId: tender.id,
    tenderTitle: tender.title,
    lotId: lot.id,
    lotNo: lot.lot_no,
    lotName: lot.name,
    lotStatus: lot.status,
    procedureType: tender.procedure_type,
    kind: x.kind,
    stage: neg.stage,
    version: neg.version,
    viewer,
    operator: viewer === 'party',
    startedAt: neg.started_at.toISOString(),
    budgetFen: full ? lot.estimate_fen : null,
    minFinalOffers: { value: neg.min_final_offers, basis: min.basis },
    minimumException: neg.min_exception
      ? { kind: neg.min_exception, note: neg.min_exception_note ?? '', zh: MINIMUM_EXCEPTIONS[neg.min_exception].zh, basis: MINIMUM_EXCEPTIONS[neg.min_exception].basis }
      : null,
    priceWeightPercent: neg.price_weight_percent,
    finalCall: neg.final_called_at && neg.final_deadline ? { calledAt: neg.final_called_at.toISOString(), deadline: neg.final_deadline.toISOString(), decryptionEndsAt: iso(neg.decryption_ends_at) } : null,
    finalOffersSealed: !!neg.final_deadline && !deadlinePassed,
    participants: full
      ? participants.map((p) => ({
          orgId: p.bidder_org_id,
          name: p.name,
          status: p.status,
          statusReason: p.status_reason,
          statusAt: iso(p.status_at),
          firstPriceFen: p.first_price_fen,
          // Before the deadline a final price cannot exist; after it, the parties see each one.
          finalPriceFen: p.final_price_fen,
          rounds: rounds.filter((r) => r.bidder_org_id === p.bidder_org_id).length,
        }))
      : [],
    rounds: rounds.map((r) => ({
      id: r.id,
      roundNo: r.round_no,
      bidderOrgId: r.bidder_org_id,
      bidderName: names.get(r.bidder_org_id) ?? '',
      heldAt: r.held_at.toISOString(),
      minutesText: r.minutes_text,
      minutesFileId: r.minutes_file_id,
      recordedAt: r.recorded_at.toISOString(),
    })),
    changes,
    finalOffers,
    me,
    sealing,
    agreement:
      neg.agreed_price_fen !== null && neg.agreement_proposed_at
        ? { priceFen: neg.agreed_price_fen, terms: neg.agreed_terms ?? '', recordFileId: neg.agreement_record_file_id, proposedAt: neg.agreement_proposed_at.toISOString(), confirmedAt: iso(neg.agreement_confirmed_at) }
        : null,
    concludedAt: iso(neg.concluded_at),
    failedReason: neg.failed_reason,
  };
}
