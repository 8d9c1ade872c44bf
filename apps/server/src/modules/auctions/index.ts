import type { FastifyInstance } from 'fastify';
import './auctions.tables';
import './commands/close'; // registers the chronograph handlers (phase end, pre-emption window end)
import { auctionRoutes } from './auctions.routes';
import { auctionListRoutes } from './auctions.list';
import { auctionResultRoutes } from './auctions.results.routes';

/**
 * 网络竞价 / 拍卖 / 挂牌 / 国有产权转让 (issue 5): set-up and registration, the serialised bidding engine, the close
 * (chronograph), and the live room over WebSocket with LISTEN/NOTIFY across nodes. Design: docs/adr/0018-auctions.md.
 */
export default async function auctionsModule(app: FastifyInstance): Promise<void> {
  await auctionRoutes(app);
  await auctionListRoutes(app);
  await auctionResultRoutes(app);
}

export { POLICIES, type PolicyCode } from './auctions.rules';
