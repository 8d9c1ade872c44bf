import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  decodeContentKey,
  isSealedBidError,
  lotPriceFen,
  openSealedBid,
  SealedBidError,
  verifySealedBid,
  type KeyAlgorithm,
  type PublicKeyRef,
  type SealedBidHeader,
} from '@yiwang/sdk/sealing';
import type { Actor } from '../../../platform/auth/actor';
import { scheduleJob } from '../../../platform/chronograph/jobs';
import type { AppContext } from '../../../platform/context';
import type { Tx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { checkEscrow, custodiansWithKeys, orgSigningKeys } from '../../bidding/index';
import { assertOperates, assertSupplier, viewerOf } from '../negotiation.policy';
import { bumpNegotiation, currentOffer, currentOffers, getParticipant, participantsOf, roundsOf, setParticipant } from '../negotiation.repo';
import { finalDeadlineProblem, MAX_FINAL_OFFER_LEAD_DAYS, MIN_FINAL_OFFER_LEAD_MINUTES, MINIMUM_EXCEPTIONS, minimumFor, missingRounds, priceWeightRange, yuan } from '../negotiation.rules';
import type { MinimumException } from '../negotiation.tables';
import { notSingleSource } from './rounds';
import {
  assertStage,
  concludeLot,
  DECRYPTION_END_JOB,
  failLot,
  FINAL_DEADLINE_JOB,
  KIND_ZH,
  load,
  record,
  refundLeaver,
  supplierLink,
  tell,
  type Loaded,
} from './shared';

/** A final offer is a price sheet and, at most, revised response documents (74号令 第三十二条): a bounded envelope. */
export const FINAL_OFFER_MAX_BYTES = 16 * 1024 * 1024;

const STATUS: Record<string, number> = { TOO_LARGE: 413, WRONG_CONTENT_KEY: 422 };

/** The SDK's sealing errors under a FINAL_OFFER_ prefix (FINAL_OFFER_SIGNATURE_INVALID, …_HEADER_MISMATCH, …). */
function fromSealing(e: unknown): unknown {
  if (isSealedBidError(e)) return new AppError(`FINAL_OFFER_${e.code}`, STATUS[e.code] ?? 400, e.zh, e.message, 'envelope');
  if (e instanceof AppError && e.code === 'BID_ESCROW_MISMATCH') return new AppError('FINAL_OFFER_ESCROW_MISMATCH', 400, e.zh, e.en, 'envelope');
  if (e instanceof AppError && e.code === 'PAYLOAD_TOO_LARGE') return new AppError('FINAL_OFFER_TOO_LARGE', 413, e.zh, e.en, 'envelope');
  return e;
}

const closed = (deadline: Date | null) =>
  new AppError('NEGOTIATION_FINAL_OFFER_CLOSED', 409, '最后报价的提交时间已截止（以服务器时间为准）', 'The final-offer deadline has passed (server time decides)', 'envelope', {
    deadline: deadline?.toISOString() ?? null,
  });

export interface CallInput {
  deadline: string;
  minimumException?: { kind: MinimumException; note: string };
  priceWeightPercent?: number;
}

/**
 * 谈判/磋商结束：要求所有继续参加的供应商在规定时间内提交最后报价 (采购法 第三十八条（五）; 74号令 第三十三条; 214号文
 * 第二十一条). Refused while rounds are unequal (第三十一条 平等的谈判机会) or fewer suppliers remain than the minimum —
 * then the procurement ends (第三十七条（三）): the agency fails the lot (award: POST …/fail). Sets the deadline the
 * server enforces and tells each supplier still in.
 */
export async function callFinalOffers(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: CallInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    await assertOperates(trx, actor, x);
    notSingleSource(x, { zh: '要求最后报价', en: 'call for final offers' });
    assertStage(x, ['rounds'], { zh: '要求最后报价', en: 'call for final offers' });
    const exception = body.minimumException ?? null;
    const min = minimumFor(x.kind, exception?.kind ?? null);
    if (!min) {
      throw Errors.validation('minimumException.kind', `该例外不适用于${x.kind === 'negotiation' ? '竞争性谈判' : '竞争性磋商'}`, 'This exception does not apply to this procedure', 'NEGOTIATION_EXCEPTION_NOT_ALLOWED');
    }
    if (exception && exception.note.trim().length < 2) {
      throw Errors.validation('minimumException.note', '须说明例外的依据（如财政部门批准文号、项目性质）', 'Say what the exception rests on (approval reference, nature of the project)', 'NEGOTIATION_EXCEPTION_NOTE_REQUIRED');
    }
    let weight: number | null = null;
    if (x.kind === 'consultation') {
      const project = await trx.selectFrom('projects').select('subject').where('id', '=', x.tender.project_id).executeTakeFirst();
      const range = priceWeightRange(project?.subject ?? null);
      weight = body.priceWeightPercent ?? null;
      if (weight === null || weight < range.value.min || weight > range.value.max) {
        throw Errors.validation(
          'priceWeightPercent',
          `综合评分法的价格分值须在 ${range.value.min}%–${range.value.max}% 之间（${range.basis}）`,
          `The price weight must be ${range.value.min}–${range.value.max} % (${range.basis})`,
          'NEGOTIATION_PRICE_WEIGHT_INVALID',
        );
      }
    }
    const deadline = new Date(body.deadline);
    const dl = finalDeadlineProblem(now, deadline);
    if (dl) {
      throw Errors.validation(
        'deadline',
        `最后报价截止时间须在现在的 ${MIN_FINAL_OFFER_LEAD_MINUTES} 分钟之后、${MAX_FINAL_OFFER_LEAD_DAYS} 日之内`,
        `The final-offer deadline must be at least ${MIN_FINAL_OFFER_LEAD_MINUTES} minutes and at most ${MAX_FINAL_OFFER_LEAD_DAYS} days ahead`,
        'NEGOTIATION_DEADLINE_INVALID',
      );
    }
    const active = (await participantsOf(trx, x.lot.id)).filter((p) => p.status === 'active');
    if (active.length < min.value) {
      throw new AppError(
        'NEGOTIATION_TOO_FEW_SUPPLIERS',
        409,
        `仍在${KIND_ZH[x.kind]}中的供应商只有 ${active.length} 家，少于 ${min.value} 家：应当终止本次采购并重新开展采购活动（${min.basis}）`,
        `Only ${active.length} supplier(s) remain, fewer than ${min.value}: the procurement must end and be repeated (${min.basis})`,
        undefined,
        { active: active.length, minimum: min.value, basis: min.basis },
      );
    }
    const rounds = (await roundsOf(trx, x.lot.id)).map((r) => ({ roundNo: r.round_no, orgId: r.bidder_org_id }));
    if (!rounds.length) {
      throw Errors.conflict('NEGOTIATION_NO_ROUNDS', `尚未登记任何${KIND_ZH[x.kind]}记录：${KIND_ZH[x.kind]}结束后才能要求最后报价`, 'No round has been recorded: final offers come after the negotiation');
    }
    const missing = missingRounds(
      active.map((p) => p.bidder_org_id),
      rounds,
    );
    if (missing.length) {
      const names = missing.map((m) => `${active.find((p) => p.bidder_org_id === m.orgId)!.name}（第 ${m.rounds.join('、')} 轮）`).join('；');
      throw new AppError(
        'NEGOTIATION_UNEQUAL_ROUNDS',
        409,
        `应当给予所有参加${KIND_ZH[x.kind]}的供应商平等的机会（财政部令第74号第三十一条）；尚缺：${names}`,
        'Every supplier still in must have had the same rounds (74号令 art. 31); some rounds are missing',
        undefined,
        { missing },
      );
    }
    await bumpNegotiation(
      trx,
      x.lot.id,
      {
        stage: 'final_offers',
        final_called_at: now,
        final_called_by: actor.accountId,
        final_deadline: deadline,
        min_final_offers: min.value,
        min_exception: exception?.kind ?? null,
        min_exception_note: exception?.note.trim() ?? null,
        price_weight_percent: weight,
      },
      now,
    );
    await scheduleJob(trx, { kind: FINAL_DEADLINE_JOB, subjectId: x.lot.id, dueAt: deadline }, now);
    await record(
      trx,
      actor.accountId,
      x,
      'negotiation.final_offers_called',
      { deadline: deadline.toISOString(), minimum: min.value, basis: min.basis, exception, priceWeightPercent: weight, suppliers: active.map((p) => p.bidder_org_id) },
      now,
    );
    const when = new Date(deadline.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    for (const p of active) {
      await tell(
        trx,
        [p.bidder_org_id],
        'negotiation.final_offers_called',
        { zh: `请提交最后报价（截止 ${when}）：${x.tender.title} 标段${x.lot.lot_no}`, en: `Submit your final offer by ${deadline.toISOString()}: ${x.tender.title} lot ${x.lot.lot_no}` },
        {
          zh: `${KIND_ZH[x.kind]}已结束。请于 ${when}（北京时间）前在线密封提交最后报价；逾期未提交的，视为退出${KIND_ZH[x.kind]}。`,
          en: 'The negotiation is over. Seal and submit your final offer online before the deadline; no final offer counts as withdrawing.',
        },
        supplierLink(x),
        now,
      );
    }
  });
}

