import { loadConfig } from './platform/config';
import { createContext } from './platform/boot';
import { buildApp } from './app';
import { DataDirLockedError } from './platform/db/lock';
import { startBackground } from './platform/background';

async function main() {
  const config = loadConfig();
  const started = performance.now();
  // Where start-up time goes, printed with "started in" (docs/adr/0014-startup.md): a slow start says which step.
  const phases: string[] = [];
  let mark = started;
  const phase = (name: string, ms = performance.now() - mark) => {
    phases.push(`${name} ${Math.round(ms)}`);
    mark = performance.now();
  };
  const ctx = await createContext(config, { log: (m) => console.log(`[migrate] ${m}`), phase });
  mark = performance.now();
  const app = await buildApp({ ctx, logger: { level: config.logLevel }, lazySchemas: true });
  phase('app');
  const workers: { stop(): Promise<void> }[] = [];
  const close = async () => {
    for (const w of workers) await w.stop();
    await app.close();
    await ctx.handle.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  phase('listen');
  // Outbox, chronograph and checkpoints start once the server answers: nothing in them is needed to serve.
  workers.push(startBackground(app));
  const where = ctx.handle.engine === 'pglite' ? `PGlite ${config.dataDir}` : 'PostgreSQL';
  console.log(
    `一网交易 Yiwang 已启动 / started in ${Math.round(performance.now() - started)} ms (${phases.join(', ')}): http://${config.host}:${config.port}  (${where})`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof DataDirLockedError) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
