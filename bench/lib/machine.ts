import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { ADMIN_URL } from './pgdb';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage1m: number;
  os: string;
  node: string;
  postgres: string | null;
  pglite: string | null;
  gitCommit: string | null;
  date: string;
}

let cached: Promise<Omit<MachineInfo, 'date' | 'loadAverage1m'>> | undefined;

/** Describe the machine a report was measured on, so figures from different machines are never compared blind. */
export async function machineInfo(): Promise<MachineInfo> {
  cached ??= (async () => {
    let postgres: string;
    try {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      postgres = (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
      await c.end();
    } catch (e) {
      postgres = `unavailable: ${(e as Error).message}`;
    }
    let pglite: string | null;
    try {
      const { createRequire } = await import('node:module');
      const req = createRequire(import.meta.url);
      const dir = path.dirname(req.resolve('@electric-sql/pglite')).replace(/(node_modules\/@electric-sql\/pglite)\/.*$/, '$1');
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
      pglite = `@electric-sql/pglite ${pkg.version}`;
    } catch {
      pglite = null;
    }
    let gitCommit: string | null;
    try {
      gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      gitCommit = null;
    }
    const cpus = os.cpus();
    return {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres,
      pglite,
      gitCommit,
    };
  })();
  return { ...(await cached), loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100, date: new Date().toISOString() };
}
