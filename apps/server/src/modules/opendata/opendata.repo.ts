import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/db/database';
import { appendLedger } from '../../platform/ledger/append';
import { buildRelease, ocidFor, type Release } from './ocds.build';
import type { ProcessSnapshot, ReleaseTag } from './ocds.types';
import './opendata.tables';

export const RELEASE_LEDGER_TYPE = 'opendata.release';

/**
 * Record one OCDS release inside the transaction that makes the change it describes: the release and the change
 * commit or vanish together. The ledger entry carries the release text's SHA-256, so an edited release is caught
 * by `yiwang ledger verify` plus a hash comparison, and its sequence number is the harvest cursor.
 */
export async function recordOcdsRelease(
  trx: DbOrTx,
  args: { prefix: string; snapshot: ProcessSnapshot; tags: ReleaseTag[]; actorId?: string | null },
  now: Date,
): Promise<{ seq: number; ocid: string; releaseId: string }> {
  const ocid = ocidFor(args.prefix, args.snapshot.processId);
  const releaseId = `${ocid}-${randomUUID()}`;
  const release = buildRelease({ prefix: args.prefix, releaseId, date: now, tags: args.tags, snapshot: args.snapshot });
  const text = JSON.stringify(release);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const entry = await appendLedger(
    trx,
    { type: RELEASE_LEDGER_TYPE, subjectType: 'ocds_process', subjectId: ocid, actorId: args.actorId ?? null, payload: { releaseId, tags: args.tags, sha256 } },
    now,
  );
  await trx
    .insertInto('ocds_releases')
    .values({ seq: entry.seq, ocid, release_id: releaseId, release_date: now, tags: args.tags, data: text, sha256 })
    .execute();
  return { seq: entry.seq, ocid, releaseId };
}

/** Releases after a cursor in publication order, as stored JSON text (no parse, no re-serialisation). */
export async function releaseTextsAfter(db: DbOrTx, after: number, limit: number, ocid?: string): Promise<{ seq: number; text: string }[]> {
  let q = db
    .selectFrom('ocds_releases')
    .select(['seq', sql<string>`data::text`.as('text')])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit);
  if (ocid) q = q.where('ocid', '=', ocid);
  return q.execute();
}

export async function releasesOf(db: DbOrTx, ocid: string): Promise<Release[]> {
  const rows = await db.selectFrom('ocds_releases').select(sql<string>`data::text`.as('text')).where('ocid', '=', ocid).orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.text) as Release);
}
