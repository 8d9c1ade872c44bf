import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Validates OCDS packages against the official 1.1.5 schemas in ../shared/data/ocds (never copied into the
 * repository): the core release schema patched with the bids and lots extensions (JSON Merge Patch, RFC 7386, nulls
 * removed from the patch first), plus the closed codelists read from their CSV files. Absent ../shared → `null`, and
 * the calling test skips with a message saying so.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const OCDS_DIR = process.env.YIWANG_OCDS_DIR ?? path.resolve(here, '../../../../shared/data/ocds');

const BASE = 'https://standard.open-contracting.org/schema/1__1__5/';

type J = null | boolean | number | string | J[] | { [k: string]: J };
const isObj = (v: J | undefined): v is { [k: string]: J } => typeof v === 'object' && v !== null && !Array.isArray(v);

function dropNulls(v: J): J {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

/** RFC 7386 JSON Merge Patch. */
function mergePatch(target: J, patch: J): J {
  if (!isObj(patch)) return patch;
  const out: { [k: string]: J } = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(OCDS_DIR, p), 'utf8')) as J;

/** Codes of a closed codelist: the first column ("Code") of its CSV. */
export function codelist(file: string): Set<string> {
  const dirs = ['codelists', 'extensions/bids/codelists', 'extensions/lots/codelists'];
  for (const d of dirs) {
    const p = path.join(OCDS_DIR, d, file);
    if (fs.existsSync(p)) {
      const lines = fs.readFileSync(p, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
      return new Set(lines.map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('"', 1)) : l.split(',')[0]!)));
    }
  }
  throw new Error(`codelist ${file} not found under ${OCDS_DIR}`);
}

export interface OcdsValidator {
  releasePackage(pkg: unknown): string[];
  recordPackage(pkg: unknown): string[];
}

export function loadOcdsValidator(): OcdsValidator | null {
  if (!fs.existsSync(path.join(OCDS_DIR, 'release-schema.json'))) return null;
  let release = readJson('release-schema.json');
  for (const ext of ['bids', 'lots']) release = mergePatch(release, dropNulls(readJson(`extensions/${ext}/release-schema.json`)));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(release as object, `${BASE}release-schema.json`);
  ajv.addSchema(readJson('versioned-release-validation-schema.json') as object, `${BASE}versioned-release-validation-schema.json`);
  const releasePkg = ajv.compile(readJson('release-package-schema.json') as object);
  const recordPkg = ajv.compile(readJson('record-package-schema.json') as object);

  // Closed codelists (SOURCES.md): the schema's enums cover most; check each explicitly so a codelist-only rule
  // (bidStatus in the extension) is enforced too.
  const closed: [string, Set<string>, (r: Record<string, unknown>) => unknown[]][] = [
    ['releaseTag', codelist('releaseTag.csv'), (r) => (r.tag as unknown[]) ?? []],
    ['initiationType', codelist('initiationType.csv'), (r) => [r.initiationType]],
    ['tenderStatus', codelist('tenderStatus.csv'), (r) => [(r.tender as { status?: string } | undefined)?.status].filter(Boolean)],
    ['method', codelist('method.csv'), (r) => [(r.tender as { procurementMethod?: string } | undefined)?.procurementMethod].filter(Boolean)],
    ['awardStatus', codelist('awardStatus.csv'), (r) => ((r.awards as { status?: string }[]) ?? []).map((a) => a.status).filter(Boolean)],
    ['contractStatus', codelist('contractStatus.csv'), (r) => ((r.contracts as { status?: string }[]) ?? []).map((c) => c.status).filter(Boolean)],
    ['bidStatus', codelist('bidStatus.csv'), (r) => ((r.bids as { details?: { status?: string }[] } | undefined)?.details ?? []).map((b) => b.status).filter(Boolean)],
  ];
  const codelistErrors = (releases: Record<string, unknown>[]) =>
    releases.flatMap((r, i) => closed.flatMap(([name, codes, pick]) => pick(r).filter((v) => !codes.has(String(v))).map((v) => `releases[${i}]: ${String(v)} is not in the closed codelist ${name}`)));
  const ajvErrors = (fn: typeof releasePkg) => (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

  return {
    releasePackage(pkg) {
      const ok = releasePkg(pkg);
      return [...(ok ? [] : ajvErrors(releasePkg)), ...codelistErrors(((pkg as { releases?: Record<string, unknown>[] }).releases) ?? [])];
    },
    recordPackage(pkg) {
      const ok = recordPkg(pkg);
      const compiled = ((pkg as { records?: { compiledRelease?: Record<string, unknown>; releases?: Record<string, unknown>[] }[] }).records ?? []).flatMap((r) => [
        ...(r.compiledRelease ? [r.compiledRelease] : []),
        ...(r.releases ?? []),
      ]);
      return [...(ok ? [] : ajvErrors(recordPkg)), ...codelistErrors(compiled)];
    },
  };
}
