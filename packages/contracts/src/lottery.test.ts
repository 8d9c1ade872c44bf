import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalInputs,
  DRAW_ALGORITHM,
  drawCommitment,
  type DrawInputError,
  DrawStream,
  exclusionCommitment,
  runDraw,
  uniformBelow,
  verifyDrawRecord,
  type DrawInputs,
  type DrawRecord,
  type DrawStatement,
  type Sha256,
} from './lottery';

const nodeSha: Sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const seedOf = (label: string | number) => createHash('sha256').update(`test seed ${label}`).digest('hex');

// ---- A second, literal implementation of the specification in lottery.ts's header (Buffers, node:crypto), so the
// ---- tests check the written spec and not only the code against itself.
const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
};
const u32 = (x: number) => {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(x);
  return n;
};
const tag = (t: string) => str(`yiwang-draw/1:${t}`);
const H = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
function referenceDraw(seed: string, s: DrawStatement, i: DrawInputs) {
  const cands = [...i.candidates].map((c) => ({ id: c.id, groups: [...c.groups].sort() })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const strata = [...i.strata].sort((a, b) => (a.group < b.group ? -1 : 1));
  const excl = [...i.exclusions].sort((a, b) => (a.commitment < b.commitment ? -1 : 1));
  const assignees = i.assignTo ? [...i.assignTo].sort() : [];
  const commitment = H(tag('commit'), Buffer.from(seed, 'hex'), str(s.drawId), str(s.purpose), str(s.subject), str(s.replaces ?? '')).toString('hex');
  const pool = H(tag('pool'), u32(cands.length), ...cands.flatMap((c) => [str(c.id), u32(c.groups.length), ...c.groups.map(str)]));
  const inputs = H(
    tag('inputs'), str(s.drawId), str(s.purpose), str(s.subject), str(s.replaces ?? ''), pool,
    u32(strata.length), ...strata.flatMap((x) => [str(x.group), u32(x.count)]),
    u32(excl.length), ...excl.flatMap((e) => [Buffer.from(e.commitment, 'hex'), str(e.reason)]),
    u32(assignees.length), ...assignees.map(str), str(i.entropy),
  );
  const key = H(tag('key'), Buffer.from(seed, 'hex'), inputs);
  let stream = Buffer.alloc(0);
  let counter = 0n;
  const next = () => {
    if (stream.length < 4) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(counter++);
      stream = Buffer.concat([stream, createHmac('sha256', key).update(c).digest()]);
    }
    const x = stream.readUInt32BE(0);
    stream = stream.subarray(4);
    return x;
  };
  const uniform = (n: number) => {
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = next();
      if (x < limit) return x % n;
    }
  };
  const taken = new Set<string>();
  const selected: { id: string; group: string }[] = [];
  for (const st of strata) {
    const e = cands.filter((c) => (st.group === '*' || c.groups.includes(st.group)) && !taken.has(c.id)).map((c) => c.id);
    for (let j = 0; j < st.count; j++) {
      const r = j + uniform(e.length - j);
      [e[j], e[r]] = [e[r]!, e[j]!];
      taken.add(e[j]!);
      selected.push({ id: e[j]!, group: st.group });
    }
  }
  const result = H(tag('result'), inputs, u32(selected.length), ...selected.flatMap((x) => [str(x.id), str(x.group)])).toString('hex');
  return { commitment, poolHash: pool.toString('hex'), inputsHash: inputs.toString('hex'), selected, resultHash: result };
}

const statement: DrawStatement = { drawId: 'd-0001', purpose: 'expert_selection', subject: 'tender:T-1/lot:2 评标委员会', replaces: null };
const experts = (n: number, groups = ['A01', 'B02', 'C03']) => Array.from({ length: n }, (_, k) => ({ id: `e-${String(k).padStart(5, '0')}`, groups: [groups[k % groups.length]!, ...(k % 7 === 0 ? [groups[(k + 1) % groups.length]!] : [])] }));

