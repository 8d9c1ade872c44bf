import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('PGlite data directory ownership', () => {
  it('refuses a second process on the same data directory with a clear message, and frees it on close', async () => {
    const first = await openDatabase({ dataDir: dir });
    // A real second process, as an operator starting Yiwang twice would.
    const script = `import('${path.join(import.meta.dirname, 'database.ts')}').then(m => m.openDatabase({ dataDir: ${JSON.stringify(dir)} })).then(() => { console.log('OPENED'); process.exit(0) }, e => { console.log(e.message); process.exit(3) })`;
    const second = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(3);
    expect(second.stdout).toContain('已被进程');
    expect(second.stdout).toContain(`in use by process ${process.pid}`);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('takes over a lock left behind by a process that no longer exists', async () => {
    fs.writeFileSync(path.join(dir, 'yiwang.lock'), '999999');
    const db = await openDatabase({ dataDir: dir });
    await db.close();
  });

});
