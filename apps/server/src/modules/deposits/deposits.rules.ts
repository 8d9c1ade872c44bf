import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Pure rules of deposits and guarantees: no database, no clock, no network. Everything here is unit-tested.
 */

/** How far a bank's timestamp may be from the server clock (either way) before the callback is refused. */
export const BANK_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Names as banks and registries write them differ in width and spacing: "厦门（鹭岛）建设有限公司" vs
 * "厦门(鹭岛)建设有限公司 ". NFKC folds full-width forms; whitespace is dropped; Latin letters are upper-cased.
 */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

export function namesMatch(a: string, b: string): boolean {
  return normaliseName(a) === normaliseName(b);
}

/** Luhn (mod 10) check digit over a digit string, as bank account numbers commonly carry. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(number: string): boolean {
  return /^[0-9]{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/**
 * A virtual sub-account number: the bank's prefix, 10 random digits, a Luhn check digit. Random, not sequential:
 * consecutive numbers would let a bidder count how many others asked for one (who bids is secret, DOMAIN §7).
 */
export function newSubAccountNumber(prefix: string, rand: (max: number) => number = (max) => randomInt(max)): string {
  let body = prefix;
  for (let i = 0; i < 10; i++) body += String(rand(10));
  return body + luhnCheckDigit(body);
}

