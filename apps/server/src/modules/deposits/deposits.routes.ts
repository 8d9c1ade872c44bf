import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { canSupervise } from '../../platform/auth/policies';
import { AppError } from '../../platform/http/errors';
import { ProblemSchema } from '../../platform/http/schemas';
import { attachGuarantee } from './commands/guarantees';
import { issueSubAccount } from './commands/cash';
import { applicationsOf } from './commands/apply';
import { GUARANTEE_PROBLEM_TEXT } from './deposits.rules';
import {
  creditsOf,
  getRequirement,
  guaranteesOf,
  listBanks,
  orgNames,
  refundsOf,
  sharedPayerAccounts,
  subAccountsOf,
  type LotKey,
} from './deposits.repo';
import { assertBidder, assertLotReader, isFinance, lotUnknown, sealed } from './deposits.policy';
import {
  GuaranteeSchema,
  LotSchema,
  MineSchema,
  SubAccountSchema,
  presentCredit,
  presentGuarantee,
  presentLotBidder,
  presentRefund,
  presentRequirement,
  presentStatus,
  presentSubAccount,
} from './deposits.presenter';
import { depositStatus } from './status';

const tags = ['deposits'];
const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
  502: ProblemSchema,
};
const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const LotParams = Type.Object({ tenderId: Key, lotId: Key });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' });