/** The public record of an executed and revealed draw, as the platform publishes it. */
function recordOf(seed: string, s: DrawStatement, i: DrawInputs, reveal = true): DrawRecord {
  const o = runDraw(seed, s, i);
  return {
    algorithm: DRAW_ALGORITHM,
    ...s,
    commitment: drawCommitment(seed, s),
    seed: reveal ? seed : null,
    execution: {
      pool: { size: o.canonical.candidates.length, hash: o.poolHash, candidates: o.canonical.candidates },
      strata: o.canonical.strata,
      exclusions: o.canonical.exclusions,
      assignTo: o.canonical.assignTo ? { count: o.canonical.assignTo.length, ids: o.canonical.assignTo } : null,
      entropy: o.canonical.entropy,
      inputsHash: o.inputsHash,
      result: { count: o.selected.length, hash: o.resultHash, selected: o.selected, assignments: o.assignments },
    },
  };
}
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const failed = (r: DrawRecord) => verifyDrawRecord(r).problems.map((p) => p.check);

const arbId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,11}$/);
const arbDraw = fc
  .record({
    ids: fc.uniqueArray(arbId, { minLength: 1, maxLength: 40 }),
    groups: fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D'), { minLength: 1, maxLength: 4 }),
    seed: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
    entropy: fc.string({ maxLength: 20 }),
    assign: fc.boolean(),
    salt: fc.nat(),
  })
  .map(({ ids, groups, seed, entropy, assign, salt }) => {
    const candidates = ids.map((id, k) => ({ id, groups: groups.filter((_, g) => (k + g + salt) % 2 === 0 || g === k % groups.length) }));
    const strata = groups
      .map((g) => ({ group: g, count: Math.max(1, Math.floor(candidates.filter((c) => c.groups.includes(g)).length / (groups.length + 1))) }))
      .filter((st) => candidates.some((c) => c.groups.includes(st.group)));
    const total = strata.reduce((n, x) => n + x.count, 0);
    const inputs: DrawInputs = { candidates, strata, exclusions: [], assignTo: assign ? Array.from({ length: total }, (_, k) => `seat-${k}`) : null, entropy };
    return { seed, inputs };
  })
  .filter(({ seed, inputs }) => {
    try {
      runDraw(seed, statement, inputs);
      return true;
    } catch {
      return false; // with this seed, earlier strata took members a later (overlapping) stratum needed
    }
  });

describe('yiwang-draw/1 matches its written specification', () => {
  it('agrees with a literal re-implementation (Buffers + node:crypto) on commitment, hashes and result', () => {
    fc.assert(
      fc.property(arbDraw, ({ seed, inputs }) => {
        const ref = referenceDraw(seed, statement, inputs);
        const o = runDraw(seed, statement, inputs);
        expect(drawCommitment(seed, statement)).toBe(ref.commitment);
        expect(o.poolHash).toBe(ref.poolHash);
        expect(o.inputsHash).toBe(ref.inputsHash);
        expect(o.selected).toEqual(ref.selected);
        expect(o.resultHash).toBe(ref.resultHash);
        // node:crypto's SHA-256 (what the server passes) gives identical results to @noble/hashes.
        expect(runDraw(seed, statement, inputs, nodeSha).resultHash).toBe(o.resultHash);
      }),
      { numRuns: 150 },
    );
  });

  it('pins a known answer (changing the algorithm must change its version)', () => {
    const o = runDraw(seedOf('kat'), statement, { candidates: experts(12), strata: [{ group: 'A01', count: 2 }, { group: 'B02', count: 1 }], exclusions: [], assignTo: null, entropy: '' });
    expect(o.selected.map((s) => s.id)).toMatchInlineSnapshot(`
      [
        "e-00000",
        "e-00009",
        "e-00001",
      ]
    `);
    expect(o.resultHash).toMatchInlineSnapshot(`"79a5ac8c917fd07fb02c37fb0c2e15343f06ee452549358ac844d2d66fdf8054"`);
  });
});

