import type { DrawCandidate, DrawInputs } from '@yiwang/contracts/lottery';
import type { DbOrTx } from '../db/database';
import './lottery.tables';

/**
 * How an executed draw's canonical inputs are stored (migration 0113; ADR 0019 § performance). The pool — up to
 * 10^5 candidates — is one text column, a line per candidate in canonical order: '<id> <group>,<group>…'. Ids and
 * group codes are visible ASCII without spaces, commas or newlines (ID_PATTERN), so the encoding is unambiguous. The
 * exclusions, with their openings, are one JSON text column (exclusion_openings); `inputs` (jsonb) keeps strata,
 * assignees and entropy. Records executed before 0113 hold the canonical inputs in `inputs` and the openings in
 * lottery_exclusions, and are read as before.
 */

export function encodePool(candidates: readonly DrawCandidate[]): string {
  const lines = new Array<string>(candidates.length);
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k]!;
    lines[k] = `${c.id} ${c.groups.join(',')}`;
  }
  return lines.join('\n');
}

export function decodePool(text: string): DrawCandidate[] {
  const lines = text.split('\n');
  const out = new Array<DrawCandidate>(lines.length);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const sp = line.indexOf(' ');
    const groups = line.slice(sp + 1);
    out[k] = { id: line.slice(0, sp), groups: groups ? groups.split(',') : [] };
  }
  return out;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface OpenedExclusion {
  commitment: string;
  reason: string;
  id: string;
  detail: string;
  salt: string;
}

/**
 * The exclusions with their openings, in canonical order (by commitment), as JSON text: [commitment, reason, id,
 * salt, detail] each. Custodian-only like the seed (never returned before the caller's custodian check); one column
 * instead of a row per exclusion (700 rows with their foreign-key checks cost ≈ 20 ms per draw).
 */
export function encodeOpenings(opened: readonly OpenedExclusion[]): string {
  return JSON.stringify([...opened].sort((a, b) => byteOrder(a.commitment, b.commitment)).map((e) => [e.commitment, e.reason, e.id, e.salt, e.detail]));
}

type StoredRow = { id: string; inputs: unknown; pool_candidates: string | null; exclusion_openings: string | null };

/** The exclusions of an executed draw with their openings, canonical order, from either storage format. */
export async function storedExclusions(db: DbOrTx, r: StoredRow): Promise<OpenedExclusion[]> {
  if (r.exclusion_openings !== null) {
    const rows = JSON.parse(r.exclusion_openings) as [string, string, string, string, string][];
    return rows.map(([commitment, reason, id, salt, detail]) => ({ commitment, reason, id, salt, detail }));
  }
  const ex = await db.selectFrom('lottery_exclusions').select(['commitment', 'reason', 'excluded_id', 'detail', 'salt']).where('draw_id', '=', r.id).execute();
  // Canonical order is byte order of the commitments (never the database collation's).
  return ex.map((e) => ({ commitment: e.commitment, reason: e.reason, id: e.excluded_id, detail: e.detail, salt: e.salt })).sort((a, b) => byteOrder(a.commitment, b.commitment));
}

/** The canonical inputs of an executed draw, from either storage format. */
export async function storedInputs(db: DbOrTx, r: StoredRow): Promise<DrawInputs> {
  if (r.pool_candidates === null) return r.inputs as DrawInputs;
  const rest = r.inputs as Omit<DrawInputs, 'candidates' | 'exclusions'>;
  const exclusions = (await storedExclusions(db, r)).map((e) => ({ commitment: e.commitment, reason: e.reason }));
  return { candidates: decodePool(r.pool_candidates), strata: rest.strata, exclusions, assignTo: rest.assignTo, entropy: rest.entropy };
}
