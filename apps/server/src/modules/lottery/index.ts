import type { FastifyInstance } from 'fastify';
import '../../platform/lottery/index'; // registers the chronograph's reveal job
import { lotteryRoutes } from './lottery.routes';

/**
 * The lottery's HTTP surface (issue 4): public draw records and verification, and the draws the trading center runs
 * by hand (seats, remote secondary venues, tie-breaks). The service itself is platform/lottery, which business modules
 * (experts) call directly. Design: docs/adr/0015-verifiable-lottery.md.
 */
export default async function lotteryModule(app: FastifyInstance): Promise<void> {
  await lotteryRoutes(app);
}