describe('byte-identical encodings', () => {
  it('pins exclusions, non-ASCII text and entropy (hashes computed by the encoder before its in-place UTF-8 and hex writers)', () => {
    const st = { drawId: 'draw-kat-2', purpose: 'expert_selection', subject: '招标项目 tender:甲/lot:1/experts', replaces: null };
    const openings = [
      { id: 'e-9', reason: 'bidder_conflict', detail: '与本标段投标人存在任职或申报的利害关系（回避期内）', salt: '00ff'.repeat(8) },
      { id: 'e-10', reason: 'on_leave', detail: 'on leave 😀', salt: 'ab'.repeat(16) },
    ];
    const exclusions = openings.map((e) => ({ commitment: exclusionCommitment(st.drawId, e), reason: e.reason }));
    expect(exclusions.map((e) => e.commitment)).toEqual([
      'cbb09abda439642719674bb8d732d9c575346a0a1c83223f251bc4c6a204f79a',
      '44a825469b57fe704563255029003d786afe43da83a38f1768ea5e7e4436f604',
    ]);
    const candidates = Array.from({ length: 8 }, (_, i) => ({ id: `e-${i}`, groups: i % 2 ? ['A01'] : ['A01', 'B02'] }));
    const o = runDraw('c3'.repeat(32), st, { candidates, strata: [{ group: 'A01', count: 2 }, { group: 'B02', count: 1 }], exclusions, assignTo: null, entropy: '公开随机数 42' });
    expect(o.inputsHash).toBe('4af82283c5be395f59d034f0e811a325c2ad39c68f03255c96ef6a69f019967e');
    expect(o.resultHash).toBe('a7a62754401f5e2e9c2ec53e76c19c06967f55d5b7d2dd563895017685338cc9');
    expect(o.selected.map((s) => s.id)).toEqual(['e-3', 'e-7', 'e-4']);
    // The node:crypto hash gives the same answer as the default.
    expect(runDraw('c3'.repeat(32), st, { candidates, strata: [{ group: 'A01', count: 2 }, { group: 'B02', count: 1 }], exclusions, assignTo: null, entropy: '公开随机数 42' }, nodeSha).resultHash).toBe(o.resultHash);
  });
});

