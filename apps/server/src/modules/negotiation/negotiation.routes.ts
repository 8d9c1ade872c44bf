import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor, type Actor } from '../../platform/auth/actor';
import { AppError } from '../../platform/http/errors';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { callFinalOffers, decryptFinalOffer, FINAL_OFFER_MAX_BYTES, readableFinalOffers, submitFinalOffer } from './commands/final-offers';
import { acknowledgeChange, eliminate, issueChange, recordRound, withdraw } from './commands/rounds';
import { ensureNegotiation, type Loaded } from './commands/shared';
import { answerObjection, confirmAgreement, declineAgreement, listObjections, proposeAgreement, raiseObjection } from './commands/single-source';
import { locate, negotiationNotFound, viewerOf } from './negotiation.policy';
import { NegotiationSchema, presentNegotiation } from './negotiation.presenter';
import { getNegotiation } from './negotiation.repo';
import { effectivePolicy, type TenderingProcedure } from '../tendering/index';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema, 422: ProblemSchema };
const LotParams = Type.Object({ tenderId: Uuid, lotNo: Type.Integer({ minimum: 1, maximum: 10_000 }) });
type LotP = { tenderId: string; lotNo: number };
const LOT = '/api/negotiation/tenders/:tenderId/lots/:lotNo';
const tags = ['negotiation'];
const Instant = Type.String({ format: 'date-time' });
const Text = (max: number) => Type.String({ minLength: 2, maxLength: max });
const body = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });

