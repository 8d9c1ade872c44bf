import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { contentDisposition, findUpload } from '../../platform/files/index';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { AuctionErrors as E } from './auctions.errors';
import { getAuction } from './auctions.repo';

const tags = ['auctions'];
const problems = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const Id = Type.Object({ id: Uuid });

/** Around the bidding: the bidder's own number, and the 成交确认书 for the two parties (ADR 0018 "Close"). */
export async function auctionResultRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  app.get(
    '/api/auctions/:id/number',
    {
      schema: {
        tags,
        summary: '我的竞买号牌（报名截止时随机抽取）/ My bidding number (drawn at random when registration ends)',
        params: Id,
        response: {
          200: Type.Object({ biddingNo: Type.Union([Type.Integer(), Type.Null()]), status: Type.String(), drawAt: Type.String(), drawnAt: Type.Union([Type.String(), Type.Null()]), drawId: Type.Union([Type.String(), Type.Null()]) }),
          ...problems,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await getAuction(ctx.db, (req.params as { id: string }).id);
      if (!a) throw E.notFound();
      const b = actor.orgId ? await ctx.db.selectFrom('auction_bidders').select(['status', 'bidding_no']).where('auction_id', '=', a.id).where('org_id', '=', actor.orgId).executeTakeFirst() : undefined;
      if (!b) throw E.notRegistered();
      return { biddingNo: b.bidding_no, status: b.status, drawAt: a.registration_ends_at.toISOString(), drawnAt: a.numbers_drawn_at?.toISOString() ?? null, drawId: a.numbers_draw_id };
    },
  );

  app.get(
    '/api/auctions/:id/confirmation.pdf',
    { schema: { tags, summary: '下载成交确认书（组织方与买受人）/ Download the confirmation of sale (organiser and buyer)', params: Id, response: problems } },
    async (req, reply) => {
      const actor = requireActor(req);
      const a = await getAuction(ctx.db, (req.params as { id: string }).id);
      if (!a) throw E.notFound();
      const winner = a.winner_bidder_id ? await ctx.db.selectFrom('auction_bidders').select('org_id').where('id', '=', a.winner_bidder_id).executeTakeFirst() : undefined;
      // The buyer's name is in it: the two parties only (拍卖法 第五十二条: they sign it), not other bidders or the public.
      if (!actor.orgId || (actor.orgId !== a.organiser_org_id && actor.orgId !== winner?.org_id)) throw E.notParty();
      if (!a.confirmation_file_id) throw E.noConfirmation();
      const meta = await findUpload(ctx.db, a.confirmation_file_id);
      if (!meta) throw E.noConfirmation();
      return reply
        .header('content-type', 'application/pdf')
        .header('content-length', String(meta.size))
        .header('content-disposition', contentDisposition(meta.name))
        .header('x-content-type-options', 'nosniff')
        .header('repr-digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`)
        .send(await ctx.files.get(meta.sha256));
    },
  );
}
