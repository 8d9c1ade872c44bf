import type { DbOrTx } from '../../platform/db/database';
import type { SigningKey } from '../../platform/ledger/keys';
import { publicKeys, rawPublicKeyHex } from '../../platform/ledger/keys';
// The receipt format lives in the SDK so bidders verify with the very code the platform signs with.
import { BID_RECEIPT_FORMAT, receiptMessage, verifyBidReceipt, type BidReceipt } from '@yiwang/sdk/bid-receipt';

export { BID_RECEIPT_FORMAT, type BidReceipt };

export function signReceipt(key: SigningKey, r: Omit<BidReceipt, 'signature' | 'keyId' | 'format'>): BidReceipt {
  const body = { format: BID_RECEIPT_FORMAT, ...r, keyId: key.id } as const;
  return { ...body, signature: key.sign(receiptMessage(body)) };
}

export interface ReceiptCheck {
  valid: boolean;
  signatureValid: boolean;
  /** The ledger entry at receipt.ledger.seq exists and has the receipt's entry hash. */
  ledgerMatches: boolean;
  /** The platform still holds a bid row matching the receipt (hash, size, time). */
  recordMatches: boolean;
}

/**
 * Check a receipt: the platform signature (with the key named by keyId), the ledger position, and the bid record.
 * Says nothing beyond yes/no per check, so it can be public: a receipt holder already knows what it names.
 */
export async function checkReceipt(db: DbOrTx, receipt: BidReceipt): Promise<ReceiptCheck> {
  const pem = (await publicKeys(db)).get(receipt.keyId);
  const signatureValid = !!pem && verifyBidReceipt(receipt, rawPublicKeyHex(pem));
  const entry = Number.isSafeInteger(receipt.ledger?.seq)
    ? await db.selectFrom('ledger_entries').select(['entry_hash', 'subject_id']).where('seq', '=', receipt.ledger.seq).executeTakeFirst()
    : undefined;
  const ledgerMatches = !!entry && entry.entry_hash === receipt.ledger.entryHash && entry.subject_id === receipt.bidId;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const bid = UUID.test(receipt.bidId ?? '') ? await db.selectFrom('bids').select(['sha256', 'size', 'received_at', 'tender_id', 'lot_id', 'bidder_org_id']).where('id', '=', receipt.bidId).executeTakeFirst() : undefined;
  const recordMatches =
    !!bid &&
    bid.sha256 === receipt.envelopeSha256 &&
    bid.size === receipt.envelopeSize &&
    bid.received_at.toISOString() === receipt.receivedAt &&
    bid.tender_id === receipt.tenderId &&
    bid.lot_id === receipt.lotId &&
    bid.bidder_org_id === receipt.bidderOrgId;
  return { valid: signatureValid && ledgerMatches && recordMatches, signatureValid, ledgerMatches, recordMatches };
}
