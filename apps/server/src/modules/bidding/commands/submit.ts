import { createHash, randomUUID, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SealedBidError, SealedBidVerifier, type PublicKeyRef, type SealedBidHeader, type Sha256Hasher, type VerifiedSealedBid } from '@yiwang/sdk/sealing';
import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { signingKey } from '../../../platform/ledger/keys';
import { biddingLotFor } from '../../tendering/index';
import { escrowMismatch, fromSealing } from '../bidding.errors';
import { requireBidderOrg } from '../bidding.policy';
import { signReceipt, type BidReceipt } from '../bidding.receipts';
import { currentBid, custodiansWithKeys, orgSigningKeys } from '../bidding.repo';

export interface SubmitInput {
  tenderId: string;
  lotNo: number;
  body: Readable;
  /** The digest the bidder's tool computed (SealSummary.digest): an upload that arrives different is refused. */
  digest?: string;
  deposit?: { kind: 'guarantee' | 'cash'; ref: string };
  maxBytes: number;
}

type Custodians = Awaited<ReturnType<typeof custodiansWithKeys>>;

/**
 * The escrow in the header must be the tender's: its k, and exactly one share per configured custodian, wrapped to
 * a key that custodian has registered, with the custodian's kind. Otherwise a bidder could escrow to keys nobody at
 * the opening holds (no recovery possible) or to fewer parties than the tender requires.
 */
export function checkEscrow(header: SealedBidHeader, k: number, custodians: Custodians): void {
  if (header.escrow.threshold !== k) throw escrowMismatch(`k is ${header.escrow.threshold}, the tender requires ${k}`, `门限为 ${header.escrow.threshold}，招标项目要求 ${k}`);
  if (header.escrow.shares.length !== custodians.length)
    throw escrowMismatch(`${header.escrow.shares.length} shares, the tender has ${custodians.length} custodians`, `托管份额 ${header.escrow.shares.length} 份，招标项目有 ${custodians.length} 名托管人`);
  const covered = new Set<string>();
  for (const s of header.escrow.shares) {
    const c = custodians.find((x) => x.keys.some((key) => key.fingerprint === s.custodian.fingerprint));
    if (!c || c.kind !== s.custodian.kind || covered.has(c.accountId))
      throw escrowMismatch(`share for key ${s.custodian.fingerprint.slice(0, 16)}… is not one of the tender's custodians`, '有托管份额不属于本项目的托管人');
    covered.add(c.accountId);
  }
}

function keyFor(header: SealedBidHeader, keys: Awaited<ReturnType<typeof orgSigningKeys>>): PublicKeyRef & { fingerprint: string } {
  const k = keys.find((x) => x.fingerprint === header.bidder.fingerprint && x.algorithm === header.bidder.algorithm);
  if (k) return { algorithm: k.algorithm, publicKey: k.public_key, fingerprint: k.fingerprint };
  if (!keys.length) throw new AppError('BID_NO_SIGNING_KEY', 400, '本单位尚未登记投标签名公钥', 'Your organisation has no registered bid-signing key', 'envelope');
  throw new SealedBidError('KEY_MISMATCH', 'the envelope is sealed with a key that is not registered for your organisation');
}

/**
 * SHA-256 from node:crypto (native, SHA-NI where the CPU has it) for the verifier, instead of the SDK's browser-safe
 * pure-JS default (~25× slower here). clone = Hash.copy(): the verifier takes the sealed digest from a copy at the end
 * of the ciphertext and goes on to hash the trailer, so one pass gives both the digest the bidder signed and the
 * file store's content hash (PutOptions.contentHash).
 */
function nodeSha256(h: Hash = createHash('sha256')): Sha256Hasher {
  return { update: (b) => h.update(b), digest: () => h.digest(), clone: () => nodeSha256(h.copy()) };
}

/** Verify the stream while it is stored: pieces pass to the store only after the verifier has taken them. */
async function* verifying(body: Readable, v: SealedBidVerifier): AsyncGenerator<Buffer> {
  for await (const piece of body as AsyncIterable<Buffer>) {
    await v.update(piece);
    yield piece;
  }
}

/**
 * 投标 (DOMAIN §4 step 5): store a sealed envelope while verifying it, then — in one transaction, with the server
 * clock read when the upload has completed — check the deadline again, refuse a duplicate, supersede the bidder's
 * previous envelope (投标文件的修改), record the bid, append the ledger entry (subject: the bid's random id, so the
 * ledger does not tell tender, lot or bidder) and sign the receipt naming that entry.
 */
