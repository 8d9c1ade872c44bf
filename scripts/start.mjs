// `npm start`: build the web app if needed, bundle the server if its sources changed, then run the bundle in this
// same process (PGlite in ./data unless DATABASE_URL is set). YIWANG_START_FROM_SOURCE=1 runs
// apps/server/src/main.ts through tsx instead, as the tests do. Why: docs/adr/0014-startup.md.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureWebBuilt, root } from './web-build.mjs';
import { ensureServerBuilt } from './server-build.mjs';

ensureWebBuilt();
if (process.env.YIWANG_START_FROM_SOURCE === '1') {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts')], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  // Stack traces name the bundle's lines (each module is headed by its source path there). Source maps are written
  // but not loaded by default: reading the 10 MB map cost ~0.6 s CPU per start. NODE_OPTIONS=--enable-source-maps
  // npm start maps traces back to the TypeScript sources.
  await import(pathToFileURL(await ensureServerBuilt()).href);
}