/** The bytes a bank signs: `${timestamp}.${nonce}.` followed by the raw request body. */
export function bankSignature(secret: string, timestamp: string, nonce: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${nonce}.`).update(rawBody).digest('hex');
}

/** Constant-time comparison of a presented `v1=<hex>` signature header with the expected one. */
export function bankSignatureValid(secret: string, timestamp: string, nonce: string, rawBody: Buffer | string, header: string): boolean {
  const m = /^v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return false;
  const expected = Buffer.from(bankSignature(secret, timestamp, nonce, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'));
}

/** Parse the timestamp header: Unix seconds (as most bank gateways send) — anything else is refused. */
export function parseBankTimestamp(header: string): Date | undefined {
  if (!/^[0-9]{9,11}$/.test(header)) return undefined;
  return new Date(Number(header) * 1000);
}

export function withinSkew(t: Date, now: Date, skewMs = BANK_CLOCK_SKEW_MS): boolean {
  return Math.abs(t.getTime() - now.getTime()) <= skewMs;
}

// ---------------------------------------------------------------------------------------------------------------
// Guarantees

/** What an issuer's signed document says about a guarantee (see adapters/issuer.ts for the wire format). */
export interface GuaranteeDocument {
  guaranteeNo: string;
  issuerCode: string;
  status: 'valid' | 'revoked' | 'claimed';
  applicant: { name: string; uscc?: string | null };
  beneficiary: { name: string; uscc?: string | null };
  tenderId: string;
  lotId: string;
  amountFen: number;
  validFrom: string;
  validUntil: string;
}

export type GuaranteeProblem =
  | 'not_valid_status'
  | 'wrong_issuer'
  | 'wrong_number'
  | 'wrong_applicant'
  | 'wrong_beneficiary'
  | 'wrong_lot'
  | 'amount_too_small'
  | 'validity_too_short'
  | 'not_yet_valid';

export interface GuaranteeExpectation {
  issuerCode: string;
  guaranteeNo: string;
  tenderId: string;
  lotId: string;
  bidder: { name: string; uscc: string | null };
  beneficiary: { name: string; uscc: string | null };
  requiredFen: number;
  /** The end of the bid validity period: the guarantee must stay in force at least until then. */
  bidValidUntil: Date;
  now: Date;
}

/**
 * Does the issuer's document back this bid? A guarantee must name the tenderer as beneficiary, the bidder as
 * applicant, this lot, at least the required amount (条例 26 caps the deposit; the tender fixes it) and stay valid for
 * the whole bid validity period (条例 26: 投标保证金有效期应当与投标有效期一致). USCC is compared when both sides have one;
 * otherwise the normalised name decides.
 */
export function guaranteeProblems(doc: GuaranteeDocument, want: GuaranteeExpectation): GuaranteeProblem[] {
  const p: GuaranteeProblem[] = [];
  const party = (got: { name: string; uscc?: string | null }, exp: { name: string; uscc: string | null }) =>
    got.uscc && exp.uscc ? got.uscc.trim().toUpperCase() === exp.uscc.trim().toUpperCase() : namesMatch(got.name, exp.name);
  if (doc.status !== 'valid') p.push('not_valid_status');
  if (doc.issuerCode !== want.issuerCode) p.push('wrong_issuer');
  if (doc.guaranteeNo !== want.guaranteeNo) p.push('wrong_number');
  if (!party(doc.applicant, want.bidder)) p.push('wrong_applicant');
  if (!party(doc.beneficiary, want.beneficiary)) p.push('wrong_beneficiary');
  if (doc.tenderId !== want.tenderId || doc.lotId !== want.lotId) p.push('wrong_lot');
  if (!Number.isSafeInteger(doc.amountFen) || doc.amountFen < want.requiredFen) p.push('amount_too_small');
  const until = Date.parse(doc.validUntil);
  if (!Number.isFinite(until) || until < want.bidValidUntil.getTime()) p.push('validity_too_short');
  const from = Date.parse(doc.validFrom);
  if (!Number.isFinite(from) || from > want.now.getTime()) p.push('not_yet_valid');
  return p;
}

export const GUARANTEE_PROBLEM_TEXT: Record<
  GuaranteeProblem | 'signature_invalid' | 'not_found' | 'nonce_mismatch',
  { zh: string; en: string }
> = {
  not_valid_status: { zh: '保函已撤销或已索赔', en: 'the guarantee is revoked or claimed' },
  wrong_issuer: { zh: '出函机构不符', en: 'issued by another issuer' },
  wrong_number: { zh: '保函编号不符', en: 'the guarantee number differs' },
  wrong_applicant: { zh: '申请人不是本投标人', en: 'the applicant is not this bidder' },
  wrong_beneficiary: { zh: '受益人不是本项目招标人', en: 'the beneficiary is not the tenderer' },
  wrong_lot: { zh: '保函对应的项目或标段不符', en: 'it names another tender or lot' },
  amount_too_small: { zh: '担保金额低于应缴保证金', en: 'the amount is below the required deposit' },
  validity_too_short: { zh: '有效期短于投标有效期', en: 'it expires before the bid validity period ends' },
  not_yet_valid: { zh: '保函尚未生效', en: 'it is not yet in force' },
  signature_invalid: { zh: '出函机构签名验证失败（疑似伪造）', en: 'the issuer signature does not verify (possibly forged)' },
  not_found: { zh: '出函机构查无此保函', en: 'the issuer knows no such guarantee' },
  nonce_mismatch: { zh: '出函机构应答不是本次查询的应答', en: 'the issuer answer does not belong to this query' },
};

// ---------------------------------------------------------------------------------------------------------------
// Status for bids

export interface CreditFact {
  amountFen: number;
  payerNameMatches: boolean;
  creditedAt: Date;
}
export interface GuaranteeFact {
  id: string;
  amountFen: number;
  validUntil: Date;
}

export interface DepositVerdict {
  status: 'satisfied' | 'missing' | 'insufficient';
  /** What satisfies the requirement, when satisfied. */
  by: 'guarantee' | 'cash' | 'none_required' | null;
  requiredFen: number;
  /** Cash credited from the bidder's own accounts (counts). */
  cashFen: number;
  /** Cash from accounts whose holder is not the bidder (does not count; flagged for review). */
  flaggedCashFen: number;
  /** Cash that arrived but cannot count because this lot allows no cash deposit. */
  cashNotAllowedFen: number;
  guaranteeId: string | null;
  guaranteeFen: number;
}

/**
 * Decide whether a bidder's deposit for one lot is in place. A verified guarantee of at least the required amount
 * (valid through `validThrough` when given) satisfies; otherwise, if cash is allowed, the sum of matching credits
 * up to `asOf`. Cash from a third party's account does not count (the deposit must come from the bidder's own
 * account — 条例 40 treats one account paying for several bidders as collusion). 采购条例 33 bans cash deposits in
 * government procurement: the caller says whether cash is allowed.
 */
export function decideDeposit(input: {
  requiredFen: number;
  cashAllowed: boolean;
  credits: CreditFact[];
  guarantees: GuaranteeFact[];
  asOf?: Date;
  validThrough?: Date;
}): DepositVerdict {
  const credits = input.asOf ? input.credits.filter((c) => c.creditedAt.getTime() <= input.asOf!.getTime()) : input.credits;
  const own = credits.filter((c) => c.payerNameMatches).reduce((s, c) => s + c.amountFen, 0);
  const flagged = credits.filter((c) => !c.payerNameMatches).reduce((s, c) => s + c.amountFen, 0);
  const usable = input.guarantees.filter((g) => !input.validThrough || g.validUntil.getTime() >= input.validThrough.getTime());
  const best = usable.reduce<GuaranteeFact | null>((b, g) => (!b || g.amountFen > b.amountFen ? g : b), null);
  const base = {
    requiredFen: input.requiredFen,
    cashFen: input.cashAllowed ? own : 0,
    flaggedCashFen: input.cashAllowed ? flagged : 0,
    cashNotAllowedFen: input.cashAllowed ? 0 : own + flagged,
    guaranteeId: best?.id ?? null,
    guaranteeFen: best?.amountFen ?? 0,
  };
  if (input.requiredFen === 0) return { ...base, status: 'satisfied', by: 'none_required' };
  if (best && best.amountFen >= input.requiredFen) return { ...base, status: 'satisfied', by: 'guarantee' };
  if (input.cashAllowed && own >= input.requiredFen) return { ...base, status: 'satisfied', by: 'cash' };
  const anything = best !== null || (input.cashAllowed && own + flagged > 0) || input.guarantees.length > 0;
  return { ...base, status: anything ? 'insufficient' : 'missing', by: null };
}
