import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  checkStatement,
  DRAW_ALGORITHM,
  drawCommitment,
  DrawInputError,
  exclusionCommitment,
  runDraw,
  type DrawAssignment,
  type DrawCandidate,
  type DrawInputs,
  type DrawSelection,
  type DrawStatement,
  type DrawStratum,
  type Sha256,
} from '@yiwang/contracts/lottery';
import { registerJobHandler, scheduleJob, cancelJob } from '../chronograph/jobs';
import type { DbOrTx } from '../db/database';
import { AppError, Errors } from '../http/errors';
import { appendLedger } from '../ledger/append';
import { emitEvent } from '../outbox/emit';
import { newSeed, openSeed, sealSeed } from './seed-box';
import { encodeOpenings, encodePool } from './storage';
import '../ledger/ledger.tables';
import './lottery.tables';

/**
 * The verifiable lottery, a platform service (ARCHITECTURE §5; docs/adr/0015-verifiable-lottery.md). Business
 * modules (expert draws, seats, venues, tie-breaks) call these functions inside their own transactions:
 *
 *   commitDraw(trx, {purpose, subject, …}, now)          → a draw with a published commitment, before any input exists
 *   executeDraw(trx, drawId, {candidates, strata, …}, now) → the result (once only)
 *   revealDraw(trx, drawId, now)                         → the seed (and a secret pool's names) made public
 *   getDrawRecord(db, drawId, {custodian})               → the record anyone can verify
 *
 * Every step appends to the ledger (types lottery.committed / lottery.executed / lottery.revealed, subject type
 * lottery_draw) with hashes only — never names — and emits an outbox event of the same type.
 */

export const REVEAL_JOB = 'lottery.reveal';
const SUBJECT_TYPE = 'lottery_draw';

/** node:crypto's SHA-256: same results as the contracts' @noble default, several times faster on large pools. */
export const nodeSha256: Sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

export const lotteryErrors = {
  notFound: () => new AppError('LOTTERY_DRAW_NOT_FOUND', 404, '抽取记录不存在', 'Draw not found'),
  alreadyExecuted: () =>
    Errors.conflict('LOTTERY_ALREADY_EXECUTED', '该抽取已执行，不能再次抽取；如需重抽，请另行承诺一次补抽并引用本次抽取', 'This draw has been executed; a re-draw must be committed as a new draw that references it'),
  superseded: (by: string) =>
    new AppError('LOTTERY_DRAW_SUPERSEDED', 409, '该抽取已被后续抽取替代，不能再执行', 'This draw has been superseded by a later draw and cannot be executed', undefined, { replacedBy: by }),
  subjectHasDraw: (latest: string) =>
    new AppError('LOTTERY_SUBJECT_HAS_DRAW', 409, '该事项已有抽取；再次抽取须作为补抽引用最近一次抽取', 'This subject already has a draw; another must be a follow-up that references the latest one', 'replaces', { latestDrawId: latest }),
  notLatest: (latest: string) =>
    new AppError('LOTTERY_NOT_LATEST', 409, '补抽须引用该事项最近一次抽取', 'A follow-up must reference the latest draw of its subject', 'replaces', { latestDrawId: latest }),
  otherSubject: () => Errors.conflict('LOTTERY_REPLACES_OTHER_SUBJECT', '补抽须与被替代的抽取属于同一事项', 'A follow-up draw must have the same subject as the draw it follows', 'replaces'),
  notExecuted: () => Errors.conflict('LOTTERY_NOT_EXECUTED', '尚未抽取，不能揭示种子', 'The draw has not been executed; there is nothing to reveal'),
  secrecy: (until: Date) =>
    new AppError('LOTTERY_SECRECY_PERIOD', 409, `保密期至 ${until.toISOString()}，届时方可揭示`, `The secrecy period runs until ${until.toISOString()}`, undefined, { revealAfter: until.toISOString() }),
  excludedInPool: (id: string) =>
    new AppError('LOTTERY_EXCLUDED_IN_POOL', 422, `候选 ${id} 已回避，不能留在候选池中`, `Candidate ${id} is excluded and must not be in the pool`, 'candidates', { id }),
  input: (e: DrawInputError) => new AppError(`LOTTERY_${e.code}`, 422, e.zh, e.en, undefined, e.details),
};

