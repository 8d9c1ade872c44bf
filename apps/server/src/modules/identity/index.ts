import type { FastifyInstance } from 'fastify';
import './identity.tables';
import { identityRoutes } from './identity.routes';
import { adminRoutes } from './admin.routes';
import { keyRoutes } from './keys.routes';

/** Identity and access (issue 2 §3): registration, organisation accounts, staff administration, API tokens, signing keys. */
export default async function identity(app: FastifyInstance): Promise<void> {
  await identityRoutes(app);
  await adminRoutes(app);
  await keyRoutes(app);
}