export async function depositRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.ctx;

  app.get(
    '/api/deposits/lots/:tenderId/:lotId/mine',
    {
      schema: {
        tags,
        summary: '本单位在该标段的保证金 / My deposit for a lot (bidder)',
        params: LotParams,
        response: { 200: MineSchema, ...errors },
      },
    },
    async (req) => {
      const lot = req.params as LotKey;
      const bidderOrgId = assertBidder(requireActor(req), lot);
      const r = await getRequirement(db, lot);
      if (!r) throw lotUnknown();
      const k = { ...lot, bidderOrgId };
      const [banks, subs, credits, guarantees, refunds, applied, status] = await Promise.all([
        listBanks(db, false),
        subAccountsOf(db, k),
        creditsOf(db, k),
        guaranteesOf(db, k),
        refundsOf(db, k),
        applicationsOf(db, k),
        depositStatus(db, { ...k, requiredFen: r.required_fen, cashAllowed: r.cash_allowed, validThrough: r.bid_valid_until }),
      ]);
      const bank = new Map(banks.map((b) => [b.code, b]));
      const payer = new Map(credits.map((c) => [c.id, c.payer_account_no]));
      return {
        requirement: presentRequirement(r),
        banks: r.cash_allowed ? banks.filter((b) => b.active).map((b) => ({ code: b.code, name: b.name })) : [],
        subAccounts: subs.map((s) => presentSubAccount(s, bank.get(s.bank_code))),
        credits: credits.map((c) => presentCredit(c, true)),
        guarantees: guarantees.map(presentGuarantee),
        refunds: refunds.map((x) => presentRefund(x, { payerAccountNo: x.credit_id ? payer.get(x.credit_id) : undefined })),
        applied: applied.map((x) => ({ creditId: x.credit_id, amountFen: x.amount_fen, reason: x.reason, appliedAt: x.applied_at.toISOString() })),
        deposit: presentStatus(status),
      };
    },
  );

  app.post(
    '/api/deposits/lots/:tenderId/:lotId/sub-accounts',
    {
      schema: {
        tags,
        summary: '申请保证金虚拟子账号 / Get the virtual sub-account to pay a cash deposit into (bidder)',
        params: LotParams,
        body: Type.Object({ bankCode: Type.Optional(Code) }, { additionalProperties: false }),
        response: { 200: SubAccountSchema, ...errors },
      },
    },
    async (req) => {
      const s = await issueSubAccount(
        db,
        requireActor(req),
        req.params as LotKey,
        (req.body as { bankCode?: string } | undefined)?.bankCode,
        clock.now(),
      );
      const bank = (await listBanks(db, false)).find((b) => b.code === s.bank_code);
      return presentSubAccount(s, bank);
    },
  );

  app.post(
    '/api/deposits/lots/:tenderId/:lotId/guarantees',
    {
      schema: {
        tags,
        summary: '提交电子保函并向出函机构核验 / Attach an electronic guarantee, verified with its issuer (bidder)',
        params: LotParams,
        body: Type.Object(
          { issuerCode: Code, guaranteeNo: Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) },
          { additionalProperties: false },
        ),
        response: { 201: GuaranteeSchema, ...errors },
      },
    },
    async (req, reply) => {
      const g = await attachGuarantee(
        db,
        requireActor(req),
        req.params as LotKey,
        req.body as { issuerCode: string; guaranteeNo: string },
        () => clock.now(),
      );
      if (g.status === 'rejected') {
        // The attempt is on file (committed); the bidder is told why, as an error with every reason.
        const problems = g.problems as (keyof typeof GUARANTEE_PROBLEM_TEXT)[];
        throw new AppError(
          'GUARANTEE_REJECTED',
          422,
          `保函未通过核验：${problems.map((p) => GUARANTEE_PROBLEM_TEXT[p].zh).join('；')}`,
          `The guarantee failed verification: ${problems.map((p) => GUARANTEE_PROBLEM_TEXT[p].en).join('; ')}`,
          'guaranteeNo',
          { problems, guaranteeId: g.id },
        );
      }
      return reply.status(201).send(presentGuarantee(g));
    },
  );

  app.get(
    '/api/deposits/lots/:tenderId/:lotId',
    {
      schema: {
        tags,
        summary: '标段保证金一览（投标截止后）/ Deposits of a lot, after the bid deadline',
        params: LotParams,
        response: { 200: LotSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const lot = req.params as LotKey;
      const r = await getRequirement(db, lot);
      if (!r) throw lotUnknown();
      const viewer = assertLotReader(actor, r, clock.now());
      const [credits, guarantees, refunds] = await Promise.all([creditsOf(db, lot), guaranteesOf(db, lot), refundsOf(db, lot)]);
      const ids = [...new Set([...credits.map((c) => c.bidder_org_id), ...guarantees.map((g) => g.bidder_org_id)])].sort();
      const names = await orgNames(db, ids);
      const bidders = [];
      for (const id of ids) {
        const status = await depositStatus(db, {
          ...lot,
          bidderOrgId: id,
          requiredFen: r.required_fen,
          cashAllowed: r.cash_allowed,
          asOf: r.reveal_after,
          validThrough: r.bid_valid_until,
        });
        const mine = <T extends { bidder_org_id: string }>(xs: T[]) => xs.filter((x) => x.bidder_org_id === id);
        bidders.push(
          presentLotBidder(viewer, {
            bidderOrgId: id,
            bidderName: names.get(id) ?? '',
            status,
            credits: mine(credits),
            guarantees: mine(guarantees),
            refunds: mine(refunds),
          }),
        );
      }
      return { requirement: presentRequirement(r), bidders };
    },
  );

  app.get(
    '/api/deposits/tenders/:tenderId/signals',
    {
      schema: {
        tags,
        summary:
          '保证金异常信号（同一账户为多家缴纳、户名不符；投标截止后，监管与财务）/ Deposit signals after the deadline (supervisors, finance)',
        params: Type.Object({ tenderId: Key }),
        response: {
          200: Type.Object({
            sharedPayerAccounts: Type.Array(
              Type.Object({
                payerAccountNo: Type.String(),
                bidders: Type.Array(Type.Object({ orgId: Type.String(), name: Type.String() })),
                lots: Type.Array(Type.String()),
              }),
            ),
            payerNameMismatches: Type.Array(
              Type.Object({
                creditId: Type.String(),
                lotId: Type.String(),
                bidderOrgId: Type.String(),
                bidderName: Type.String(),
                payerName: Type.String(),
                payerAccountNo: Type.String(),
                amountFen: Type.Integer(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { tenderId } = req.params as { tenderId: string };
      const now = clock.now();
      const lots = await db.selectFrom('deposit_requirements').selectAll().where('tender_id', '=', tenderId).execute();
      if (lots.length === 0) throw lotUnknown();
      // Every lot of the tender must be past its deadline: the signals name bidders across lots.
      const latest = lots.reduce((a, b) => (b.reveal_after > a.reveal_after ? b : a));
      if (now.getTime() < latest.reveal_after.getTime()) throw sealed(latest.reveal_after);
      if (!isFinance(actor) && !lots.every((l) => canSupervise(actor, { industry: l.industry, region: l.region_code }))) {
        throw new AppError(
          'FORBIDDEN_ROLE',
          403,
          '此信息仅供交易中心财务与有管辖权的监管部门查看',
          'Only center finance and supervisors with jurisdiction see these signals',
        );
      }
      const shared = await sharedPayerAccounts(db, tenderId);
      const mismatched = await db
        .selectFrom('deposit_credits')
        .selectAll()
        .where('tender_id', '=', tenderId)
        .where('payer_name_matches', '=', false)
        .orderBy('credited_at')
        .execute();
      const names = await orgNames(db, [...new Set([...shared.flatMap((s) => s.bidders), ...mismatched.map((m) => m.bidder_org_id)])]);
      return {
        sharedPayerAccounts: shared.map((s) => ({
          payerAccountNo: s.payer_account_no,
          bidders: s.bidders.map((b) => ({ orgId: b, name: names.get(b) ?? '' })),
          lots: s.lots,
        })),
        payerNameMismatches: mismatched.map((m) => ({
          creditId: m.id,
          lotId: m.lot_id,
          bidderOrgId: m.bidder_org_id,
          bidderName: names.get(m.bidder_org_id) ?? '',
          payerName: m.payer_name,
          payerAccountNo: m.payer_account_no,
          amountFen: m.amount_fen,
        })),
      };
    },
  );
}
