import type { Release } from './ocds.build';

/**
 * Compile a process's releases into one compiled release, following the OCDS 1.1 merge rules
 * (standard.open-contracting.org, "Merging"):
 * - releases are applied oldest first (by date, ties in publication order);
 * - `id`, `date` and `tag` are omitted when merging (omitWhenMerged); the compiled release gets tag ['compiled'],
 *   the newest date and an id made of the ocid and that date;
 * - objects merge member by member; a null removes the member;
 * - arrays of objects that all have an `id` merge by id (identifier merge) unless the schema says wholeListMerge
 *   (only additionalIdentifiers and additionalClassifications in 1.1.5); other arrays replace the earlier value.
 * The platform's releases always carry every public field, so the compiled release equals the newest state; the
 * merge still follows the rules so that third parties compiling the same releases get the same record.
 */
const WHOLE_LIST_MERGE = new Set(['additionalIdentifiers', 'additionalClassifications']);
const OMIT_WHEN_MERGED = new Set(['id', 'date', 'tag']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIdentifiedList = (v: Json[]) => v.length > 0 && v.every((x) => isObject(x) && (typeof x.id === 'string' || typeof x.id === 'number'));

function mergeValue(key: string, earlier: Json | undefined, later: Json): Json {
  if (isObject(later)) return mergeObject(isObject(earlier) ? earlier : {}, later, false);
  if (Array.isArray(later) && !WHOLE_LIST_MERGE.has(key) && isIdentifiedList(later)) {
    const merged = new Map<string, JsonObject>();
    if (Array.isArray(earlier) && isIdentifiedList(earlier)) for (const item of earlier as JsonObject[]) merged.set(String(item.id), item);
    for (const item of later as JsonObject[]) {
      const id = String(item.id);
      merged.set(id, mergeObject(merged.get(id) ?? {}, item, false));
    }
    return [...merged.values()];
  }
  return later;
}

function mergeObject(target: JsonObject, source: JsonObject, topLevel: boolean): JsonObject {
  const out: JsonObject = { ...target };
  for (const [k, v] of Object.entries(source)) {
    if (topLevel && OMIT_WHEN_MERGED.has(k)) continue;
    if (v === null) delete out[k];
    else out[k] = mergeValue(k, out[k], v);
  }
  return out;
}

export function compileReleases(releases: Release[]): Release {
  if (!releases.length) throw new Error('nothing to compile');
  const ordered = releases.map((r, i) => ({ r, i })).sort((a, b) => (a.r.date < b.r.date ? -1 : a.r.date > b.r.date ? 1 : a.i - b.i));
  let compiled: JsonObject = {};
  for (const { r } of ordered) compiled = mergeObject(compiled, r as unknown as JsonObject, true);
  const newest = ordered[ordered.length - 1]!.r;
  return { ...(compiled as Record<string, unknown>), ocid: newest.ocid, id: `${newest.ocid}-${newest.date}`, date: newest.date, tag: ['compiled'] } as Release;
}