export interface FinalOfferReceipt {
  format: 'yiwang-final-offer-receipt/1';
  finalOfferId: string;
  tenderId: string;
  lotId: string;
  bidderOrgId: string;
  envelopeSha256: string;
  envelopeSize: number;
  sealedDigest: string;
  receivedAt: string;
  supersedes: string | null;
  ledger: { seq: number; entryHash: string };
}

/**
 * 最后报价, sealed: the same `yiwang-sealed-bid/1` envelope as a bid (content key wrapped to the supplier's registered
 * key and to the tender's k-of-n escrow, signed), verified with the SDK's verifier — tender, this one lot, the
 * organisation's registered key, the tender's escrow, digest and signature — before it is stored. Server time at
 * commit decides: after the deadline → NEGOTIATION_FINAL_OFFER_CLOSED. A new envelope supersedes the previous one. The
 * ledger entry's subject is the offer's random id and no outbox event is emitted, so nobody can count submissions
 * before the deadline (as for bids, ADR 0010).
 */
export async function submitFinalOffer(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, bytes: Buffer, digest?: string): Promise<FinalOfferReceipt> {
  const precheck = async (trx: Tx, now: Date) => {
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    notSingleSource(x, { zh: '提交最后报价', en: 'take final offers' });
    if (x.neg.stage !== 'final_offers' || !x.neg.final_deadline) {
      if (x.neg.final_deadline && now.getTime() >= x.neg.final_deadline.getTime()) throw closed(x.neg.final_deadline);
      throw new AppError('NEGOTIATION_NO_FINAL_CALL', 409, '尚未要求提交最后报价', 'Final offers have not been called for', 'envelope');
    }
    if (now.getTime() >= x.neg.final_deadline.getTime()) throw closed(x.neg.final_deadline);
    const p = await getParticipant(trx, x.lot.id, orgId, true);
    if (!p || p.status !== 'active') throw Errors.conflict('NEGOTIATION_SUPPLIER_NOT_ACTIVE', '贵单位已不在谈判中，不能提交最后报价', 'You are no longer in the negotiation');
    return { x, orgId };
  };
  // Early refusal (nothing stored) when closed or not entitled; decided again at commit with the clock read then.
  const { x, orgId } = await ctx.db.transaction().execute((trx) => precheck(trx, ctx.clock.now()));
  const [keys, custodians] = await Promise.all([orgSigningKeys(ctx.db, orgId), custodiansWithKeys(ctx.db, tenderId)]);
  let key: (PublicKeyRef & { fingerprint: string }) | undefined;
  let verified;
  try {
    verified = await verifySealedBid(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      maxBytes: FINAL_OFFER_MAX_BYTES,
      expect: { tenderId, lotIds: [x.lot.id], ...(digest ? { digest } : {}) },
      bidderKey: (header: SealedBidHeader) => {
        if (header.lotIds.length !== 1) throw new SealedBidError('HEADER_MISMATCH', 'one envelope per lot: the header must name exactly this lot');
        checkEscrow(header, x.tender.escrow_k, custodians);
        const k = keys.find((r) => r.fingerprint === header.bidder.fingerprint && r.algorithm === header.bidder.algorithm);
        if (!k) {
          if (!keys.length) throw new AppError('FINAL_OFFER_NO_SIGNING_KEY', 400, '本单位尚未登记签名公钥', 'Your organisation has no registered signing key', 'envelope');
          throw new SealedBidError('KEY_MISMATCH', 'the envelope is sealed with a key that is not registered for your organisation');
        }
        key = { algorithm: k.algorithm, publicKey: k.public_key, fingerprint: k.fingerprint };
        return key;
      },
    });
  } catch (e) {
    throw fromSealing(e);
  }
  const stored = await ctx.files.put(Readable.from([bytes]), { maxBytes: FINAL_OFFER_MAX_BYTES });

  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now(); // the upload has completed: this instant decides
    const { x: y } = await precheck(trx, now);
    const dup = await trx.selectFrom('negotiation_final_offers').select('id').where('lot_id', '=', y.lot.id).where('sealed_digest', '=', verified.digest).executeTakeFirst();
    if (dup) throw Errors.conflict('FINAL_OFFER_DUPLICATE', '该最后报价文件已经提交过', 'This sealed final offer was already submitted', 'envelope');
    const prev = await currentOffer(trx, y.lot.id, orgId, true);
    if (prev) await trx.updateTable('negotiation_final_offers').set({ status: 'superseded', ended_at: now }).where('id', '=', prev.id).execute();
    // The envelope is an upload of the supplier's organisation: readable by it, protected from blob clean-up.
    await trx.insertInto('files').values({ sha256: stored.sha256, size: stored.size, mime: 'application/vnd.yiwang.sealed-bid', created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    await trx.insertInto('file_uploads').values({ sha256: stored.sha256, original_name: 'final-offer.ywsb', uploader_id: actor.accountId, org_id: orgId, created_at: now }).execute();
    const id = randomUUID();
    const entry = await appendLedger(
      trx,
      {
        type: 'negotiation.final_offer_submitted',
        subjectType: 'final_offer',
        subjectId: id,
        actorId: actor.accountId,
        payload: { tenderId, lotId: y.lot.id, bidderOrgId: orgId, sha256: stored.sha256, sealedDigest: verified.digest, size: stored.size, supersedes: prev?.id ?? null },
      },
      now,
    );
    await trx
      .insertInto('negotiation_final_offers')
      .values({
        id,
        lot_id: y.lot.id,
        bidder_org_id: orgId,
        submitted_by: actor.accountId,
        status: 'submitted',
        sha256: stored.sha256,
        size: stored.size,
        sealed_digest: verified.digest,
        signature: verified.signature,
        key_algorithm: key!.algorithm,
        key_fingerprint: key!.fingerprint,
        public_key: key!.publicKey,
        header: JSON.stringify(verified.header),
        received_at: now,
        ended_at: null,
        ledger_seq: entry.seq,
        ledger_hash: entry.entryHash,
        decryption: 'pending',
        decrypted_at: null,
        price_fen: null,
        price_sheet: null,
        content_key: null,
      })
      .execute();
    return {
      format: 'yiwang-final-offer-receipt/1' as const,
      finalOfferId: id,
      tenderId,
      lotId: y.lot.id,
      bidderOrgId: orgId,
      envelopeSha256: stored.sha256,
      envelopeSize: stored.size,
      sealedDigest: verified.digest,
      receivedAt: new Date(Math.floor(now.getTime())).toISOString(),
      supersedes: prev?.id ?? null,
      ledger: { seq: entry.seq, entryHash: entry.entryHash },
    };
  });
}

