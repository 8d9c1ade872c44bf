import { describe, expect, it } from 'vitest';
import { DRAW_ALGORITHM, drawCommitment, runDraw, verifyDrawRecord, verifyDrawRecordText, type DrawRecord } from './lottery';

describe('@yiwang/sdk/lottery', () => {
  const seed = '5eed'.repeat(16);
  const statement = { drawId: 'draw-1', purpose: 'seat_assignment', subject: 'center:第2评标室', replaces: null };
  const o = runDraw(seed, statement, { candidates: ['s1', 's2', 's3', 's4'].map((id) => ({ id, groups: [] })), strata: [{ group: '*', count: 2 }], exclusions: [], assignTo: ['expert-x', 'expert-y'], entropy: '' });
  const record: DrawRecord = {
    algorithm: DRAW_ALGORITHM,
    ...statement,
    commitment: drawCommitment(seed, statement),
    seed,
    execution: {
      pool: { size: 4, hash: o.poolHash, candidates: o.canonical.candidates },
      strata: o.canonical.strata,
      exclusions: [],
      assignTo: { count: 2, ids: o.canonical.assignTo },
      entropy: '',
      inputsHash: o.inputsHash,
      result: { count: 2, hash: o.resultHash, selected: o.selected, assignments: o.assignments },
    },
  };

  it('verifies a record and its text; reports malformed text as a failed format check', () => {
    expect(verifyDrawRecord(record).ok).toBe(true);
    expect(verifyDrawRecordText(JSON.stringify(record)).ok).toBe(true);
    const bad = verifyDrawRecordText('{"algorithm": ');
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.check)).toEqual(['format']);
    const swapped = structuredClone(record);
    swapped.execution!.result.assignments = [...swapped.execution!.result.assignments!].reverse().map((a, k) => ({ to: swapped.execution!.result.assignments![k]!.to, id: a.id }));
    expect(verifyDrawRecord(swapped).problems.map((p) => p.check)).toEqual(['result']);
  });
});
