import { Type, type Static } from 'typebox';
import { GUARANTEE_PROBLEM_TEXT } from './deposits.rules';
import type { BankRow, CreditRow, GuaranteeRow, RefundRow, RequirementRow, SubAccountRow } from './deposits.repo';
import type { LotViewer } from './deposits.policy';
import type { DepositStatus } from './status';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Text = Type.Object({ zh: Type.String(), en: Type.String() });

export const RequirementSchema = Type.Object({
  tenderId: Type.String(),
  lotId: Type.String(),
  lotLabel: Type.String(),
  requiredFen: Type.Integer(),
  cashAllowed: Type.Boolean(),
  revealAfter: Instant,
  bidValidUntil: Instant,
  beneficiaryName: Type.String(),
});

export const SubAccountSchema = Type.Object({
  id: Type.String(),
  bankCode: Type.String(),
  bankName: Type.String(),
  accountName: Type.String({ description: '收款户名（平台保证金专户）/ account holder' }),
  accountNo: Type.String({ description: '虚拟子账号 / virtual sub-account number' }),
  createdAt: Instant,
});

export const CreditSchema = Type.Object({
  id: Type.String(),
  bankCode: Type.String(),
  bankRef: Type.String(),
  amountFen: Type.Integer(),
  payerName: Type.String(),
  payerAccountNo: Type.Optional(Type.String()),
  creditedAt: Instant,
  payerNameMatches: Type.Boolean(),
  flags: Type.Array(Type.String()),
});

export const GuaranteeSchema = Type.Object({
  id: Type.String(),
  issuerCode: Type.String(),
  guaranteeNo: Type.String(),
  status: Type.Union([Type.Literal('verified'), Type.Literal('rejected'), Type.Literal('released')]),
  problems: Type.Array(Type.Object({ code: Type.String(), message: Text })),
  amountFen: Nullable(Type.Integer()),
  validUntil: Nullable(Instant),
  verifiedAt: Instant,
  releasedAt: Nullable(Instant),
});

export const RefundSchema = Type.Object({
  id: Type.String(),
  tenderId: Type.String(),
  lotId: Type.String(),
  lotLabel: Type.Optional(Type.String()),
  bidderOrgId: Type.String(),
  bidderName: Type.Optional(Type.String()),
  amountFen: Type.Integer(),
  reason: Type.String(),
  dueAt: Instant,
  period: Type.Object({ n: Type.Integer(), unit: Type.String() }),
  status: Type.Union([Type.Literal('open'), Type.Literal('done')]),
  overdue: Type.Boolean(),
  overdueAt: Nullable(Instant),
  doneAt: Nullable(Instant),
  late: Type.Boolean(),
  confirmedVia: Nullable(Type.String()),
  bankRef: Nullable(Type.String()),
  interestFen: Nullable(Type.Integer()),
  payerAccountNo: Type.Optional(Type.String()),
});

export const StatusSchema = Type.Object({
  status: Type.Union([Type.Literal('satisfied'), Type.Literal('missing'), Type.Literal('insufficient')]),
  by: Nullable(Type.String()),
  requiredFen: Type.Integer(),
  cashFen: Type.Integer(),
  flaggedCashFen: Type.Integer(),
  cashNotAllowedFen: Type.Integer(),
  guaranteeFen: Type.Integer(),
});

export const MineSchema = Type.Object({
  requirement: RequirementSchema,
  banks: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  subAccounts: Type.Array(SubAccountSchema),
  credits: Type.Array(CreditSchema),
  guarantees: Type.Array(GuaranteeSchema),
  refunds: Type.Array(RefundSchema),
  /** Credits applied to the price (转为价款, an auction's winner) instead of refunded. */
  applied: Type.Array(Type.Object({ creditId: Type.String(), amountFen: Type.Integer(), reason: Type.String(), appliedAt: Type.String() })),
  deposit: StatusSchema,
});

export const LotBidderSchema = Type.Object({
  bidderOrgId: Type.String(),
  bidderName: Type.String(),
  deposit: StatusSchema,
  credits: Type.Optional(Type.Array(CreditSchema)),
  guarantees: Type.Optional(Type.Array(GuaranteeSchema)),
  refunds: Type.Optional(Type.Array(RefundSchema)),
});
export const LotSchema = Type.Object({ requirement: RequirementSchema, bidders: Type.Array(LotBidderSchema) });

