#!/usr/bin/env node
// yiwang-bid: the bidder's sealing CLI. Runs the TypeScript through tsx (resolved from this package, so it works
// from any working directory) — no build step, as apps/server/bin/yiwang.mjs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
const here = path.dirname(fileURLToPath(import.meta.url));
const r = spawnSync(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), path.join(here, '../src/cli/yiwang-bid.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
