import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, verifyLedgerInclusion } from '@yiwang/contracts/merkle';
import { verifyEntryProof } from '@yiwang/sdk/ledger';
import { createTestApp, describeEngines, login, problem, seedAccount, type TestApp } from '../../../test/harness';
import { appendLedger, entryHash } from './append';
import { createCheckpoint } from './checkpoint';
import { verifyLedger, type LedgerProblemKind } from './verify';

async function append(t: TestApp, n: number) {
  for (let i = 0; i < n; i++) {
    t.clock.advance(1000);
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        appendLedger(
          trx,
          { type: 'bid.submitted', subjectType: 'bid', subjectId: `b-${i}`, payload: { price: `${1000 + i}.00`, secret: `sealed-${i}` } },
          t.clock.now(),
        ),
      );
  }
}

const kinds = (r: { problems: { kind: LedgerProblemKind; seq?: number; treeSize?: number }[] }) =>
  r.problems.map((p) => `${p.kind}@${p.seq ?? p.treeSize}`).sort();

describeEngines('ledger checkpoints, proofs and verification', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('publishes signed checkpoints that a client verifies with the public key alone, and inclusion proofs for entries', async () => {
    t = await createTestApp(engine);
    await append(t, 13);
    // Before any checkpoint: the entry exists but there is no signed root to prove against.
    expect(problem(await t.app.inject('/api/ledger/entries/3/proof')).code).toBe('LEDGER_NOT_CHECKPOINTED');
    const c1 = await createCheckpoint(t.ctx);
    expect(c1).toMatchObject({ treeSize: 13 });
    await append(t, 6);
    t.clock.advance(60_000);
    const c2 = await createCheckpoint(t.ctx);
    expect(c2!.treeSize).toBe(19);
    // Not growing → no new checkpoint.
    expect((await createCheckpoint(t.ctx))!.treeSize).toBe(19);

    const key = (await t.app.inject('/api/ledger/public-key')).json();
    expect(key).toMatchObject({ algorithm: 'Ed25519' });
    expect(JSON.stringify(key)).not.toMatch(/PRIVATE/);
    const list = (await t.app.inject('/api/ledger/checkpoints')).json();
    expect(list.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([19, 13]);
    for (const c of list.items) {
      expect(ed25519.verify(hexToBytes(c.signature), new TextEncoder().encode(c.message), hexToBytes(key.publicKeyHex))).toBe(true);
      expect(c.message).toContain(`root=${c.root}`);
    }
    // A forged root does not verify under the published key.
    const forged = list.items[0].message.replace(list.items[0].root, 'ab'.repeat(32));
    expect(ed25519.verify(hexToBytes(list.items[0].signature), new TextEncoder().encode(forged), hexToBytes(key.publicKeyHex))).toBe(false);

    // Public entry view: hashes and time only — what it is about would reveal e.g. how many bids a project has.
    const e5 = await t.app.inject('/api/ledger/entries/5');
    expect(e5.statusCode).toBe(200);
    expect(Object.keys(e5.json()).sort()).toEqual(['entryHash', 'leafHash', 'prevHash', 'recordedAt', 'seq']);
    expect(e5.body).not.toContain('sealed-4');
    expect(e5.body).not.toContain('bid');
    // Supervision staff see type and subject, still never the payload.
    await seedAccount(t.ctx, { username: 'reg1', roles: [{ role: 'regulator' }] });
    const asRegulator = await (await login(t.app, 'reg1')).get('/api/ledger/entries/5');
    expect(asRegulator.json()).toMatchObject({ seq: 5, type: 'bid.submitted', subjectType: 'bid', subjectId: 'b-4' });
    expect(asRegulator.body).not.toContain('sealed-4');
    await seedAccount(t.ctx, { username: 'bidder9', roles: [{ role: 'bidder' }] });
    expect((await (await login(t.app, 'bidder9')).get('/api/ledger/entries/5')).json().type).toBeUndefined();
    expect(problem(await t.app.inject('/api/ledger/entries/99')).code).toBe('NOT_FOUND');

    // Every entry proves into the latest root (incremental checkpoint = same tree as from scratch), and into the older one.
    for (let seq = 1; seq <= 19; seq++) {
      const p = (await t.app.inject(`/api/ledger/entries/${seq}/proof`)).json();
      expect(p.treeSize).toBe(19);
      expect(verifyLedgerInclusion(p.entryHash, seq, p.treeSize, p.path, p.checkpoint.root)).toBe(true);
      // The proof does not carry over to another position.
      if (seq > 1) expect(verifyLedgerInclusion(p.entryHash, seq - 1, p.treeSize, p.path, p.checkpoint.root)).toBe(false);
    }
    // The SDK's end-to-end check (signature + inclusion + binding to the receipt's hash) accepts the server's answer.
    const p9 = (await t.app.inject('/api/ledger/entries/9/proof')).json();
    const e9 = (await t.app.inject('/api/ledger/entries/9')).json();
    expect(verifyEntryProof(p9, key.publicKeyHex, e9.entryHash)).toEqual({ ok: true });
    expect(verifyEntryProof(p9, key.publicKeyHex, e5.json().entryHash)).toEqual({ ok: false, reason: 'mismatch' });
    const old = (await t.app.inject('/api/ledger/entries/7/proof?treeSize=13')).json();
    expect(old.checkpoint.root).toBe(c1!.root);
    expect(verifyLedgerInclusion(old.entryHash, 7, 13, old.path, c1!.root)).toBe(true);
    expect(problem(await t.app.inject('/api/ledger/entries/7/proof?treeSize=14')).code).toBe('NOT_FOUND');
    expect(problem(await t.app.inject('/api/ledger/entries/15/proof?treeSize=13')).field).toBe('treeSize');
  });

  it('proves entries of a larger ledger from cached subtree roots, which the client need not trust', async () => {
    t = await createTestApp(engine);
    const app = t;
    const bulk = (n: number) =>
      app.ctx.db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i++)
          await appendLedger(trx, { type: 'lot.bid', subjectType: 'lot', subjectId: String(i), payload: { i } }, app.clock.now());
      });
    await bulk(520);
    const c1 = (await createCheckpoint(t.ctx))!;
    await bulk(180);
    const c2 = (await createCheckpoint(t.ctx))!;
    const cached = await t.ctx.db.selectFrom('ledger_merkle_nodes').select(['level', 'idx']).orderBy('level').orderBy('idx').execute();
    expect(cached).toEqual([
      { level: 8, idx: 0 },
      { level: 8, idx: 1 },
      { level: 9, idx: 0 },
    ]);
    const check = async (seq: number, cp: { treeSize: number; root: string }) => {
      const p = (await t!.app.inject(`/api/ledger/entries/${seq}/proof?treeSize=${cp.treeSize}`)).json();
      return verifyLedgerInclusion(p.entryHash, seq, cp.treeSize, p.path, cp.root);
    };
    for (const seq of [1, 200, 256, 257, 511, 512, 513, 520]) expect(await check(seq, c1)).toBe(true);
    for (const seq of [1, 256, 300, 512, 513, 600, 699, 700]) expect(await check(seq, c2)).toBe(true);
    // A corrupted cache row yields a proof that fails against the signed root: it cannot make a false proof pass.
    await sql`UPDATE ledger_merkle_nodes SET hash = ${'00'.repeat(32)} WHERE level = 8 AND idx = 1`.execute(t.ctx.db);
    expect(await check(3, c2)).toBe(false);
    // Without the cache, proofs are computed from the entries.
    await sql`DELETE FROM ledger_merkle_nodes`.execute(t.ctx.db);
    for (const seq of [3, 400, 700]) expect(await check(seq, c2)).toBe(true);
  });

  it('stores the signing key encrypted under YIWANG_MASTER_KEY and cannot sign without it', async () => {
    const saved = process.env.YIWANG_MASTER_KEY;
    try {
      process.env.YIWANG_MASTER_KEY = 'test-master-key-0123456789abcdef';
      t = await createTestApp(engine);
      await append(t, 2);
      expect(await createCheckpoint(t.ctx)).toMatchObject({ treeSize: 2 });
      const row = await t.ctx.db.selectFrom('platform_keys').selectAll().executeTakeFirstOrThrow();
      expect(row.private_key_protection).toBe('aes-256-gcm');
      expect(row.private_key).not.toContain('PRIVATE KEY');
      // A fresh process (no cached key) with the wrong master key cannot sign, and says why.
      const other = { ...t.ctx, db: t.ctx.db.withoutPlugins() };
      process.env.YIWANG_MASTER_KEY = 'wrong';
      await append(t, 1);
      await expect(createCheckpoint(other)).rejects.toThrow(/does not decrypt/);
      delete process.env.YIWANG_MASTER_KEY;
      await expect(createCheckpoint(other)).rejects.toThrow(/YIWANG_MASTER_KEY is not set/);
      // The public key stays available for verification regardless.
      expect((await t.app.inject('/api/ledger/public-key')).statusCode).toBe(200);
      expect((await verifyLedger(t.ctx.db)).ok).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.YIWANG_MASTER_KEY;
      else process.env.YIWANG_MASTER_KEY = saved;
    }
  });

  it('lets only an admin create a checkpoint on demand', async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'root', roles: [{ role: 'admin' }] });
    await seedAccount(t.ctx, { username: 'bidder1', roles: [{ role: 'bidder' }] });
    const admin = await login(t.app, 'root');
    expect(problem(await admin.post('/api/ledger/checkpoints')).code).toBe('LEDGER_EMPTY');
    await append(t, 3);
    expect(problem(await t.app.inject({ method: 'POST', url: '/api/ledger/checkpoints' })).code).toBe('UNAUTHENTICATED');
    expect(problem(await (await login(t.app, 'bidder1')).post('/api/ledger/checkpoints')).code).toBe('FORBIDDEN_ROLE');
    const res = await admin.post('/api/ledger/checkpoints');
    expect(res.statusCode).toBe(200);
    expect(res.json().treeSize).toBe(3);
  });

  it('verifies an untouched ledger', async () => {
    t = await createTestApp(engine);
    const empty = await verifyLedger(t.ctx.db);
    expect(empty).toMatchObject({ ok: true, entries: 0, headSeq: 0 });
    await append(t, 25);
    await createCheckpoint(t.ctx);
    await append(t, 5);
    const r = await verifyLedger(t.ctx.db, { batchSize: 7 });
    expect(r).toMatchObject({ ok: true, entries: 30, headSeq: 30, lastSeq: 30, checkpointsChecked: 1, problems: [] });
  });

  it('reports a payload edited in place at its seq', async () => {
    t = await createTestApp(engine);
    await append(t, 20);
    await createCheckpoint(t.ctx);
    await sql`UPDATE ledger_entries SET payload = '{"price":"1.00","secret":"sealed-6"}' WHERE seq = 7`.execute(t.ctx.db);
    const r = await verifyLedger(t.ctx.db, { batchSize: 6 });
    expect(r.ok).toBe(false);
    expect(kinds(r)).toEqual(['edited@7']);
    expect(r.problems[0]!.message).toContain('entry 7 was edited');
    // A checkpoint re-checks the entries it adds and refuses to sign over a broken chain.
    await append(t, 3);
    await sql`UPDATE ledger_entries SET payload = '{"price":"1.00","secret":"sealed-1"}' WHERE seq = 22`.execute(t.ctx.db);
    await expect(createCheckpoint(t.ctx)).rejects.toThrow(/entry 22 fails verification/);
    expect(await t.ctx.db.selectFrom('ledger_checkpoints').select('tree_size').execute()).toEqual([{ tree_size: 20 }]);
  });

  it('reads rows whose text needs escaping, and reports a time moved by less than a millisecond', async () => {
    t = await createTestApp(engine);
    await append(t, 3);
    const odd = { type: 'test.odd', subjectType: 'tab\there', subjectId: 'new\nline \\ back\rslash', payload: { s: 'tab\t nl\n bs\\ "q"', 中文: ['😀'] } };
    await t.ctx.db.transaction().execute((trx) => appendLedger(trx, odd, t!.clock.now()));
    await append(t, 2);
    expect(await verifyLedger(t.ctx.db)).toMatchObject({ ok: true, entries: 6 });
    await sql`UPDATE ledger_entries SET recorded_at = recorded_at + interval '1 microsecond' WHERE seq = 2`.execute(t.ctx.db);
    expect(kinds(await verifyLedger(t.ctx.db))).toEqual(['edited@2']);
  });

  it('reports an edit whose hash was recomputed by the attacker: the next link breaks and the signed root no longer matches', async () => {
    t = await createTestApp(engine);
    await append(t, 20);
    await createCheckpoint(t.ctx);
    const row = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('seq', '=', 9).executeTakeFirstOrThrow();
    const payload = { price: '1.00', secret: 'sealed-8' };
    const forgedHash = entryHash(row.prev_hash, {
      seq: 9,
      recordedAt: row.recorded_at,
      type: row.type,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      actorId: row.actor_id,
      payload,
    });
    await t.ctx.db
      .updateTable('ledger_entries')
      .set({ payload: JSON.stringify(payload), entry_hash: forgedHash })
      .where('seq', '=', 9)
      .execute();
    const r = await verifyLedger(t.ctx.db);
    expect(kinds(r)).toEqual(['checkpoint_root@20', 'relinked@10']);
    // The same through the worker-thread tree that big ledgers use.
    expect(kinds(await verifyLedger(t.ctx.db, { merkleWorker: true }))).toEqual(['checkpoint_root@20', 'relinked@10']);
  });

  it('reports a deleted row in the middle and at the tail', async () => {
    t = await createTestApp(engine);
    await append(t, 20);
    await createCheckpoint(t.ctx);
    await sql`DELETE FROM ledger_entries WHERE seq IN (11, 12)`.execute(t.ctx.db);
    const r = await verifyLedger(t.ctx.db);
    expect(kinds(r)).toEqual(['checkpoint_beyond_chain@20', 'deleted@11']);
    expect(kinds(await verifyLedger(t.ctx.db, { merkleWorker: true }))).toEqual(['checkpoint_beyond_chain@20', 'deleted@11']);
    expect(r.problems.find((p) => p.kind === 'deleted')!.message).toContain('entries 11–12 are missing');

    await sql`DELETE FROM ledger_entries WHERE seq = 20`.execute(t.ctx.db);
    const r2 = await verifyLedger(t.ctx.db);
    expect(kinds(r2)).toEqual(['checkpoint_beyond_chain@20', 'deleted@11', 'deleted@20']);
    expect(r2.problems.find((p) => p.seq === 20)!.message).toContain('tail was deleted');
  });

  it('reports a forged row inserted after the head, and a head or checkpoint rewritten', async () => {
    t = await createTestApp(engine);
    await append(t, 10);
    await createCheckpoint(t.ctx);
    const last = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('seq', '=', 10).executeTakeFirstOrThrow();
    const fields = {
      seq: 11,
      recordedAt: new Date(last.recorded_at.getTime() + 1000),
      type: 'bid.submitted',
      subjectType: 'bid',
      subjectId: 'forged',
      actorId: null,
      payload: { price: '1.00' },
    };
    // A well-formed forgery: correct prev link and hash, only the head was not moved.
    await t.ctx.db
      .insertInto('ledger_entries')
      .values({
        seq: 11,
        recorded_at: fields.recordedAt,
        type: fields.type,
        subject_type: 'bid',
        subject_id: 'forged',
        actor_id: null,
        payload: JSON.stringify(fields.payload),
        prev_hash: last.entry_hash,
        entry_hash: entryHash(last.entry_hash, fields),
      })
      .execute();
    expect(kinds(await verifyLedger(t.ctx.db))).toEqual(['inserted@11']);
    await sql`DELETE FROM ledger_entries WHERE seq = 11`.execute(t.ctx.db);

    await sql`UPDATE ledger_head SET entry_hash = ${'f'.repeat(64)}`.execute(t.ctx.db);
    expect(kinds(await verifyLedger(t.ctx.db))).toEqual(['head@10']);
    await sql`UPDATE ledger_head SET entry_hash = ${last.entry_hash}`.execute(t.ctx.db);

    await sql`UPDATE ledger_checkpoints SET root = ${'ab'.repeat(32)}`.execute(t.ctx.db);
    expect(kinds(await verifyLedger(t.ctx.db))).toEqual(['checkpoint_root@10', 'checkpoint_signature@10']);
  });
});