export interface CommitDrawInput {
  /** CODE_PATTERN, e.g. 'expert_selection', 'seat_assignment', 'venue_selection', 'tie_break'. */
  purpose: string;
  /** What is drawn for; one chain of draws per subject, e.g. 'tender:<uuid>/lot:1/experts'. ≤ 200 characters. */
  subject: string;
  /** Keep the pool's and the result's ids from the public record until the reveal (expert names). */
  secret?: boolean;
  /**
   * When the seed may be revealed. null: only by an explicit revealDraw (e.g. when an expert result is published).
   * An instant: the chronograph reveals it then (at once after execution if already past).
   */
  revealAfter?: Date | null;
  /** A follow-up draw (补抽 / re-draw): the latest draw of the same subject, and why. */
  replaces?: { drawId: string; reason: string } | null;
  actorId?: string | null;
}

export interface ExecuteDrawInput {
  candidates: DrawCandidate[];
  strata: DrawStratum[];
  /** Applied already: none of these ids may be in `candidates`. Published as salted commitments + reason code. */
  exclusions?: { id: string; reason: string; detail: string }[];
  assignTo?: string[] | null;
  entropy?: string;
  actorId?: string | null;
}

export interface DrawResult {
  drawId: string;
  poolHash: string;
  inputsHash: string;
  resultHash: string;
  selected: DrawSelection[];
  assignments: DrawAssignment[] | null;
  executeSeq: number;
  revealed: boolean;
}

type Row = Awaited<ReturnType<typeof loadForUpdate>>;

async function loadForUpdate(trx: DbOrTx, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw lotteryErrors.notFound();
  const row = await trx.selectFrom('lottery_draws').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw lotteryErrors.notFound();
  return row;
}

const statementOf = (r: { id: string; purpose: string; subject: string; replaces: string | null }): DrawStatement => ({
  drawId: r.id,
  purpose: r.purpose,
  subject: r.subject,
  replaces: r.replaces,
});

export async function successorOf(db: DbOrTx, id: string): Promise<string | null> {
  const s = await db.selectFrom('lottery_draws').select('id').where('replaces', '=', id).executeTakeFirst();
  return s?.id ?? null;
}

/** The latest draw of a subject's chain (the one without a successor), or undefined. */
async function latestOfSubject(db: DbOrTx, subject: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('lottery_draws as d')
    .select('d.id')
    .where('d.subject', '=', subject)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('lottery_draws as n').select('n.id').whereRef('n.replaces', '=', 'd.id'))))
    .executeTakeFirst();
  return r?.id;
}

/**
 * Step 1: commit to a fresh random seed before any input exists. The commitment is ledgered and public at once.
 * Refused for a subject that already has a draw unless this one follows the latest of them (`replaces`).
 */