/**
 * The sealed final offers as the purchaser, its agency and overseers may see them: refused to everyone until the
 * deadline (NEGOTIATION_FINAL_OFFERS_SEALED), decided from the stage and the server clock only — the same answer
 * whether or not anything was submitted.
 */
export function assertFinalOffersOpen(x: Loaded, now: Date): void {
  const deadline = x.neg.final_deadline;
  if (!deadline || x.neg.stage === 'final_offers' || now.getTime() < deadline.getTime()) {
    throw new AppError(
      'NEGOTIATION_FINAL_OFFERS_SEALED',
      403,
      '最后报价在提交截止前对任何人保密（包括采购人和采购代理机构）',
      'Final offers are sealed from everyone — the purchaser and its agency included — until the deadline',
      undefined,
      { deadline: deadline?.toISOString() ?? null },
    );
  }
}

/**
 * The final-offer deadline passed (chronograph): suppliers still in without an offer are out (视为退出, 74号令 第三十三条
 * and 第三十四条 read together: only those who submit are counted), their deposits returned. Fewer offers than the
 * minimum → the lot fails without opening any. Otherwise each supplier decrypts its own offer within the decryption
 * window, as at the opening (不见面开标).
 */
export async function closeFinalOffers(trx: Tx, x: Loaded, now: Date, ocidPrefix: string): Promise<void> {
  if (x.neg.stage !== 'final_offers' || !x.neg.final_deadline) return;
  if (now.getTime() < x.neg.final_deadline.getTime()) {
    await scheduleJob(trx, { kind: FINAL_DEADLINE_JOB, subjectId: x.lot.id, dueAt: x.neg.final_deadline }, now);
    return;
  }
  const offers = await currentOffers(trx, x.lot.id, true);
  const submitted = new Set(offers.map((o) => o.bidder_org_id));
  const active = (await participantsOf(trx, x.lot.id)).filter((p) => p.status === 'active');
  for (const p of active.filter((a) => !submitted.has(a.bidder_org_id))) {
    await setParticipant(trx, x.lot.id, p.bidder_org_id, { status: 'no_final_offer', status_reason: '未在规定时间内提交最后报价，视为退出' }, now);
    await refundLeaver(trx, x, p.bidder_org_id, 'negotiation_no_final_offer', null, now);
    await tell(
      trx,
      [p.bidder_org_id],
      'negotiation.no_final_offer',
      { zh: `未提交最后报价，视为退出：${x.tender.title} 标段${x.lot.lot_no}`, en: `No final offer: you are out — ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: '贵单位未在规定时间内提交最后报价，视为退出；保证金依法退还。', en: 'You did not submit a final offer in time and are treated as having withdrawn; your deposit is returned.' },
      supplierLink(x),
      now,
    );
  }
  const count = active.filter((a) => submitted.has(a.bidder_org_id)).length;
  await record(trx, null, x, 'negotiation.final_offers_closed', { deadline: x.neg.final_deadline.toISOString(), submitted: count, minimum: x.neg.min_final_offers }, now);
  if (count < x.neg.min_final_offers) {
    await failLot(trx, x, `提交最后报价的供应商不足${x.neg.min_final_offers}家（${count}家），本次采购终止，应当重新开展采购活动（${minimumBasis(x)}）`, now, ocidPrefix);
    return;
  }
  const ends = new Date(now.getTime() + x.policy.periods.decryptionWindowMinutes.value * 60_000);
  await bumpNegotiation(trx, x.lot.id, { stage: 'decrypting', decryption_ends_at: ends }, now);
  x.neg.stage = 'decrypting';
  x.neg.decryption_ends_at = ends;
  await scheduleJob(trx, { kind: DECRYPTION_END_JOB, subjectId: x.lot.id, dueAt: ends }, now);
  for (const o of offers) {
    await tell(
      trx,
      [o.bidder_org_id],
      'negotiation.decrypt_final_offer',
      { zh: `请解密最后报价：${x.tender.title} 标段${x.lot.lot_no}`, en: `Decrypt your final offer: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: `最后报价已截止，请在 ${x.policy.periods.decryptionWindowMinutes.value} 分钟内用本单位密钥解密。`, en: `Decrypt your final offer with your key within ${x.policy.periods.decryptionWindowMinutes.value} minutes.` },
      supplierLink(x),
      now,
    );
  }
}

