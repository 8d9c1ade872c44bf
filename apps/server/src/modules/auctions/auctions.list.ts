import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema } from '../../platform/http/schemas';
import { policyOf } from './auctions.rules';
import { AuctionSchema } from './auctions.presenter';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

// The single view's fields a list row carries (same definitions), plus the caller's own registration.
const FIELDS = ['id', 'title', 'policy', 'policyLabel', 'status', 'phase', 'registrationEndsAt', 'startsAt', 'endsAt', 'currentPriceFen', 'startPriceFen', 'bidCount'] as const;
const ItemSchema = Type.Object({
  ...(Object.fromEntries(FIELDS.map((k) => [k, AuctionSchema.properties[k]])) as { [K in (typeof FIELDS)[number]]: (typeof AuctionSchema.properties)[K] }),
  me: Nullable(Type.Object({ status: Type.String(), biddingNo: Nullable(Type.Integer()) })),
});

/**
 * The lists the web pages start from (additive to auctions.routes.ts): the public hall (`GET /api/auctions`, no login),
 * the organiser's own auctions (`?mine=organiser`) and the ones the caller applied to (`?mine=bidder`, with its status
 * and number). Same secrecy as the single view: no reserve, no bidder identities.
 */
export async function auctionListRoutes(app: FastifyInstance) {
  const { db } = app.ctx;
  app.get(
    '/api/auctions',
    {
      schema: {
        tags: ['auctions'],
        summary: '竞价项目列表（公开；mine=organiser 本方组织，mine=bidder 本方报名）/ Auctions (public; mine=organiser or mine=bidder)',
        querystring: Type.Object({ mine: Type.Optional(Type.Union([Type.Literal('organiser'), Type.Literal('bidder')])) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ItemSchema) }), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req) => {
      const mine = (req.query as { mine?: 'organiser' | 'bidder' }).mine;
      const orgId = mine ? requireActor(req).orgId : (req.actor?.orgId ?? null);
      let q = db
        .selectFrom('auctions as a')
        .leftJoin('auction_bidders as b', (j) => j.onRef('b.auction_id', '=', 'a.id').on('b.org_id', '=', orgId ?? '00000000-0000-0000-0000-000000000000'))
        .select([
          'a.id', 'a.title', 'a.policy', 'a.status', 'a.phase', 'a.registration_ends_at', 'a.starts_at', 'a.ends_at', 'a.current_price_fen', 'a.start_price_fen', 'a.bid_count',
          'b.status as my_status', 'b.bidding_no as my_no',
        ])
        .orderBy('a.created_at', 'desc')
        .limit(100);
      if (mine === 'organiser') q = q.where('a.organiser_org_id', '=', orgId ?? '00000000-0000-0000-0000-000000000000');
      if (mine === 'bidder') q = q.where('b.id', 'is not', null);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          policy: r.policy,
          policyLabel: policyOf(r.policy).label,
          status: r.status,
          phase: r.phase,
          registrationEndsAt: r.registration_ends_at.toISOString(),
          startsAt: r.starts_at.toISOString(),
          endsAt: r.ends_at.toISOString(),
          currentPriceFen: r.current_price_fen,
          startPriceFen: r.start_price_fen,
          bidCount: r.bid_count,
          me: r.my_status ? { status: r.my_status, biddingNo: r.my_no } : null,
        })),
      };
    },
  );
}
