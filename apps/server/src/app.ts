import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import fs from 'node:fs';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './platform/context';
import { installErrorHandling } from './platform/http/errors';
import { lazyCompilers } from './platform/http/lazy-schemas';
import { ProblemSchema } from './platform/http/schemas';
import { authPlugin } from './platform/auth/plugin';
import { platformServices } from './platform/services';
import { modules } from './modules/index';
import { ledgerSealer } from './platform/ledger/sealer';

export interface BuildOptions {
  ctx: AppContext;
  logger?: boolean | object;
  /** Compile each route's schemas on its first use rather than at start-up (main.ts; see http/lazy-schemas.ts). */
  lazySchemas?: boolean;
}

/** Build the HTTP application. Tests call this and use `app.inject`; main.ts calls it and listens. */
export async function buildApp({ ctx, logger = false, lazySchemas = false }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    ...(lazySchemas ? { schemaController: { compilersFactory: lazyCompilers() } } : {}),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('ctx', ctx);
  installErrorHandling(app);
  // Chain the ledger entries this request's committed transaction recorded before the client hears back, so a
  // client (or test) that reads the ledger after a response sees them (ADR 0003, "Batched appends"). Concurrent
  // requests share one seal round. A failure here must not fail a request whose change is already committed: the
  // background sealer retries within a second.
  const sealer = ledgerSealer(ctx.db);
  app.addHook('onSend', async (request, _reply, payload) => {
    try {
      await sealer.flushIfRecorded();
    } catch (e) {
      request.log.error(e, 'ledger seal failed; the background sealer will retry');
    }
    return payload;
  });
  app.addSchema(ProblemSchema);

  await app.register(cookie);
  // Opt-in per route (`config.rateLimit`): only the unauthenticated routes that cost an Argon2 hash use it.
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 10, fields: 50 } });
  // Once for the whole app: each registration adds its own 'upgrade' listener, so a second one would route every
  // WebSocket upgrade twice (the opening room and the auction room both live under it).
  await app.register(websocket);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Yiwang 一网交易 API', version: '0.1.0', description: '公共资源交易平台开放接口 / Public resource trading platform API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'yw_session' }, token: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(async (scoped) => {
    await authPlugin(scoped);
    scoped.get('/api/health', { schema: { tags: ['platform'], summary: '健康检查 / Health' } }, async () => {
      await ctx.db.selectFrom('schema_migrations').select('version').limit(1).execute();
      return { status: 'ok', engine: ctx.handle.engine, time: ctx.clock.now().toISOString() };
    });
    await scoped.register(platformServices);
    for (const m of modules) await scoped.register(m.plugin);
  });

  // The built web app (single-page): static files, and index.html for any non-API path.
  const index = path.join(ctx.config.webDist, 'index.html');
  if (fs.existsSync(index)) {
    await app.register(fastifyStatic, { root: ctx.config.webDist, wildcard: false });
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.callNotFound();
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}