function minimumBasis(x: Loaded): string {
  return x.neg.min_exception ? MINIMUM_EXCEPTIONS[x.neg.min_exception].basis : (minimumFor(x.kind, null)?.basis ?? '');
}

export interface DecryptResult {
  finalOfferId: string;
  decryption: 'decrypted';
  priceFen: number;
}

const decryptionClosed = () => new AppError('FINAL_OFFER_DECRYPTION_CLOSED', 409, '不在最后报价解密时间内（以服务器时间为准）', 'Not within the final-offer decryption window (server time decides)');

/**
 * The supplier's client unwrapped the content key locally and sends it; the server opens the stored envelope (every
 * chunk authenticated, digest and signature checked again) and reads this lot's price. A wrong key is counted and
 * ledgered. When every offer is decrypted the stage ends at once.
 */
export async function decryptFinalOffer(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, contentKeyText: string): Promise<DecryptResult> {
  const { x, offer } = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    if (x.neg.stage !== 'decrypting' || !x.neg.decryption_ends_at || now.getTime() >= x.neg.decryption_ends_at.getTime()) throw decryptionClosed();
    const offer = await currentOffer(trx, x.lot.id, orgId);
    if (!offer) throw new AppError('FINAL_OFFER_NOT_FOUND', 404, '贵单位没有提交最后报价', 'You have no final offer for this lot');
    if (offer.decryption !== 'pending') throw Errors.conflict('FINAL_OFFER_ALREADY_DECRYPTED', '该最后报价已解密', 'This final offer is already decrypted');
    return { x, offer };
  });
  let priceFen: number;
  let sheet: unknown;
  try {
    const stream = await ctx.files.get(offer.sha256);
    const opened = await openSealedBid(stream as AsyncIterable<Uint8Array>, decodeContentKey(contentKeyText), {
      bidderKey: { algorithm: offer.key_algorithm as KeyAlgorithm, publicKey: offer.public_key },
      expect: { tenderId, lotIds: [x.lot.id], digest: offer.sealed_digest },
      onFile: async (_meta, content) => {
        for await (const piece of content) void piece;
      },
    });
    const row = opened.priceSheet.lots.find((r) => r.lotId === x.lot.id)!;
    const fen = lotPriceFen(row);
    if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new SealedBidError('PAYLOAD_INVALID', 'price out of range');
    priceFen = Number(fen);
    sheet = opened.priceSheet;
  } catch (e) {
    if (!isSealedBidError(e)) throw e;
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('negotiation_final_offers').set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) })).where('id', '=', offer.id).execute();
      await appendLedger(trx, { type: 'negotiation.final_offer_decryption_failed', subjectType: 'final_offer', subjectId: offer.id, actorId: actor.accountId, payload: { tenderId, lotId: x.lot.id, code: e.code } }, ctx.clock.now());
    });
    throw fromSealing(e);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const y = await load(trx, tenderId, lotNo, now);
    if (y.neg.stage !== 'decrypting' || !y.neg.decryption_ends_at || now.getTime() >= y.neg.decryption_ends_at.getTime()) throw decryptionClosed();
    const fresh = await trx.selectFrom('negotiation_final_offers').selectAll().where('id', '=', offer.id).forUpdate().executeTakeFirstOrThrow();
    if (fresh.decryption !== 'pending' || fresh.status !== 'submitted') throw Errors.conflict('FINAL_OFFER_ALREADY_DECRYPTED', '该最后报价已解密', 'This final offer is already decrypted');
    await trx
      .updateTable('negotiation_final_offers')
      .set({ decryption: 'decrypted', decrypted_at: now, price_fen: priceFen, price_sheet: JSON.stringify(sheet), content_key: contentKeyText.trim().toLowerCase() })
      .where('id', '=', offer.id)
      .execute();
    const e = await appendLedger(
      trx,
      { type: 'negotiation.final_offer_decrypted', subjectType: 'final_offer', subjectId: offer.id, actorId: actor.accountId, payload: { tenderId, lotId: y.lot.id, bidderOrgId: offer.bidder_org_id, sha256: offer.sha256, priceFen } },
      now,
    );
    await bumpNegotiation(trx, y.lot.id, {}, now);
    await emitEvent(trx, { type: 'negotiation.final_offer_decrypted', payload: { tenderId, lotId: y.lot.id, finalOfferId: offer.id }, ledgerSeq: e.seq }, now);
    const pending = (await currentOffers(trx, y.lot.id)).some((o) => o.decryption === 'pending');
    if (!pending) await concludeFinalOffers(trx, y, now, ctx.config.ocidPrefix); // everyone is done: no need to wait for the window
    return { finalOfferId: offer.id, decryption: 'decrypted' as const, priceFen };
  });
}

