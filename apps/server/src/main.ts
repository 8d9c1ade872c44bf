import { loadConfig } from './platform/config';
import { createContext } from './platform/boot';
import { buildApp } from './app';
import { DataDirLockedError } from './platform/db/lock';
import { startBackground } from './platform/background';

async function main() {
  const config = loadConfig();
  const started = Date.now();
  const ctx = await createContext(config, { log: (m) => console.log(`[migrate] ${m}`) });
  const app = await buildApp({ ctx, logger: { level: config.logLevel } });
  const background = startBackground(app);
  const close = async () => {
    await background.stop();
    await app.close();
    await ctx.handle.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  const where = ctx.handle.engine === 'pglite' ? `PGlite ${config.dataDir}` : 'PostgreSQL';
  console.log(`一网交易 Yiwang 已启动 / started in ${Date.now() - started} ms: http://${config.host}:${config.port}  (${where})`);
}

main().catch((e: unknown) => {
  if (e instanceof DataDirLockedError) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