export async function commitDraw(trx: DbOrTx, input: CommitDrawInput, now: Date): Promise<{ id: string; commitment: string; commitSeq: number }> {
  const id = randomUUID();
  const statement: DrawStatement = { drawId: id, purpose: input.purpose, subject: input.subject, replaces: input.replaces?.drawId ?? null };
  try {
    checkStatement(statement);
  } catch (e) {
    if (e instanceof DrawInputError) throw lotteryErrors.input(e);
    throw e;
  }
  // Serialise commits per subject (two first draws at once would otherwise both pass the check below).
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`lottery:${input.subject}`}))`.execute(trx);
  const latest = await latestOfSubject(trx, input.subject);
  if (input.replaces) {
    const prev = await loadForUpdate(trx, input.replaces.drawId).catch(() => {
      throw new AppError('LOTTERY_DRAW_NOT_FOUND', 404, '被替代的抽取不存在', 'The draw to follow does not exist', 'replaces');
    });
    if (prev.subject !== input.subject) throw lotteryErrors.otherSubject();
    if (latest !== prev.id) throw lotteryErrors.notLatest(latest!);
    const reason = input.replaces.reason.trim();
    if (reason.length < 2 || reason.length > 500) throw Errors.validation('replaces.reason', '补抽原因须为 2–500 个字符', 'The reason for a follow-up draw must be 2–500 characters');
  } else if (latest) throw lotteryErrors.subjectHasDraw(latest);

  const seed = newSeed();
  const commitment = drawCommitment(seed, statement, nodeSha256);
  const sealed = sealSeed(seed, id);
  const revealAfter = input.revealAfter ?? null;
  const entry = await appendLedger(
    trx,
    {
      type: 'lottery.committed',
      subjectType: SUBJECT_TYPE,
      subjectId: id,
      actorId: input.actorId ?? null,
      payload: {
        algorithm: DRAW_ALGORITHM,
        purpose: input.purpose,
        subject: input.subject,
        commitment,
        replaces: statement.replaces,
        replaceReason: input.replaces?.reason.trim() ?? null,
        secret: !!input.secret,
        revealAfter: revealAfter?.toISOString() ?? null,
      },
    },
    now,
  );
  await trx
    .insertInto('lottery_draws')
    .values({
      id,
      algorithm: DRAW_ALGORITHM,
      purpose: input.purpose,
      subject: input.subject,
      status: 'committed',
      secret: !!input.secret,
      commitment,
      seed_protection: sealed.protection,
      seed_sealed: sealed.sealed,
      seed_revealed: null,
      replaces: statement.replaces,
      replace_reason: input.replaces?.reason.trim() ?? null,
      reveal_after: revealAfter,
      requested_by: input.actorId ?? null,
      committed_at: now,
      commit_seq: entry.seq,
      inputs: null,
      pool_candidates: null,
      exclusion_openings: null,
      pool_size: null,
      pool_hash: null,
      inputs_hash: null,
      result: null,
      result_hash: null,
      executed_by: null,
      executed_at: null,
      execute_seq: null,
      revealed_at: null,
      reveal_seq: null,
    })
    .execute();
  await emitEvent(trx, { type: 'lottery.committed', payload: { drawId: id, purpose: input.purpose, subject: input.subject }, ledgerSeq: entry.seq }, now);
  return { id, commitment, commitSeq: entry.seq };
}

/**
 * Step 2: draw, once. A second execution of the same draw is refused (LOTTERY_ALREADY_EXECUTED); a re-draw is a new
 * commitment that references this one (commitDraw with `replaces`), so both stand in the ledger.
 */
export async function executeDraw(trx: DbOrTx, drawId: string, input: ExecuteDrawInput, now: Date): Promise<DrawResult> {
  const row = await loadForUpdate(trx, drawId);
  if (row.status !== 'committed') throw lotteryErrors.alreadyExecuted();
  const next = await successorOf(trx, drawId);
  if (next) throw lotteryErrors.superseded(next);

  // One call to the CSPRNG for every salt (a pool with hundreds of exclusions made hundreds of calls).
  const saltHex = randomBytes(16 * (input.exclusions?.length ?? 0)).toString('hex');
  const exclusions = (input.exclusions ?? []).map((e, k) => ({ ...e, salt: saltHex.slice(32 * k, 32 * k + 32) }));
  const ids = new Set(input.candidates.map((c) => c?.id));
  let outcome: ReturnType<typeof runDraw>;
  let opened: { commitment: string; reason: string; id: string; detail: string; salt: string }[];
  try {
    opened = exclusions.map((e) => {
      if (ids.has(e.id)) throw lotteryErrors.excludedInPool(e.id);
      return { ...e, commitment: exclusionCommitment(drawId, e, nodeSha256) };
    });
    const inputs: DrawInputs = {
      candidates: input.candidates,
      strata: input.strata,
      exclusions: opened.map((e) => ({ commitment: e.commitment, reason: e.reason })),
      assignTo: input.assignTo ?? null,
      entropy: input.entropy ?? '',
    };
    outcome = runDraw(openSeed(row), statementOf(row), inputs, nodeSha256);
  } catch (e) {
    if (e instanceof DrawInputError) throw lotteryErrors.input(e);
    throw e;
  }
  const entry = await appendLedger(
    trx,
    {
      type: 'lottery.executed',
      subjectType: SUBJECT_TYPE,
      subjectId: drawId,
      actorId: input.actorId ?? null,
      // Hashes and counts only: the ids of a secret pool stay out of the ledger's payload.
      payload: {
        poolSize: outcome.canonical.candidates.length,
        poolHash: outcome.poolHash,
        inputsHash: outcome.inputsHash,
        resultHash: outcome.resultHash,
        selectedCount: outcome.selected.length,
        strata: outcome.canonical.strata.map((s) => ({ group: s.group, count: s.count })),
        exclusions: outcome.canonical.exclusions.length,
      },
    },
    now,
  );
  // Migration 0113: the pool as compact text, the exclusions with their openings as one JSON text; `inputs` keeps
  // the small rest (strata, assignees, entropy). getDrawRecord rebuilds the canonical inputs from these (storage.ts).
  const { candidates, strata, assignTo, entropy } = outcome.canonical;
  await trx
    .updateTable('lottery_draws')
    .set({
      status: 'executed',
      inputs: JSON.stringify({ strata, assignTo, entropy }),
      pool_candidates: encodePool(candidates),
      exclusion_openings: encodeOpenings(opened),
      pool_size: candidates.length,
      pool_hash: outcome.poolHash,
      inputs_hash: outcome.inputsHash,
      result: JSON.stringify({ selected: outcome.selected, assignments: outcome.assignments }),
      result_hash: outcome.resultHash,
      executed_by: input.actorId ?? null,
      executed_at: now,
      execute_seq: entry.seq,
    })
    .where('id', '=', drawId)
    .execute();
  await emitEvent(trx, { type: 'lottery.executed', payload: { drawId, purpose: row.purpose, subject: row.subject }, ledgerSeq: entry.seq }, now);

  let revealed = false;
  if (row.reveal_after) {
    if (row.reveal_after.getTime() <= now.getTime()) {
      await reveal(trx, { ...row, status: 'executed' }, now, input.actorId ?? null);
      revealed = true;
    } else await scheduleJob(trx, { kind: REVEAL_JOB, subjectId: drawId, dueAt: row.reveal_after }, now);
  }
  return {
    drawId,
    poolHash: outcome.poolHash,
    inputsHash: outcome.inputsHash,
    resultHash: outcome.resultHash,
    selected: outcome.selected,
    assignments: outcome.assignments,
    executeSeq: entry.seq,
    revealed,
  };
}

async function reveal(trx: DbOrTx, row: Row, now: Date, actorId: string | null): Promise<number> {
  const seed = openSeed(row);
  const entry = await appendLedger(
    trx,
    { type: 'lottery.revealed', subjectType: SUBJECT_TYPE, subjectId: row.id, actorId, payload: { seed, commitment: row.commitment } },
    now,
  );
  await trx
    .updateTable('lottery_draws')
    .set({ status: 'revealed', seed_revealed: seed, revealed_at: now, reveal_seq: entry.seq })
    .where('id', '=', row.id)
    .execute();
  await emitEvent(trx, { type: 'lottery.revealed', payload: { drawId: row.id, purpose: row.purpose, subject: row.subject }, ledgerSeq: entry.seq }, now);
  return entry.seq;
}

/**
 * Step 3: reveal the seed (and, for a secret draw, the names) once the secrecy period has ended. Idempotent: a draw
 * already revealed is returned as it is. Refused before execution and before `revealAfter`.
 */
export async function revealDraw(trx: DbOrTx, drawId: string, now: Date, actorId: string | null = null): Promise<{ revealSeq: number; already: boolean }> {
  const row = await loadForUpdate(trx, drawId);
  if (row.status === 'revealed') return { revealSeq: row.reveal_seq!, already: true };
  if (row.status !== 'executed') throw lotteryErrors.notExecuted();
  if (row.reveal_after && now.getTime() < row.reveal_after.getTime()) throw lotteryErrors.secrecy(row.reveal_after);
  const seq = await reveal(trx, row, now, actorId);
  await cancelJob(trx, REVEAL_JOB, drawId, now);
  return { revealSeq: seq, already: false };
}

// The chronograph reveals draws whose secrecy period has ended (scheduled by executeDraw).
registerJobHandler(REVEAL_JOB, async (job, trx, ctx) => {
  const row = await trx.selectFrom('lottery_draws').select(['status', 'reveal_after']).where('id', '=', job.subjectId).executeTakeFirst();
  if (!row || row.status !== 'executed') return; // already revealed, or gone
  if (row.reveal_after && ctx.now.getTime() < row.reveal_after.getTime()) return;
  await revealDraw(trx, job.subjectId, ctx.now);
});
