import type { DrawAssignment, DrawLedgerEntry, DrawRecord, DrawSelection } from '@yiwang/contracts/lottery';
import type { DbOrTx } from '../db/database';
import { lotteryErrors, successorOf } from './service';
import { storedExclusions, storedInputs } from './storage';
import '../ledger/ledger.tables';
import './lottery.tables';

/**
 * The read side of the lottery (ADR 0015): the record anyone can verify, a subject's chain of draws, and who
 * requested a draw (for the routes' custodian check). Split from service.ts, which holds commit / execute / reveal.
 */

export interface DrawPlatformInfo {
  status: 'committed' | 'executed' | 'revealed';
  secret: boolean;
  revealAfter: string | null;
  committedAt: string;
  executedAt: string | null;
  revealedAt: string | null;
  replaceReason: string | null;
  replacedBy: string | null;
  ledger: { committed: number; executed: number | null; revealed: number | null };
}

export type PublicDrawRecord = DrawRecord & { platform: DrawPlatformInfo };

/**
 * The record of a draw. Public view: the seed only after the reveal; for a secret draw, the pool's, the assignees'
 * and the result's ids only after the reveal (hashes and sizes always). Custodian view (supervision, administrators,
 * the requester): the names at once and the exclusion openings — never the seed before the reveal.
 */
export async function getDrawRecord(db: DbOrTx, id: string, opts: { custodian?: boolean } = {}): Promise<PublicDrawRecord> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw lotteryErrors.notFound();
  const r = await db.selectFrom('lottery_draws').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw lotteryErrors.notFound();
  const replacedBy = await successorOf(db, id);
  const names = !r.secret || r.status === 'revealed' || !!opts.custodian;
  let execution: DrawRecord['execution'] = null;
  if (r.status !== 'committed') {
    const inputs = await storedInputs(db, r);
    const result = r.result as { selected: DrawSelection[]; assignments: DrawAssignment[] | null };
    execution = {
      pool: { size: r.pool_size!, hash: r.pool_hash!, candidates: names ? inputs.candidates : null },
      strata: inputs.strata,
      exclusions: inputs.exclusions,
      assignTo: inputs.assignTo ? { count: inputs.assignTo.length, ids: names ? inputs.assignTo : null } : null,
      entropy: inputs.entropy,
      inputsHash: r.inputs_hash!,
      result: { count: result.selected.length, hash: r.result_hash!, selected: names ? result.selected : null, assignments: names ? result.assignments : null },
    };
  }
  const record: PublicDrawRecord = {
    algorithm: r.algorithm,
    drawId: r.id,
    purpose: r.purpose,
    subject: r.subject,
    replaces: r.replaces,
    commitment: r.commitment,
    seed: r.seed_revealed,
    execution,
    platform: {
      status: r.status,
      secret: r.secret,
      revealAfter: r.reveal_after?.toISOString() ?? null,
      committedAt: r.committed_at.toISOString(),
      executedAt: r.executed_at?.toISOString() ?? null,
      revealedAt: r.revealed_at?.toISOString() ?? null,
      replaceReason: r.replace_reason,
      replacedBy,
      ledger: { committed: r.commit_seq, executed: r.execute_seq, revealed: r.reveal_seq },
    },
  };
  // The ledger entries of each step: the record's hashes are what was ledgered (verifyDrawRecord's 'ledger' check).
  const seqs = [r.commit_seq, r.execute_seq, r.reveal_seq].filter((n): n is number => n !== null);
  const entries = await db
    .selectFrom('ledger_entries')
    .select(['seq', 'type', 'recorded_at', 'actor_id', 'prev_hash', 'entry_hash'])
    .where('seq', 'in', seqs)
    .orderBy('seq')
    .execute();
  record.ledger = entries.map((e) => ({
    type: e.type as DrawLedgerEntry['type'],
    seq: e.seq,
    recordedAt: e.recorded_at.toISOString(),
    actorId: e.actor_id,
    prevHash: e.prev_hash,
    entryHash: e.entry_hash,
  }));
  if (opts.custodian && r.status !== 'committed') {
    const ex = await storedExclusions(db, r);
    if (ex.length) record.exclusionOpenings = ex.map((e) => ({ id: e.id, reason: e.reason, detail: e.detail, salt: e.salt }));
  }
  return record;
}

export interface DrawSummary {
  id: string;
  purpose: string;
  subject: string;
  status: 'committed' | 'executed' | 'revealed';
  commitment: string;
  replaces: string | null;
  replaceReason: string | null;
  committedAt: string;
  executedAt: string | null;
  revealedAt: string | null;
  requestedBy: string | null;
}

/** Every draw of a subject, first to latest (public: what was drawn when, never the names). */
export async function drawsOfSubject(db: DbOrTx, subject: string): Promise<DrawSummary[]> {
  const rows = await db
    .selectFrom('lottery_draws')
    .select(['id', 'purpose', 'subject', 'status', 'commitment', 'replaces', 'replace_reason', 'committed_at', 'executed_at', 'revealed_at', 'requested_by'])
    .where('subject', '=', subject)
    .orderBy('commit_seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    subject: r.subject,
    status: r.status,
    commitment: r.commitment,
    replaces: r.replaces,
    replaceReason: r.replace_reason,
    committedAt: r.committed_at.toISOString(),
    executedAt: r.executed_at?.toISOString() ?? null,
    revealedAt: r.revealed_at?.toISOString() ?? null,
    requestedBy: r.requested_by,
  }));
}

/** Who requested a draw (for the routes' custodian check). */
export async function drawRequester(db: DbOrTx, id: string): Promise<{ purpose: string; subject: string; requestedBy: string | null } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await db.selectFrom('lottery_draws').select(['purpose', 'subject', 'requested_by']).where('id', '=', id).executeTakeFirst();
  return r ? { purpose: r.purpose, subject: r.subject, requestedBy: r.requested_by } : undefined;
}
