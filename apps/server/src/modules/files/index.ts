import type { FastifyInstance } from 'fastify';
import { filesRoutes } from './files.routes';

/** Upload and download of files; storage, typing and access rules live in platform/files. */
export default async function filesModule(app: FastifyInstance) {
  await filesRoutes(app);
}
