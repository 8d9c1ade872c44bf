import type { Clock } from './clock';
import type { Config } from './config';
import type { DbHandle } from './db/database';
import type { FileStore } from './files/store';

/**
 * Everything a module needs from the platform, decorated on the Fastify instance as `app.ctx`.
 * Platform services add themselves here (files, notify, …) instead of modules constructing their own.
 */
export interface AppContext {
  config: Config;
  clock: Clock;
  handle: DbHandle;
  /** Convenience: `handle.db`. */
  db: DbHandle['db'];
  /** Content-addressed blob store (platform/files). */
  files: FileStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
