import fs from 'node:fs';
import path from 'node:path';
import type { DbHandle } from './database';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../migrations');
const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function listMigrations(dir = MIGRATIONS_DIR): { version: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), file: path.join(dir, f) }));
}

/**
 * Forward-only, ordered SQL migrations, each applied in its own transaction together with its bookkeeping row,
 * so a failed migration leaves nothing behind. The same files run on PGlite and PostgreSQL 15.
 */
export async function migrate(handle: DbHandle, log: (msg: string) => void = () => {}): Promise<string[]> {
  await handle.execScript(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const done = new Set((await handle.db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
  const applied: string[] = [];
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    const body = fs.readFileSync(m.file, 'utf8');
    try {
      await handle.execScript(
        `BEGIN;\n${body}\n;INSERT INTO schema_migrations (version) VALUES ('${m.version}');\nCOMMIT;`,
      );
    } catch (e) {
      throw new Error(`migration ${m.version} failed: ${(e as Error).message}`, { cause: e });
    }
    log(`applied ${m.version}`);
    applied.push(m.version);
  }
  return applied;
}
