import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DbHandle } from '../../apps/server/src/platform/db/database';
import { REPO_ROOT } from '../../apps/server/src/platform/config';

/**
 * Finds the platform's ledger verifier without naming it in advance (it is being written in parallel): the first
 * exported function whose name starts with "verify" in apps/server/src/platform/ledger/*.ts (tests excluded).
 * Adapt `call` here if its signature or result differs from the guesses below.
 */
export interface VerifierCall {
  found: true;
  ok: boolean | null;
  entries?: number;
  result: unknown;
  error?: string;
}

const DIR = path.join(REPO_ROOT, 'apps/server/src/platform/ledger');

export async function findVerifier(): Promise<{ name?: string; fn?: (h: DbHandle) => Promise<VerifierCall>; looked: string }> {
  const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')) : [];
  const looked = `looked for an exported verify* function in ${files.map((f) => `platform/ledger/${f}`).join(', ') || 'platform/ledger'}`;
  for (const f of files.sort((a, b) => Number(b.includes('verify')) - Number(a.includes('verify')))) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path.join(DIR, f)).href)) as Record<string, unknown>;
    } catch {
      continue; // a file mid-edit by its author
    }
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || !/^verify/i.test(name)) continue;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      return {
        name: `${f}:${name}`,
        looked,
        fn: async (h) => {
          try {
            const result = await fn(h.db);
            return { found: true, ok: interpretOk(result), entries: interpretCount(result), result: summarise(result) };
          } catch (e) {
            return { found: true, ok: false, result: null, error: (e as Error).message };
          }
        },
      };
    }
  }
  return { looked };
}

function interpretOk(r: unknown): boolean | null {
  if (typeof r === 'boolean') return r;
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    for (const k of ['ok', 'valid', 'intact']) if (typeof o[k] === 'boolean') return o[k] as boolean;
    if (Array.isArray(o.errors)) return o.errors.length === 0;
    if ('firstBad' in o || 'brokenAt' in o) return (o.firstBad ?? o.brokenAt) == null;
  }
  return null;
}

function interpretCount(r: unknown): number | undefined {
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    for (const k of ['entries', 'checked', 'count', 'length', 'seq', 'treeSize']) if (typeof o[k] === 'number') return o[k] as number;
  }
  return undefined;
}

function summarise(r: unknown): unknown {
  const s = JSON.stringify(r);
  return s && s.length > 2000 ? `${s.slice(0, 2000)}…` : r;
}
