import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { AuctionErrors as E } from './auctions.errors';
import { AuctionSchema, EventSchema, presentAuction, presentEvent } from './auctions.presenter';
import { eventsAfter, getAuction } from './auctions.repo';
import { LiveRooms, startAuctionListener } from './auctions.live';
import { placeBid, type BidInput } from './commands/bid';
import { applyToBid, claimNumber, createAuction, decideApplication, assertOrganiser, type CreateAuctionInput } from './commands/setup';
import { exercisePreemption } from './commands/close';
import { ownNumber } from './commands/numbers';

const tags = ['auctions'];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const Id = Type.Object({ id: Uuid });
const Fen = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Instant = Type.String({ format: 'date-time' });

export async function auctionRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  // @fastify/websocket is registered once in app.ts for every module's live routes.
  const stopListener = await startAuctionListener(ctx.handle, app.log);
  const rooms = new LiveRooms(ctx.db, (r) => JSON.stringify({ type: 'event', ...presentEvent(r), serverTime: ctx.clock.now().toISOString() }));
  app.addHook('onClose', async () => stopListener());

  async function view(req: FastifyRequest, id: string) {
    const a = await getAuction(ctx.db, id);
    if (!a) throw E.notFound();
    const me = req.actor?.orgId
      ? ((await ctx.db.selectFrom('auction_bidders').select(['id', 'status', 'bidding_no']).where('auction_id', '=', id).where('org_id', '=', req.actor.orgId).executeTakeFirst()) ?? null)
      : null;
    const winnerNo = a.winner_bidder_id
      ? ((await ctx.db.selectFrom('auction_bidders').select('bidding_no').where('id', '=', a.winner_bidder_id).executeTakeFirst())?.bidding_no ?? null)
      : null;
    return presentAuction(a, ctx.clock.now(), me, winnerNo);
  }

  app.post(
    '/api/auctions',
    {
      schema: {
        tags,
        summary: '创建竞价项目（交易中心/代理机构）/ Create an auction or listing (organiser)',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            policy: Type.Union([Type.Literal('auction'), Type.Literal('listing'), Type.Literal('online'), Type.Literal('state_equity')]),
            industry: Type.String({ minLength: 1, maxLength: 64 }),
            regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
            startPriceFen: Fen,
            incrementFen: Fen,
            reserveFen: Type.Optional(Type.Union([Type.Null(), Fen])),
            depositFen: Fen,
            registrationEndsAt: Instant,
            startsAt: Instant,
            firstPhaseEndsAt: Instant,
            countdownSeconds: Type.Integer(),
            maxExtensionSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 7 * 86400 })),
            preemptionOrgId: Type.Optional(Type.Union([Type.Null(), Uuid])),
            preemptionWindowSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86400 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ id: Type.String() }), ...problems },
      },
    },
    async (req) => createAuction(ctx, requireActor(req), req.body as CreateAuctionInput),
  );

  app.get(
    '/api/auctions/:id',
    { schema: { tags, summary: '竞价项目（公开，竞买人仅以号牌显示）/ An auction (public; bidders shown by number only)', params: Id, response: { 200: AuctionSchema, ...problems } } },
    async (req) => view(req, (req.params as { id: string }).id),
  );

  app.get(
    '/api/auctions/:id/events',
    {
      schema: {
        tags,
        summary: '竞价事件（自某序号之后）/ The room events after a sequence number',
        params: Id,
        querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { 200: Type.Object({ serverTime: Type.String(), events: Type.Array(EventSchema) }), ...problems },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      if (!(await getAuction(ctx.db, id))) throw E.notFound();
      const rows = await eventsAfter(ctx.db, id, (req.query as { after?: number }).after ?? 0);
      return { serverTime: ctx.clock.now().toISOString(), events: rows.map(presentEvent) };
    },
  );

  app.post(
    '/api/auctions/:id/applications',
    {
      schema: {
        tags,
        summary: '竞买报名（提交资格材料）/ Apply to bid, with qualification materials',
        params: Id,
        body: Type.Object({ materialFileIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ applicationId: Type.String(), status: Type.String() }), ...problems },
      },
    },
    async (req) => applyToBid(ctx, requireActor(req), (req.params as { id: string }).id, (req.body as { materialFileIds: string[] }).materialFileIds),
  );

  app.get(
    '/api/auctions/:id/applications',
    {
      schema: {
        tags,
        summary: '竞买申请列表（组织方）/ Applications (organiser)',
        params: Id,
        response: {
          200: Type.Array(Type.Object({ applicationId: Type.String(), orgId: Type.String(), status: Type.String(), biddingNo: Type.Union([Type.Integer(), Type.Null()]), materialFileIds: Type.Array(Type.String()), appliedAt: Type.String() })),
          ...problems,
        },
      },
    },
    async (req) => {
      const orgId = assertOrganiser(requireActor(req));
      const id = (req.params as { id: string }).id;
      const a = await getAuction(ctx.db, id);
      if (!a) throw E.notFound();
      if (a.organiser_org_id !== orgId) throw E.notOrganiser();
      const rows = await ctx.db.selectFrom('auction_bidders').selectAll().where('auction_id', '=', id).orderBy('applied_at').execute();
      return rows.map((r) => ({ applicationId: r.id, orgId: r.org_id, status: r.status, biddingNo: r.bidding_no, materialFileIds: r.material_file_ids as string[], appliedAt: r.applied_at.toISOString() }));
    },
  );

  app.post(
    '/api/auctions/:id/applications/:applicationId/decision',
    {
      schema: {
        tags,
        summary: '审核竞买申请（组织方）/ Approve or reject an application (organiser)',
        params: Type.Object({ id: Uuid, applicationId: Uuid }),
        body: Type.Object({ approve: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ applicationId: Type.String(), status: Type.String(), biddingNo: Type.Union([Type.Integer(), Type.Null()]) }), ...problems },
      },
    },
    async (req) => {
      const p = req.params as { id: string; applicationId: string };
      return decideApplication(ctx, requireActor(req), p.id, p.applicationId, req.body as { approve: boolean; reason?: string });
    },
  );

  app.post(
    '/api/auctions/:id/number',
    { schema: { tags, summary: '领取竞买号牌（保证金到账后）/ Get my bidding number once the deposit is confirmed', params: Id, response: { 200: Type.Object({ biddingNo: Type.Integer() }), ...problems } } },
    async (req) => claimNumber(ctx, requireActor(req), (req.params as { id: string }).id),
  );

  app.post(
    '/api/auctions/:id/bids',
    {
      schema: {
        tags,
        summary: '出价（以服务器时间为准；同一 clientBidId 重试幂等）/ Bid (server time rules; a retry with the same clientBidId is idempotent)',
        params: Id,
        body: Type.Object(
          {
            amountFen: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
            clientBidId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
            clientTime: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ auctionId: Type.String(), bidSeq: Type.Integer(), eventSeq: Type.Integer(), biddingNo: Type.Integer(), amountFen: Type.Integer(), placedAt: Type.String(), endsAt: Type.String(), replayed: Type.Boolean() }),
          ...problems,
        },
      },
    },
    async (req) => placeBid(ctx, requireActor(req), (req.params as { id: string }).id, req.body as BidInput),
  );

  app.post(
    '/api/auctions/:id/preemption',
    { schema: { tags, summary: '优先购买权人以最高价成交 / The pre-emption holder matches the final price', params: Id, response: { 200: Type.Object({ status: Type.String(), finalPriceFen: Type.Integer() }), ...problems } } },
    async (req) => exercisePreemption(ctx, requireActor(req), (req.params as { id: string }).id),
  );

  // The live room. Query `after` = the last seq the client holds; it first receives every event after it (from the
  // events table), then each new one, in seq order, each as {type:'event', seq, price, leaderNo, endsAt, serverTime,
  // event}. Anyone may watch (the public view): bidders appear as numbers only and the reserve is never sent.
  app.get(
    '/api/auctions/:id/live',
    { websocket: true, schema: { tags, summary: '竞价室实时推送（WebSocket，可断点续传）/ The live room (WebSocket, resumable)', params: Id, querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }) } },
    (socket, req) => {
      const id = (req.params as { id: string }).id;
      const after = (req.query as { after?: number }).after ?? 0;
      // The room sends ready-made frames (one JSON.stringify per event per node, not per socket).
      const sock = {
        closed: false,
        send: (frame: string) => {
          if (!sock.closed) socket.send(frame);
        },
      };
      let leave = () => {};
      socket.on('close', () => {
        sock.closed = true;
        leave();
      });
      void (async () => {
        // The hello tells a signed-in bidder its own number (only its own: the room shows everyone else as numbers).
        const [a, myNo] = await Promise.all([getAuction(ctx.db, id), ownNumber(ctx.db, id, req.actor?.orgId)]);
        if (sock.closed) return;
        if (!a) {
          sock.send(JSON.stringify({ type: 'error', code: 'AUCTION_NOT_FOUND', status: 404 }));
          socket.close();
          return;
        }
        sock.send(JSON.stringify({ type: 'hello', auctionId: id, lastSeq: a.event_seq, myNo, resumeFrom: after, serverTime: ctx.clock.now().toISOString() }));
        leave = rooms.join(id, sock, after, a.event_seq);
      })().catch((err: unknown) => {
        req.log.warn({ err }, 'live room: join failed');
        socket.close();
      });
    },
  );
}
