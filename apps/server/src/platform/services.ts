import type { FastifyInstance } from 'fastify';
import { ledgerRoutes } from './ledger/ledger.routes';
import { notifyRoutes } from './notify/notify.routes';
// Side-effect imports: processors and job handlers that platform services register.
import './notify/notify';

/** HTTP surface of the platform services (ledger, notifications). Registered once by app.ts under the auth hook. */
export async function platformServices(app: FastifyInstance): Promise<void> {
  await ledgerRoutes(app);
  await notifyRoutes(app);
}