export async function negotiationRoutes(app: FastifyInstance) {
  const { ctx } = app;
  // A sealed final offer is the raw body (small: a price sheet and at most revised response documents).
  app.addContentTypeParser(['application/octet-stream', 'application/vnd.yiwang.sealed-bid'], { parseAs: 'buffer', bodyLimit: FINAL_OFFER_MAX_BYTES }, (_req, b, done) => done(null, b));

  /** Reads need no lock: locate the lot, start its negotiation if the outbox has not yet, read the row. */
  async function loaded(p: LotP): Promise<Loaded> {
    const l = await locate(ctx.db, p.tenderId, p.lotNo);
    let neg = await getNegotiation(ctx.db, l.lot.id);
    if (!neg && l.lot.status === 'negotiating') {
      await ctx.db.transaction().execute((trx) => ensureNegotiation(trx, l.lot.id, ctx.clock.now()));
      neg = await getNegotiation(ctx.db, l.lot.id);
    }
    if (!neg) throw negotiationNotFound();
    if (l.lot.status !== 'negotiating' && !['concluded', 'failed'].includes(neg.stage)) neg.stage = 'ended';
    return { ...l, neg, policy: await effectivePolicy(ctx.db, l.tender.procedure_type as TenderingProcedure) };
  }
  async function view(actor: Actor, p: LotP) {
    const x = await loaded(p);
    return presentNegotiation(ctx.db, actor, await viewerOf(ctx.db, actor, x), x, ctx.clock.now());
  }
  const lot = (req: FastifyRequest) => req.params as LotP;
  const withView = { 200: NegotiationSchema, ...errors };

  app.get(LOT, { schema: { tags, summary: '谈判（磋商、协商）阶段 / The negotiation stage of a lot', params: LotParams, response: withView } }, async (req) =>
    view(requireActor(req), lot(req)),
  );

  app.post(
    `${LOT}/rounds`,
    {
      schema: {
        tags,
        summary: '登记一轮谈判（磋商、协商）记录 / Record the minutes of one round with one supplier',
        params: LotParams,
        body: body({ roundNo: Type.Integer({ minimum: 1, maximum: 1000 }), bidderOrgId: Uuid, heldAt: Type.Optional(Instant), minutesText: Type.Optional(Type.String({ maxLength: 20_000 })), minutesFileId: Type.Optional(Uuid) }),
        response: withView,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await recordRound(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/changes`,
    {
      schema: {
        tags,
        summary: '发出书面变更通知（实质性变动，通知所有仍参加的供应商）/ Issue a written change to every supplier still in',
        params: LotParams,
        body: body({ text: Text(20_000), fileId: Type.Optional(Uuid), purchaserConfirmed: Type.Boolean({ description: '采购人代表已确认（74号令第三十二条）' }) }),
        response: withView,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await issueChange(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/changes/:changeId/acknowledge`,
    {
      schema: {
        tags,
        summary: '供应商确认收到变更通知 / A supplier acknowledges a change notice',
        params: Type.Object({ tenderId: Uuid, lotNo: Type.Integer({ minimum: 1, maximum: 10_000 }), changeId: Uuid }),
        response: { 200: Type.Object({ acknowledgedAt: Type.String() }), ...errors },
      },
    },
    async (req) => {
      const p = req.params as LotP & { changeId: string };
      return acknowledgeChange(ctx, requireActor(req), p.tenderId, p.lotNo, p.changeId);
    },
  );

  app.post(
    `${LOT}/eliminations`,
    {
      schema: {
        tags,
        summary: '淘汰未实质性响应的供应商并告知理由 / Eliminate a non-responsive supplier, telling it why',
        params: LotParams,
        body: body({ bidderOrgId: Uuid, reason: Text(2000) }),
        response: withView,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await eliminate(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/withdraw`,
    {
      schema: { tags, summary: '供应商在提交最后报价前退出（74号令第三十四条）/ A supplier withdraws before its final offer', params: LotParams, body: body({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }), response: withView },
    },
    async (req) => {
      const actor = requireActor(req);
      await withdraw(ctx, actor, lot(req).tenderId, lot(req).lotNo, (req.body ?? {}) as never);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/final-offers/call`,
    {
      schema: {
        tags,
        summary: '谈判（磋商）结束，要求最后报价并设定截止时间 / End the rounds: call for sealed final offers by a deadline',
        params: LotParams,
        body: body({
          deadline: Instant,
          minimumException: Type.Optional(body({ kind: Type.Union([Type.Literal('gp_two_suppliers_approved'), Type.Literal('research_project'), Type.Literal('government_services')]), note: Type.String({ maxLength: 2000 }) })),
          priceWeightPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: withView,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await callFinalOffers(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  app.put(
    `${LOT}/final-offer`,
    {
      schema: {
        tags,
        summary: '提交密封的最后报价（yiwang-sealed-bid/1 信封，截止前可替换）/ Submit the sealed final offer (replaceable until the deadline)',
        params: LotParams,
        querystring: Type.Object({ digest: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            format: Type.Literal('yiwang-final-offer-receipt/1'),
            finalOfferId: Type.String(),
            tenderId: Type.String(),
            lotId: Type.String(),
            bidderOrgId: Type.String(),
            envelopeSha256: Type.String(),
            envelopeSize: Type.Integer(),
            sealedDigest: Type.String(),
            receivedAt: Type.String(),
            supersedes: Type.Union([Type.String(), Type.Null()]),
            ledger: Type.Object({ seq: Type.Integer(), entryHash: Type.String() }),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const raw = req.body;
      if (!Buffer.isBuffer(raw)) {
        throw new AppError('FINAL_OFFER_FORMAT_INVALID', 400, '请以 application/octet-stream 上传密封的最后报价文件', 'Upload the sealed final offer as application/octet-stream', 'envelope');
      }
      const r = await submitFinalOffer(ctx, actor, lot(req).tenderId, lot(req).lotNo, raw, (req.query as { digest?: string }).digest);
      reply.code(201);
      return r;
    },
  );

  app.post(
    `${LOT}/final-offer/decrypt`,
    {
      schema: {
        tags,
        summary: '截止后解密本单位的最后报价（提交本地解出的内容密钥）/ Decrypt your own final offer after the deadline',
        params: LotParams,
        body: body({ contentKey: Type.String({ minLength: 64, maxLength: 64 }) }),
        response: { 200: Type.Object({ finalOfferId: Type.String(), decryption: Type.Literal('decrypted'), priceFen: Type.Integer() }), ...errors },
      },
    },
    async (req) => decryptFinalOffer(ctx, requireActor(req), lot(req).tenderId, lot(req).lotNo, (req.body as { contentKey: string }).contentKey),
  );

  app.get(
    `${LOT}/final-offers`,
    {
      schema: {
        tags,
        summary: '最后报价一览（截止前对任何人保密）/ The final offers — sealed from everyone until the deadline',
        params: LotParams,
        response: { 200: Type.Object({ items: NegotiationSchema.properties.finalOffers, count: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const x = await loaded(lot(req));
      const viewer = await readableFinalOffers(ctx, actor, x);
      const v = await presentNegotiation(ctx.db, actor, viewer, x, ctx.clock.now());
      return { items: v.finalOffers, count: v.finalOffers.length };
    },
  );

  app.post(
    `${LOT}/agreement`,
    {
      schema: {
        tags,
        summary: '单一来源：登记商定的成交价格与主要条款，待供应商确认 / Single source: record the agreed price and terms',
        params: LotParams,
        body: body({ priceFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 }), terms: Text(20_000), recordFileId: Type.Optional(Uuid) }),
        response: withView,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await proposeAgreement(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/agreement/confirm`,
    { schema: { tags, summary: '单一来源：供应商确认商定价格 / Single source: the supplier confirms the agreed price', params: LotParams, response: withView } },
    async (req) => {
      const actor = requireActor(req);
      await confirmAgreement(ctx, actor, lot(req).tenderId, lot(req).lotNo);
      return view(actor, lot(req));
    },
  );

  app.post(
    `${LOT}/agreement/decline`,
    {
      schema: { tags, summary: '单一来源：供应商不同意商定价格 / Single source: the supplier declines', params: LotParams, body: body({ reason: Text(2000) }), response: withView },
    },
    async (req) => {
      const actor = requireActor(req);
      await declineAgreement(ctx, actor, lot(req).tenderId, lot(req).lotNo, req.body as never);
      return view(actor, lot(req));
    },
  );

  const Objection = Type.Object({
    id: Type.String(),
    objector: Type.Union([Type.String(), Type.Null()]),
    mine: Type.Boolean(),
    text: Type.String(),
    raisedAt: Type.String(),
    status: Type.String(),
    answer: Type.Union([Type.String(), Type.Null()]),
    answeredAt: Type.Union([Type.String(), Type.Null()]),
  });

  app.post(
    '/api/negotiation/tenders/:tenderId/single-source-objections',
    {
      schema: {
        tags,
        summary: '对单一来源公示提出异议（公示期内，任何单位或个人）/ Object to a single-source publicity',
        params: Type.Object({ tenderId: Uuid }),
        body: body({ text: Text(5000) }),
        response: { 201: Type.Object({ id: Type.String(), raisedAt: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const r = await raiseObjection(ctx, requireActor(req), (req.params as { tenderId: string }).tenderId, req.body as never);
      reply.code(201);
      return r;
    },
  );

  app.get(
    '/api/negotiation/tenders/:tenderId/single-source-objections',
    { schema: { tags, summary: '单一来源公示的异议 / Objections to a single-source publicity', params: Type.Object({ tenderId: Uuid }), response: { 200: Type.Object({ items: Type.Array(Objection) }), ...errors } } },
    async (req) => ({ items: await listObjections(ctx, requireActor(req), (req.params as { tenderId: string }).tenderId) }),
  );

  app.post(
    '/api/negotiation/single-source-objections/:id/answer',
    {
      schema: {
        tags,
        summary: '答复单一来源公示异议（补充论证）/ Answer an objection after the supplementary review',
        params: Type.Object({ id: Uuid }),
        body: body({ decision: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]), text: Text(5000) }),
        response: { 200: Type.Object({ status: Type.String(), answeredAt: Type.String() }), ...errors },
      },
    },
    async (req) => answerObjection(ctx, requireActor(req), (req.params as { id: string }).id, req.body as never),
  );

}
