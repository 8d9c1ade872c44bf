import { bytesToHex, checkpointMessage, MerkleAccumulator } from '@yiwang/contracts/merkle';
import type { Db } from '../db/database';
import type { Clock } from '../clock';
import { signingKey } from './keys';
import { ledgerBatches, leafOf, nodeSha256, recomputeHash } from './stream';

export interface Checkpoint {
  treeSize: number;
  root: string;
  signature: string;
  keyId: string;
  createdAt: Date;
}

export class LedgerIntegrityError extends Error {}

/** Subtrees of 2^8 = 256 leaves and up are cached for proofs (ledger_merkle_nodes): ~N/128 rows for N entries. */
export const CACHED_LEVEL = 8;

/**
 * Sign the Merkle root of entries 1..head. Resumes from the previous checkpoint's frontier, so each run hashes
 * only the entries added since. Before signing it re-checks those new entries' hashes and links: a checkpoint
 * never vouches for a chain that is already broken. Returns the new checkpoint, or the latest one when the ledger
 * has not grown (null when it is empty). Safe to run on several nodes at once: tree_size is the primary key.
 */
export async function createCheckpoint(ctx: { db: Db; clock: Clock }): Promise<Checkpoint | null> {
  const { db } = ctx;
  const head = await db.selectFrom('ledger_head').select(['seq', 'entry_hash']).where('id', '=', true).executeTakeFirstOrThrow();
  const last = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  if (head.seq === 0) return null;
  if (last && last.tree_size >= head.seq) return toCheckpoint(last);

  const acc = last
    ? MerkleAccumulator.fromFrontier(last.tree_size, last.frontier as string[], nodeSha256)
    : new MerkleAccumulator(nodeSha256);
  let prev = last
    ? (await db.selectFrom('ledger_entries').select('entry_hash').where('seq', '=', last.tree_size).executeTakeFirst())?.entry_hash
    : '0'.repeat(64);
  if (prev === undefined) throw new LedgerIntegrityError(`ledger entry ${last!.tree_size} (end of the last checkpoint) is missing`);
  const cached: { level: number; idx: number; hash: string }[] = [];
  acc.onNode = (level, idx, hash) => {
    if (level >= CACHED_LEVEL) cached.push({ level, idx, hash: bytesToHex(hash) });
  };
  for await (const rows of ledgerBatches(db, { after: acc.size, upTo: head.seq })) {
    for (const r of rows) {
      if (r.seq !== acc.size + 1 || r.prev_hash !== prev || recomputeHash(r) !== r.entry_hash) {
        throw new LedgerIntegrityError(`ledger entry ${acc.size + 1} fails verification; run \`yiwang ledger verify\``);
      }
      acc.push(leafOf(r.entry_hash));
      prev = r.entry_hash;
    }
  }
  if (acc.size !== head.seq || prev !== head.entry_hash)
    throw new LedgerIntegrityError('ledger head does not match its last entry; run `yiwang ledger verify`');

  // Subtree roots first: if we stop before the checkpoint row, they are still right (the tree never changes).
  for (let i = 0; i < cached.length; i += 1000) {
    await db
      .insertInto('ledger_merkle_nodes')
      .values(cached.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['level', 'idx']).doNothing())
      .execute();
  }
  const createdAt = ctx.clock.now();
  const key = await signingKey(db, createdAt);
  const root = bytesToHex(acc.root());
  const signature = key.sign(checkpointMessage({ treeSize: acc.size, rootHex: root, createdAt: createdAt.toISOString() }));
  const inserted = await db
    .insertInto('ledger_checkpoints')
    .values({ tree_size: acc.size, root, signature, key_id: key.id, created_at: createdAt, frontier: JSON.stringify(acc.frontier()) })
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return toCheckpoint(inserted);
  // Another node checkpointed the same size first; its root is the same tree.
  return toCheckpoint(await db.selectFrom('ledger_checkpoints').selectAll().where('tree_size', '=', acc.size).executeTakeFirstOrThrow());
}

export function toCheckpoint(r: { tree_size: number; root: string; signature: string; key_id: string; created_at: Date }): Checkpoint {
  return { treeSize: r.tree_size, root: r.root, signature: r.signature, keyId: r.key_id, createdAt: r.created_at };
}
