import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { decryptOwnBid, lotOf } from './commands/decrypt';
import { declareIncident, recoveryView, submitShare } from './commands/recovery';
import { answerOpeningObjection, raiseOpeningObjection } from './commands/objections';
import { presentRoom, RoomSchema } from './bidding.presenter';
import { getRoom } from './bidding.repo';
import { LotParams, type LotParamsT } from './bidding.routes';
import { ensureRoom } from './opening.room';
import { onChange } from './opening.live';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const Text = Type.String({ minLength: 1, maxLength: 5000 });

export async function openingRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  /** The room for a reader; opens it first if the lot reached its opening but the outbox has not run yet. */
  async function room(req: Parameters<typeof requireActor>[0], p: LotParamsT) {
    const actor = requireActor(req);
    const { lot, viewer } = await lotOf(ctx.db, actor, p.tenderId, p.lotNo);
    if (lot.status === 'opening' && !(await getRoom(ctx.db, lot.id))) {
      await ctx.db.transaction().execute((trx) => ensureRoom(trx, ctx, lot.id, ctx.clock.now()));
    }
    const fresh = (await ctx.db.selectFrom('tender_lots').selectAll().where('id', '=', lot.id).executeTakeFirstOrThrow());
    return presentRoom(ctx.db, actor, viewer, fresh, ctx.clock.now());
  }

  app.get(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/opening',
    { schema: { tags: ['bidding'], summary: '开标室（轮询）/ The opening room (polling)', params: LotParams, response: { 200: RoomSchema, ...problems } } },
    async (req) => room(req, req.params as LotParamsT),
  );

  // WebSocket: the same view pushed on every change. Server → client only:
  //   {"type":"room","room":RoomView}   on connect and whenever room.version changes
  //   {"type":"error","code":…,"status":…} then close (e.g. BIDS_SECRET_UNTIL_DEADLINE before the deadline)
  app.get('/api/bidding/tenders/:tenderId/lots/:lotNo/opening/live', { websocket: true, schema: { tags: ['bidding'], summary: '开标室实时推送（WebSocket）/ The opening room, live (WebSocket)', params: LotParams } }, (socket, req) => {
    const p = req.params as LotParamsT;
    let last = -1;
    let busy = false;
    let closed = false;
    const push = async () => {
      if (busy || closed) return;
      busy = true;
      try {
        const view = await room(req, p);
        if (view.version !== last && !closed) {
          last = view.version;
          socket.send(JSON.stringify({ type: 'room', room: view }));
        }
      } catch (e) {
        const err = e as { code?: string; status?: number };
        socket.send(JSON.stringify({ type: 'error', code: err.code ?? 'INTERNAL', status: err.status ?? 500 }));
        socket.close();
      } finally {
        busy = false;
      }
    };
    let off = () => {};
    void (async () => {
      try {
        const { lot } = await lotOf(ctx.db, requireActor(req), p.tenderId, p.lotNo);
        off = onChange(lot.id, () => void push());
      } catch {
        // push() below reports the error and closes
      }
      await push();
    })();
    const timer = setInterval(() => void push(), 1000);
    socket.on('close', () => {
      closed = true;
      clearInterval(timer);
      off();
    });
  });

  app.post(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/opening/decrypt',
    {
      schema: {
        tags: ['bidding'],
        summary: '投标人远程解密 / Decrypt my bid: send the content key unwrapped on my device',
        params: LotParams,
        body: Type.Object({ contentKey: Type.String({ minLength: 1, maxLength: 200, description: 'encodeContentKey(unwrapContentKey(header, myKey)): 64 hex' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ bidId: Type.String(), decryption: Type.String(), priceFen: Type.Integer(), durationDays: Type.Union([Type.Integer(), Type.Null()]), quality: Type.Union([Type.String(), Type.Null()]) }), ...problems },
      },
    },
    async (req) => {
      const p = req.params as LotParamsT;
      return decryptOwnBid(ctx, requireActor(req), p.tenderId, p.lotNo, (req.body as { contentKey: string }).contentKey);
    },
  );

  app.post(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/opening/incident',
    {
      schema: {
        tags: ['bidding'],
        summary: '登记平台故障（交易中心）/ Declare a platform incident for this opening (center staff)',
        params: LotParams,
        body: Type.Object({ reason: Text }, { additionalProperties: false }),
        response: { 200: Type.Object({ declaredAt: Type.String(), reason: Type.String() }), ...problems },
      },
    },
    async (req) => {
      const p = req.params as LotParamsT;
      return declareIncident(ctx, requireActor(req), p.tenderId, p.lotNo, (req.body as { reason: string }).reason);
    },
  );

  app.get(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/opening/recovery',
    {
      schema: {
        tags: ['bidding'],
        summary: '密钥托管恢复：待恢复的投标文件（托管人）/ Bids under escrow recovery, with headers (custodians)',
        params: LotParams,
        response: { 200: Type.Object({ status: Type.Union([Type.String(), Type.Null()]), recoveryEndsAt: Type.Union([Type.String(), Type.Null()]), bids: Type.Array(Type.Object({ bidId: Type.String(), bidder: Type.String(), header: Type.Unknown(), shareSubmitted: Type.Boolean() })) }), ...problems },
      },
    },
    async (req) => {
      const p = req.params as LotParamsT;
      return recoveryView(ctx, requireActor(req), p.tenderId, p.lotNo);
    },
  );

  app.post(
    '/api/bidding/bids/:bidId/escrow-share',
    {
      schema: {
        tags: ['bidding'],
        summary: '提交托管密钥份额（托管人）/ Hand in my escrow share of a bid (custodian)',
        params: Type.Object({ bidId: Uuid }),
        body: Type.Object({ share: Type.String({ minLength: 1, maxLength: 200, description: 'encodeShare(unwrapEscrowShare(header, myKey).share)' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ bidId: Type.String(), shares: Type.Integer(), needed: Type.Integer(), recovered: Type.Boolean() }), ...problems },
      },
    },
    async (req) => submitShare(ctx, requireActor(req), (req.params as { bidId: string }).bidId, (req.body as { share: string }).share),
  );

  const ObjectionSchema = Type.Object({ id: Type.String(), raisedAt: Type.Union([Type.String(), Type.Unknown()]), answeredAt: Type.Union([Type.String(), Type.Null(), Type.Unknown()]) });
  app.post(
    '/api/bidding/tenders/:tenderId/lots/:lotNo/opening/objections',
    {
      schema: {
        tags: ['bidding'],
        summary: '开标现场异议（投标人）/ Object to the opening on the spot (bidder)',
        params: LotParams,
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 201: ObjectionSchema, ...problems },
      },
    },
    async (req, reply) => {
      const p = req.params as LotParamsT;
      const r = await raiseOpeningObjection(ctx, requireActor(req), p.tenderId, p.lotNo, (req.body as { text: string }).text);
      return reply.status(201).send({ id: r.id, raisedAt: r.raised_at.toISOString(), answeredAt: null });
    },
  );

  app.post(
    '/api/bidding/opening-objections/:id/answer',
    {
      schema: {
        tags: ['bidding'],
        summary: '答复开标异议（招标人/代理机构）/ Answer an objection to the opening (tenderer or agency)',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 200: ObjectionSchema, ...problems },
      },
    },
    async (req) => {
      const r = await answerOpeningObjection(ctx, requireActor(req), (req.params as { id: string }).id, (req.body as { text: string }).text);
      return { id: r.id, raisedAt: r.raised_at.toISOString(), answeredAt: r.answered_at?.toISOString() ?? null };
    },
  );
}
