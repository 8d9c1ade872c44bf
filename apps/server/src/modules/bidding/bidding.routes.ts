import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { Errors } from '../../platform/http/errors';
import { getObtain } from '../tendering/index';
import { submitBid, withdrawBid } from './commands/submit';
import { lotOf } from './commands/decrypt';
import { requireBidderOrg, viewerOf } from './bidding.policy';
import { MyBidsSchema, ReceiptSchema, myBids, presentRoom, RoomSchema } from './bidding.presenter';
import { checkReceipt, type BidReceipt } from './bidding.receipts';
import { custodiansWithKeys } from './bidding.repo';

export const LotParams = Type.Object({ tenderId: Uuid, lotNo: Type.Integer({ minimum: 1 }) });
export type LotParamsT = { tenderId: string; lotNo: number };
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema };

/** Bid-specific upload limit: YIWANG_MAX_BID_BYTES, else the platform's upload limit. */
export function maxBidBytes(configured: number): number {
  const v = Number(process.env.YIWANG_MAX_BID_BYTES);
  return Number.isSafeInteger(v) && v > 0 ? v : configured;
}

export async function biddingRoutes(app: FastifyInstance) {
  const ctx = app.ctx;
  // The envelope is the raw request body, streamed (never buffered): this scope only, passed through untouched.
  app.addContentTypeParser(['application/octet-stream', 'application/vnd.yiwang.sealed-bid'], (_req, payload, done) => done(null, payload));

  app.get(
    '/api/bidding/tenders/:tenderId/sealing',
    {
      schema: {
        tags: ['bidding'],
        summary: '密封投标参数（标段、托管人公钥、门限）/ What a bid must be sealed to: lots, custodians’ keys, k',
        params: Type.Object({ tenderId: Uuid }),
        response: {
          200: Type.Object({
            tenderId: Type.String(),
            lots: Type.Array(Type.Object({ lotNo: Type.Integer(), lotId: Type.String(), bidDeadline: Type.String(), status: Type.String() })),
            escrow: Type.Object({
              k: Type.Integer(),
              custodians: Type.Array(Type.Object({ kind: Type.String(), accountId: Type.String(), label: Type.String(), algorithm: Type.Union([Type.String(), Type.Null()]), publicKey: Type.Union([Type.String(), Type.Null()]) })),
            }),
          }),
          ...problems,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { tenderId } = req.params as { tenderId: string };
      const orgId = requireBidderOrg(actor);
      const { tender } = await viewerOf(ctx.db, actor, tenderId);
      if (!(await getObtain(ctx.db, tenderId, orgId))) throw Errors.forbidden('须先获取招标文件', 'Obtain the documents first');
      const lots = await ctx.db.selectFrom('tender_lots').select(['id', 'lot_no', 'bid_deadline', 'status']).where('tender_id', '=', tenderId).orderBy('lot_no').execute();
      const custodians = await custodiansWithKeys(ctx.db, tenderId);
      return {
        tenderId: tender.id,
        lots: lots.map((l) => ({ lotNo: l.lot_no, lotId: l.id, bidDeadline: l.bid_deadline.toISOString(), status: l.status })),
        escrow: {
          k: tender.escrow_k,
          custodians: custodians.map((c) => ({ kind: c.kind, accountId: c.accountId, label: c.displayName, algorithm: c.keys[0]?.algorithm ?? null, publicKey: c.keys[0]?.publicKey ?? null })),
        },
      };
    },
  );

  app.put(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/bid',
    {
      schema: {
        tags: ['bidding'],
        summary: '递交（或修改）密封投标文件，流式上传 / Submit or replace a sealed bid (streamed application/octet-stream body)',
        description:
          'Body: the yiwang-sealed-bid/1 envelope. Verified while it streams to the file store; the deadline is checked by the server clock when the upload completes. Returns the platform-signed receipt naming the ledger entry.',
        params: LotParams,
        querystring: Type.Object(
          {
            digest: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SealSummary.digest: refuse the upload if it arrives different' })),
            depositKind: Type.Optional(Type.Union([Type.Literal('guarantee'), Type.Literal('cash')])),
            depositRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '保函编号 or bank transfer reference' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReceiptSchema, ...problems },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { tenderId, lotNo } = req.params as LotParamsT;
      const q = req.query as { digest?: string; depositKind?: 'guarantee' | 'cash'; depositRef?: string };
      if (!(req.body && typeof (req.body as Readable).pipe === 'function'))
        throw Errors.validation('envelope', '请以 application/octet-stream 上传密封投标文件', 'Upload the sealed envelope as application/octet-stream', 'BID_BODY_REQUIRED');
      if (!!q.depositKind !== !!q.depositRef) throw Errors.validation('depositRef', '保证金类型与凭证号须同时提供', 'Give depositKind and depositRef together');
      const receipt = await submitBid(ctx, actor, {
        tenderId,
        lotNo,
        body: req.body as Readable,
        digest: q.digest,
        deposit: q.depositKind ? { kind: q.depositKind, ref: q.depositRef! } : undefined,
        maxBytes: maxBidBytes(ctx.config.maxUploadBytes),
      });
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/bid',
    { schema: { tags: ['bidding'], summary: '本单位在该标段的投标文件及回执 / My organisation’s bid on this lot, with receipts', params: LotParams, response: { 200: MyBidsSchema, ...problems } } },
    async (req) => {
      const actor = requireActor(req);
      const orgId = requireBidderOrg(actor);
      const { tenderId, lotNo } = req.params as LotParamsT;
      const { lot } = await lotOf(ctx.db, actor, tenderId, lotNo);
      return myBids(ctx.db, lot.id, orgId);
    },
  );

  app.delete(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/bid',
    {
      schema: {
        tags: ['bidding'],
        summary: '撤回投标文件（投标截止前）/ Withdraw the bid before the deadline',
        params: LotParams,
        response: { 200: Type.Object({ bidId: Type.String(), withdrawnAt: Type.String(), ledger: Type.Object({ seq: Type.Integer(), entryHash: Type.String() }) }), ...problems },
      },
    },
    async (req) => {
      const { tenderId, lotNo } = req.params as LotParamsT;
      return withdrawBid(ctx, requireActor(req), tenderId, lotNo);
    },
  );

  app.get(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/bids',
    {
      schema: {
        tags: ['bidding'],
        summary: '标段投标人名单（投标截止后）/ The lot’s bids — refused to everyone before the deadline',
        params: LotParams,
        response: { 200: Type.Object({ items: RoomSchema.properties.bids, count: Type.Integer() }), ...problems },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { tenderId, lotNo } = req.params as LotParamsT;
      const { lot, viewer } = await lotOf(ctx.db, actor, tenderId, lotNo);
      const room = await presentRoom(ctx.db, actor, viewer, lot, ctx.clock.now());
      return { items: room.bids, count: room.bids.length };
    },
  );

  app.post(
    '/api/bidding/receipts/verify',
    {
      schema: {
        tags: ['bidding'],
        summary: '验证投标回执 / Verify a bid receipt (platform signature, ledger position, bid record)',
        body: Type.Object({ receipt: Type.Unknown() }, { additionalProperties: false }),
        response: { 200: Type.Object({ valid: Type.Boolean(), signatureValid: Type.Boolean(), ledgerMatches: Type.Boolean(), recordMatches: Type.Boolean() }), 400: ProblemSchema },
      },
    },
    async (req) => {
      const r = (req.body as { receipt: unknown }).receipt;
      if (!r || typeof r !== 'object') return { valid: false, signatureValid: false, ledgerMatches: false, recordMatches: false };
      return checkReceipt(ctx.db, r as BidReceipt);
    },
  );
}