export function presentRequirement(r: RequirementRow): Static<typeof RequirementSchema> {
  return {
    tenderId: r.tender_id,
    lotId: r.lot_id,
    lotLabel: r.lot_label,
    requiredFen: r.required_fen,
    cashAllowed: r.cash_allowed,
    revealAfter: r.reveal_after.toISOString(),
    bidValidUntil: r.bid_valid_until.toISOString(),
    beneficiaryName: r.beneficiary_name,
  };
}

export function presentSubAccount(s: SubAccountRow, bank: BankRow | undefined): Static<typeof SubAccountSchema> {
  return {
    id: s.id,
    bankCode: s.bank_code,
    bankName: bank?.name ?? s.bank_code,
    accountName: bank?.master_account_name ?? '',
    accountNo: s.account_no,
    createdAt: s.created_at.toISOString(),
  };
}

/** `withPayerAccount`: the paying account number is for the bidder itself, finance and supervisors (条例 40 checks). */
export function presentCredit(c: CreditRow, withPayerAccount: boolean): Static<typeof CreditSchema> {
  return {
    id: c.id,
    bankCode: c.bank_code,
    bankRef: c.bank_ref,
    amountFen: c.amount_fen,
    payerName: c.payer_name,
    ...(withPayerAccount ? { payerAccountNo: c.payer_account_no } : {}),
    creditedAt: c.credited_at.toISOString(),
    payerNameMatches: c.payer_name_matches,
    flags: c.flags as string[],
  };
}

export function presentGuarantee(g: GuaranteeRow): Static<typeof GuaranteeSchema> {
  return {
    id: g.id,
    issuerCode: g.issuer_code,
    guaranteeNo: g.guarantee_no,
    status: g.status,
    problems: (g.problems as (keyof typeof GUARANTEE_PROBLEM_TEXT)[]).map((code) => ({
      code,
      message: GUARANTEE_PROBLEM_TEXT[code] ?? { zh: code, en: code },
    })),
    amountFen: g.amount_fen,
    validUntil: g.valid_until?.toISOString() ?? null,
    verifiedAt: g.verified_at.toISOString(),
    releasedAt: g.released_at?.toISOString() ?? null,
  };
}

export function presentRefund(
  r: RefundRow & { lot_label?: string },
  extra: { bidderName?: string; payerAccountNo?: string } = {},
): Static<typeof RefundSchema> {
  return {
    id: r.id,
    tenderId: r.tender_id,
    lotId: r.lot_id,
    ...(r.lot_label ? { lotLabel: r.lot_label } : {}),
    bidderOrgId: r.bidder_org_id,
    ...(extra.bidderName ? { bidderName: extra.bidderName } : {}),
    amountFen: r.amount_fen,
    reason: r.reason,
    dueAt: r.due_at.toISOString(),
    period: { n: r.period_n, unit: r.period_unit },
    status: r.status,
    overdue: r.overdue_at !== null,
    overdueAt: r.overdue_at?.toISOString() ?? null,
    doneAt: r.done_at?.toISOString() ?? null,
    late: r.done_at !== null && r.done_at.getTime() > r.due_at.getTime(),
    confirmedVia: r.confirmed_via,
    bankRef: r.bank_ref,
    interestFen: r.interest_fen,
    ...(extra.payerAccountNo ? { payerAccountNo: extra.payerAccountNo } : {}),
  };
}

export function presentStatus(s: DepositStatus): Static<typeof StatusSchema> {
  return {
    status: s.status,
    by: s.by,
    requiredFen: s.requiredFen,
    cashFen: s.cashFen,
    flaggedCashFen: s.flaggedCashFen,
    cashNotAllowedFen: s.cashNotAllowedFen,
    guaranteeFen: s.guaranteeFen,
  };
}

/**
 * One bidder's line in a lot listing (only ever built after the deadline). The tenderer and agency see the
 * status (as in the opening record); finance and supervisors see the facts, payer accounts included.
 */
export function presentLotBidder(
  viewer: LotViewer,
  b: {
    bidderOrgId: string;
    bidderName: string;
    status: DepositStatus;
    credits: CreditRow[];
    guarantees: GuaranteeRow[];
    refunds: RefundRow[];
  },
): Static<typeof LotBidderSchema> {
  const line = { bidderOrgId: b.bidderOrgId, bidderName: b.bidderName, deposit: presentStatus(b.status) };
  if (viewer === 'party') return line;
  const payer = new Map(b.credits.map((c) => [c.id, c.payer_account_no]));
  return {
    ...line,
    credits: b.credits.map((c) => presentCredit(c, true)),
    guarantees: b.guarantees.map(presentGuarantee),
    refunds: b.refunds.map((r) => presentRefund(r, { payerAccountNo: r.credit_id ? payer.get(r.credit_id) : undefined })),
  };
}