/**
 * The decryption window ended (or every offer is decrypted): an offer not decrypted does not count (the supplier's key
 * is its own business, 电子招标投标办法 第三十一条 by analogy: 视为撤销); an offer above the budget does not count either
 * (74号令 第三十七条（三）"报价未超过采购预算的供应商不足3家"; 采购法 第三十六条（三）). Enough left → evaluation with these
 * prices; too few → the lot fails.
 */
export async function concludeFinalOffers(trx: Tx, x: Loaded, now: Date, ocidPrefix: string): Promise<void> {
  if (x.neg.stage !== 'decrypting') return;
  const offers = await currentOffers(trx, x.lot.id, true);
  let valid = 0;
  for (const o of offers) {
    const p = await getParticipant(trx, x.lot.id, o.bidder_org_id, true);
    if (!p || p.status !== 'active') continue;
    if (o.decryption === 'pending') {
      await trx.updateTable('negotiation_final_offers').set({ decryption: 'not_decrypted' }).where('id', '=', o.id).execute();
      await setParticipant(trx, x.lot.id, o.bidder_org_id, { status: 'not_decrypted', status_reason: '未在解密时限内解密最后报价，最后报价无效' }, now);
      await refundLeaver(trx, x, o.bidder_org_id, 'negotiation_not_decrypted', null, now);
      await appendLedger(trx, { type: 'negotiation.final_offer_not_decrypted', subjectType: 'final_offer', subjectId: o.id, actorId: null, payload: { tenderId: x.tender.id, lotId: x.lot.id, bidderOrgId: o.bidder_org_id } }, now);
    } else if (o.price_fen! > x.lot.estimate_fen) {
      await setParticipant(trx, x.lot.id, o.bidder_org_id, { status: 'over_budget', status_reason: `最后报价 ${yuan(o.price_fen!)} 元超过采购预算 ${yuan(x.lot.estimate_fen)} 元`, final_price_fen: o.price_fen }, now);
      await refundLeaver(trx, x, o.bidder_org_id, 'negotiation_over_budget', null, now);
    } else {
      await setParticipant(trx, x.lot.id, o.bidder_org_id, { status: 'final', status_reason: null, final_price_fen: o.price_fen }, now);
      valid++;
    }
  }
  if (valid < x.neg.min_final_offers) {
    await failLot(trx, x, `有效最后报价（未超过采购预算）不足${x.neg.min_final_offers}家（${valid}家），本次采购终止，应当重新开展采购活动（${minimumBasis(x)}）`, now, ocidPrefix);
    return;
  }
  await concludeLot(trx, x, null, now);
}

/** Readers of the final offers: the parties and overseers, after the deadline (see assertFinalOffersOpen). */
export async function readableFinalOffers(ctx: AppContext, actor: Actor, x: Loaded) {
  const viewer = await viewerOf(ctx.db, actor, x);
  assertFinalOffersOpen(x, ctx.clock.now());
  if (viewer === 'supplier') throw Errors.forbidden('供应商只能查看本单位的最后报价', 'A supplier sees only its own final offer');
  return viewer;
}