export async function submitBid(ctx: AppContext, actor: Actor, input: SubmitInput): Promise<BidReceipt> {
  const orgId = requireBidderOrg(actor);
  // Early refusal (no body stored) when bidding is closed or the bidder may not bid; decided again at commit.
  const { tender, lot } = await ctx.db.transaction().execute((trx) => biddingLotFor(trx, actor, input.tenderId, input.lotNo, ctx.clock.now()));
  const [keys, custodians] = await Promise.all([orgSigningKeys(ctx.db, orgId), custodiansWithKeys(ctx.db, tender.id)]);
  let bidderKey: (PublicKeyRef & { fingerprint: string }) | undefined;
  const verifier = new SealedBidVerifier({
    maxBytes: input.maxBytes,
    hasher: nodeSha256,
    expect: { tenderId: tender.id, lotIds: [lot.id], ...(input.digest ? { digest: input.digest } : {}) },
    bidderKey: (header) => {
      if (header.lotIds.length !== 1) throw new SealedBidError('HEADER_MISMATCH', 'one envelope per lot: the header must name exactly this lot');
      checkEscrow(header, tender.escrow_k, custodians);
      bidderKey = keyFor(header, keys);
      return bidderKey;
    },
  });
  let verified: VerifiedSealedBid | undefined;
  let stored: { sha256: string; size: number };
  try {
    stored = await ctx.files.put(verifying(input.body, verifier), {
      maxBytes: input.maxBytes,
      // Structure, digest and the bidder's signature are checked here, before the blob becomes visible; the
      // verifier's hash of the whole envelope is the stored file's content hash (hashed once, not again by the store).
      contentHash: async () => {
        verified = await verifier.finish();
        return { sha256: verified.envelopeSha256, size: verified.size };
      },
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'PAYLOAD_TOO_LARGE') throw new AppError('BID_TOO_LARGE', 413, e.zh, e.en, 'envelope');
    throw fromSealing(e);
  }
  const v = verified!;
  const key = await signingKey(ctx.db, ctx.clock.now()); // outside the transaction (PGlite: one connection)

  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now(); // the upload has completed: this instant decides
    await biddingLotFor(trx, actor, tender.id, input.lotNo, now);
    const dup = await trx.selectFrom('bids').select('id').where('lot_id', '=', lot.id).where('sealed_digest', '=', v.digest).executeTakeFirst();
    if (dup) throw new AppError('BID_DUPLICATE', 409, '该投标文件已经递交过（同一密封文件不能重复递交）', 'This sealed envelope was already submitted', 'envelope');
    const prev = await currentBid(trx, lot.id, orgId, true);
    if (prev) await trx.updateTable('bids').set({ status: 'superseded', ended_at: now }).where('id', '=', prev.id).execute();
    const uploadId = await recordBlob(trx, actor, stored, now);
    const id = randomUUID();
    const entry = await appendLedger(
      trx,
      {
        type: 'bidding.bid_submitted',
        subjectType: 'bid',
        subjectId: id,
        actorId: actor.accountId,
        payload: { tenderId: tender.id, lotId: lot.id, bidderOrgId: orgId, sha256: stored.sha256, sealedDigest: v.digest, size: stored.size, supersedes: prev?.id ?? null },
      },
      now,
    );
    const receipt = signReceipt(key, {
      bidId: id,
      tenderId: tender.id,
      lotId: lot.id,
      bidderOrgId: orgId,
      envelopeSha256: stored.sha256,
      envelopeSize: stored.size,
      sealedDigest: v.digest,
      receivedAt: new Date(Math.floor(now.getTime())).toISOString(),
      supersedes: prev?.id ?? null,
      ledger: { seq: entry.seq, entryHash: entry.entryHash },
    });
    await trx
      .insertInto('bids')
      .values({
        id,
        tender_id: tender.id,
        lot_id: lot.id,
        bidder_org_id: orgId,
        submitted_by: actor.accountId,
        upload_id: uploadId,
        sha256: stored.sha256,
        sealed_digest: v.digest,
        size: stored.size,
        signature: v.signature,
        key_algorithm: bidderKey!.algorithm,
        key_fingerprint: bidderKey!.fingerprint,
        public_key: bidderKey!.publicKey,
        header: JSON.stringify(v.header),
        deposit_kind: input.deposit?.kind ?? null,
        deposit_ref: input.deposit?.ref ?? null,
        status: 'submitted',
        received_at: now,
        ended_at: null,
        ledger_seq: entry.seq,
        ledger_hash: entry.entryHash,
        receipt: JSON.stringify(receipt),
        decrypted_at: null,
        price_fen: null,
        duration_days: null,
        quality: null,
        price_sheet: null,
        content_key: null,
      })
      .execute();
    return receipt;
  });
}

/** The envelope as an upload of the bidder's organisation (readable by it; protected from blob clean-up). */
async function recordBlob(trx: DbOrTx, actor: Actor, stored: { sha256: string; size: number }, now: Date): Promise<string> {
  await trx.insertInto('files').values({ sha256: stored.sha256, size: stored.size, mime: 'application/vnd.yiwang.sealed-bid', created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const row = await trx
    .insertInto('file_uploads')
    .values({ sha256: stored.sha256, original_name: 'sealed-bid.ywsb', uploader_id: actor.accountId, org_id: actor.orgId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** 撤回投标文件 before the deadline (server time). The withdrawn envelope stays recorded. */
export async function withdrawBid(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number): Promise<{ bidId: string; withdrawnAt: string; ledger: { seq: number; entryHash: string } }> {
  const orgId = requireBidderOrg(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const { lot } = await biddingLotFor(trx, actor, tenderId, lotNo, now);
    const bid = await currentBid(trx, lot.id, orgId, true);
    if (!bid) throw new AppError('BID_NOT_FOUND', 404, '本单位在该标段没有有效的投标文件', 'Your organisation has no current bid for this lot');
    await trx.updateTable('bids').set({ status: 'withdrawn', ended_at: now }).where('id', '=', bid.id).execute();
    const entry = await appendLedger(trx, { type: 'bidding.bid_withdrawn', subjectType: 'bid', subjectId: bid.id, actorId: actor.accountId, payload: { withdrawnAt: now.toISOString() } }, now);
    return { bidId: bid.id, withdrawnAt: now.toISOString(), ledger: { seq: entry.seq, entryHash: entry.entryHash } };
  });
}