describe('determinism from the record', () => {
  it('the same inputs give the same result, whatever order the candidates, groups and strata are given in', () => {
    fc.assert(
      fc.property(arbDraw, fc.integer(), ({ seed, inputs }, shuffleSeed) => {
        const a = runDraw(seed, statement, inputs);
        const rnd = (k: number) => Math.abs(Math.sin(shuffleSeed + k));
        const shuffled: DrawInputs = {
          ...inputs,
          candidates: [...inputs.candidates].map((c, k) => ({ id: c.id, groups: [...c.groups].sort(() => rnd(k) - 0.5) })).sort((x, y) => rnd(x.id.length) - rnd(y.id.length + 1)).reverse(),
          strata: [...inputs.strata].reverse(),
          assignTo: inputs.assignTo ? [...inputs.assignTo].reverse() : null,
        };
        const b = runDraw(seed, statement, shuffled);
        expect(b.selected).toEqual(a.selected);
        expect(b.assignments).toEqual(a.assignments);
        expect(b.resultHash).toBe(a.resultHash);
        expect(verifyDrawRecord(recordOf(seed, statement, inputs)).ok).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('selects distinct candidates, each from its stratum, the asked number per stratum', () => {
    fc.assert(
      fc.property(arbDraw, ({ seed, inputs }) => {
        const o = runDraw(seed, statement, inputs);
        const groupsOf = new Map(inputs.candidates.map((c) => [c.id, c.groups]));
        expect(new Set(o.selected.map((s) => s.id)).size).toBe(o.selected.length);
        for (const st of inputs.strata) {
          const got = o.selected.filter((s) => s.group === st.group);
          expect(got).toHaveLength(st.count);
          for (const s of got) expect(groupsOf.get(s.id)).toContain(st.group);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a different seed, draw id or public entropy gives an independent draw', () => {
    const inputs: DrawInputs = { candidates: experts(1000), strata: [{ group: '*', count: 10 }], exclusions: [], assignTo: null, entropy: '' };
    const base = runDraw(seedOf(1), statement, inputs).selected.map((s) => s.id).join();
    expect(runDraw(seedOf(2), statement, inputs).selected.map((s) => s.id).join()).not.toBe(base);
    expect(runDraw(seedOf(1), { ...statement, drawId: 'd-0002' }, inputs).selected.map((s) => s.id).join()).not.toBe(base);
    expect(runDraw(seedOf(1), statement, { ...inputs, entropy: '7 3 9' }).selected.map((s) => s.id).join()).not.toBe(base);
  });

  it('refuses inputs it cannot draw from, with stable codes', () => {
    const code = (i: Partial<DrawInputs>) => {
      try {
        runDraw(seedOf(1), statement, { candidates: experts(5), strata: [{ group: '*', count: 1 }], exclusions: [], assignTo: null, entropy: '', ...i });
        return 'ok';
      } catch (e) {
        return (e as DrawInputError).code;
      }
    };
    expect(code({ strata: [{ group: 'A01', count: 3 }] })).toBe('STRATUM_TOO_SMALL');
    expect(code({ strata: [{ group: '*', count: 6 }] })).toBe('COUNT_INVALID');
    expect(code({ candidates: [{ id: 'a', groups: [] }, { id: 'a', groups: [] }] })).toBe('CANDIDATE_DUPLICATE');
    expect(code({ candidates: [{ id: '张三', groups: [] }] })).toBe('CANDIDATE_ID_INVALID');
    expect(code({ strata: [{ group: '*', count: 1 }, { group: 'A01', count: 1 }] })).toBe('STRATUM_ALL_MIXED');
    expect(code({ assignTo: ['s1', 's2'] })).toBe('ASSIGNEE_COUNT');
    expect(code({})).toBe('ok');
  });
});

describe('uniformity (chi-square, significance level α = 0.001, fixed seeds so the outcome is deterministic)', () => {
  it('100,000 draws of an ordered 3 from 7: every one of the 210 ordered triples equally likely', () => {
    // H0: each ordered triple has probability 1/210. Statistic Σ (O − E)² / E over the 210 cells, χ² with 209 degrees
    // of freedom under H0; critical value χ²(0.999; 209) = 277.915 (scipy.stats.chi2.ppf(0.999, 209)).
    const N = 100_000;
    const candidates = Array.from({ length: 7 }, (_, k) => ({ id: `c${k}`, groups: [] }));
    const counts = new Map<string, number>();
    const idx = new Map(candidates.map((c, k) => [c.id, k]));
    const posCounts = Array.from({ length: 3 }, () => new Array<number>(7).fill(0));
    for (let i = 0; i < N; i++) {
      const o = runDraw(seedOf(i), statement, { candidates, strata: [{ group: '*', count: 3 }], exclusions: [], assignTo: null, entropy: '' }, nodeSha);
      const key = o.selected.map((s) => s.id).join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
      o.selected.forEach((s, p) => posCounts[p]![idx.get(s.id)!]!++);
    }
    expect(counts.size).toBe(210);
    const e = N / 210;
    const chi2 = [...counts.values()].reduce((acc, o) => acc + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(277.915);
    // Each position separately: 7 cells, 6 degrees of freedom, χ²(0.999; 6) = 22.458.
    for (const row of posCounts) {
      const ep = N / 7;
      expect(row.reduce((acc, o) => acc + (o - ep) ** 2 / ep, 0)).toBeLessThan(22.458);
    }
  }, 120_000);

  it('no modulo bias: uniform(3·2^30) is flat over its thirds, where "x mod n" would give the first third double weight', () => {
    // n = 3·2^30: 2^32 mod n = 2^30, so plain modulo maps two u32 values to each of [0, 2^30) and one to the rest.
    // Three equal-width buckets; χ² with 2 degrees of freedom, critical value χ²(0.999; 2) = 13.816.
    const n = 3 * 2 ** 30;
    const N = 100_000;
    const stream = new DrawStream(seedOf('bias'), seedOf('inputs'));
    const fair = [0, 0, 0];
    const naive = [0, 0, 0];
    for (let i = 0; i < N; i++) {
      fair[Math.floor(uniformBelow(() => stream.nextU32(), n) / 2 ** 30)]!++;
      naive[Math.floor((stream.nextU32() % n) / 2 ** 30)]!++;
    }
    const chi2 = (c: number[]) => c.reduce((acc, o) => acc + (o - N / 3) ** 2 / (N / 3), 0);
    expect(chi2(fair)).toBeLessThan(13.816);
    expect(chi2(naive)).toBeGreaterThan(1000); // the test can fail: it sees the bias it guards against
  });

  it('rejects exactly the values at and above 2^32 − (2^32 mod n) and reads on', () => {
    const n = 3 * 2 ** 30;
    const limit = 2 ** 32 - 2 ** 30;
    const values = [limit, 2 ** 32 - 1, limit - 1];
    expect(uniformBelow(() => values.shift()!, n)).toBe((limit - 1) % n);
    expect(values).toHaveLength(0);
    expect(uniformBelow(() => 7, 1)).toBe(0);
    expect(() => uniformBelow(() => 0, 0)).toThrow(RangeError);
  });
});

describe('verifying a record', () => {
  const inputs: DrawInputs = {
    candidates: experts(60),
    strata: [{ group: 'A01', count: 3 }, { group: 'C03', count: 2 }],
    exclusions: [{ commitment: exclusionCommitment('d-0001', { id: 'e-00099', reason: 'conflict_of_interest', detail: '投标人原同事', salt: '00112233445566778899aabbccddeeff' }), reason: 'conflict_of_interest' }],
    assignTo: ['seat-01', 'seat-02', 'seat-03', 'seat-04', 'seat-05'],
    entropy: '现场摇号 4 8 1',
  };
  const good = recordOf(seedOf('record'), statement, inputs);

  it('a genuine record verifies on every check', () => {
    const v = verifyDrawRecord(good);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => `${c.check}:${c.status}`)).toEqual(['algorithm:pass', 'commitment:pass', 'pool:pass', 'inputs:pass', 'result:pass', 'exclusions:skipped', 'ledger:skipped']);
  });

  it('every tamper is detected and named: seed, pool, result, version, commitment, parameters', () => {
    const t = (f: (r: DrawRecord) => void) => {
      const r = clone(good);
      f(r);
      return failed(r);
    };
    expect(t((r) => (r.seed = seedOf('other')))).toEqual(['commitment', 'result']);
    expect(t((r) => (r.commitment = drawCommitment(seedOf('other'), statement)))).toEqual(['commitment']);
    // A changed pool fails its hash; the result is recomputed from it too and fails only if the change reached it.
    expect(t((r) => (r.execution!.pool.candidates![4]!.id = 'e-99999'))[0]).toBe('pool');
    expect(t((r) => r.execution!.pool.candidates!.pop())[0]).toBe('pool');
    expect(t((r) => (r.execution!.pool.candidates![0]!.groups = ['B02'])).includes('pool')).toBe(true);
    expect(t((r) => (r.execution!.result.selected = [...r.execution!.result.selected!].reverse()))).toEqual(['result']);
    expect(t((r) => (r.execution!.result.selected![0]!.id = 'e-00058'))).toEqual(['result']);
    expect(t((r) => (r.execution!.result.assignments![0]!.to = 'seat-05'))).toEqual(['result']);
    expect(t((r) => (r.execution!.result.hash = seedOf('h')))).toEqual(['result']);
    expect(t((r) => (r.algorithm = 'yiwang-draw/2'))).toEqual(['algorithm']);
    expect(t((r) => (r.execution!.entropy = '现场摇号 4 8 2'))).toEqual(['inputs', 'result']);
    expect(t((r) => (r.execution!.strata[0]!.count = 4))).toEqual(['inputs', 'result']);
    expect(t((r) => r.execution!.exclusions.pop())).toEqual(['inputs', 'result']);
    expect(t((r) => (r.subject = 'tender:T-1/lot:3'))).toEqual(['commitment', 'inputs', 'result']);
    // A consistent forgery of the pool (candidate swapped, pool hash recomputed) still breaks the inputs hash.
    expect(
      t((r) => {
        r.execution!.pool.candidates![4]!.id = 'e-99999';
        r.execution!.pool.hash = runDraw(seedOf('record'), statement, { ...inputs, candidates: r.execution!.pool.candidates! }).poolHash;
      }),
    ).toEqual(['inputs', 'result']);
  });

  it('any single changed candidate id is detected (property)', () => {
    fc.assert(
      fc.property(fc.nat(59), arbId, (k, id) => {
        const r = clone(good);
        fc.pre(!r.execution!.pool.candidates!.some((c) => c.id === id));
        r.execution!.pool.candidates![k]!.id = id;
        expect(failed(r)).toContain('pool');
      }),
    );
  });

  it('before the reveal: commitment and result are pending, nothing fails, ok is false', () => {
    const early = recordOf(seedOf('record'), statement, inputs, false);
    const v = verifyDrawRecord(early);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(false);
    expect(v.pending.map((c) => c.check)).toEqual(['commitment', 'result']);
    // A secret pool: the hashes are public, the names are not.
    const secret = clone(early);
    secret.execution!.pool.candidates = null;
    secret.execution!.result.selected = null;
    secret.execution!.result.assignments = null;
    secret.execution!.assignTo = { count: 5, ids: null };
    expect(verifyDrawRecord(secret).pending.map((c) => c.check)).toEqual(['commitment', 'pool', 'inputs', 'result']);
  });

  it('exclusion openings (custodians) are checked against the commitments and the pool', () => {
    const withOpening = clone(good);
    withOpening.exclusionOpenings = [{ id: 'e-00099', reason: 'conflict_of_interest', detail: '投标人原同事', salt: '00112233445566778899aabbccddeeff' }];
    expect(verifyDrawRecord(withOpening).checks.find((c) => c.check === 'exclusions')!.status).toBe('pass');
    const wrong = clone(withOpening);
    wrong.exclusionOpenings![0]!.detail = '无';
    expect(failed(wrong)).toEqual(['exclusions']);
    const inPool = clone(withOpening);
    inPool.exclusionOpenings![0]!.id = 'e-00001';
    inPool.execution!.exclusions = [{ commitment: exclusionCommitment('d-0001', inPool.exclusionOpenings![0]!), reason: 'conflict_of_interest' }];
    expect(failed(inPool)).toContain('exclusions');
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const v = verifyDrawRecord(x as DrawRecord);
        expect(v.ok).toBe(false);
      }),
    );
    const r = clone(good) as unknown as Record<string, unknown>;
    (r.execution as Record<string, unknown>).pool = { size: 'x', hash: 5, candidates: [{ id: 3 }] };
    expect(verifyDrawRecord(r as unknown as DrawRecord).ok).toBe(false);
  });

  it('a record with an id outside visible ASCII fails its pool check (no byte-truncation look-alikes)', () => {
    for (const id of ['e-0000\u0161', 'e 00001', 'e-\u0000', 'é-00001']) {
      const r = clone(good);
      r.execution!.pool.candidates![1]!.id = id;
      expect(failed(r)).toContain('pool');
    }
  });

  it('canonicalInputs sorts by byte order of ASCII ids', () => {
    const c = canonicalInputs({ candidates: [{ id: 'b', groups: [] }, { id: 'B', groups: [] }, { id: 'a-1', groups: ['z', 'Y'] }], strata: [{ group: '*', count: 1 }], exclusions: [], assignTo: null, entropy: '' });
    expect(c.candidates).toEqual([{ id: 'B', groups: [] }, { id: 'a-1', groups: ['Y', 'z'] }, { id: 'b', groups: [] }]);
  });
});
