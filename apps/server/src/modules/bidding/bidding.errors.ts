import { isSealedBidError } from '@yiwang/sdk/sealing';
import { AppError } from '../../platform/http/errors';

/**
 * Stable error codes of the bidding module. Sealing failures keep the SDK's code behind a `BID_` prefix, so a client
 * can act on them and a test can assert them: BID_SIGNATURE_INVALID, BID_KEY_MISMATCH, BID_DIGEST_MISMATCH,
 * BID_HEADER_MISMATCH, BID_TRUNCATED (no trailer: unsigned), BID_FORMAT_INVALID (not a sealed bid), BID_TOO_LARGE,
 * BID_WRONG_CONTENT_KEY, BID_CHUNK_AUTH_FAILED, BID_ESCROW_INSUFFICIENT …
 */
const STATUS: Record<string, number> = { TOO_LARGE: 413, WRONG_CONTENT_KEY: 422, UNWRAP_FAILED: 422, ESCROW_INSUFFICIENT: 422 };

export function fromSealing(e: unknown): unknown {
  if (!isSealedBidError(e)) return e;
  return new AppError(`BID_${e.code}`, STATUS[e.code] ?? 400, e.zh, e.message, 'envelope');
}

/**
 * Before the deadline every question about a lot's bids gets this one answer, decided from the lot's status and the
 * server clock only — never from whether a bid exists — so tenderer, staff, regulators and other bidders cannot
 * tell "no bids" from "bids" (DOMAIN §7; 招标投标法 第二十二条).
 */
export const bidsSecret = () =>
  new AppError(
    'BIDS_SECRET_UNTIL_DEADLINE',
    403,
    '投标截止前，投标人名单、投标数量及投标文件对任何人保密（招标投标法第二十二条）',
    'Who bid, how many and every bid are secret from everyone until the bid deadline (Tendering Law art. 22)',
  );

export const noBid = () => new AppError('BID_NOT_FOUND', 404, '本单位在该标段没有有效的投标文件', 'Your organisation has no current bid for this lot');

export const escrowMismatch = (en: string, zh: string) => new AppError('BID_ESCROW_MISMATCH', 400, `密钥托管设置与招标项目不符：${zh}`, `The escrow in the header is not the tender's: ${en}`, 'envelope');
