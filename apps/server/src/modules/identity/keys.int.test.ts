import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';

describeEngines('identity: bid-signing keys with proof of possession', (engine) => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedAccount(t.ctx, { username: 'alice', roles: [{ role: 'bidder' }] });
    await seedAccount(t.ctx, { username: 'bob', roles: [{ role: 'bidder' }] });
    alice = await login(t.app, 'alice');
    bob = await login(t.app, 'bob');
  });
  afterAll(() => t.close());

  const challenge = async (s: Session): Promise<string> => (await s.get('/api/identity/keys/challenge')).json().challenge;

  it('registers Ed25519, P-256 and SM2 keys whose owners sign the challenge', async () => {
    const ed = generateKeyPairSync('ed25519');
    let c = await challenge(alice);
    const r1 = await alice.post('/api/identity/keys', {
      algorithm: 'ed25519',
      publicKey: ed.publicKey.export({ type: 'spki', format: 'pem' }),
      challenge: c,
      proof: sign(null, Buffer.from(c), ed.privateKey).toString('base64'),
      label: '笔记本',
    });
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({
      algorithm: 'ed25519',
      label: '笔记本',
      revokedAt: null,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    c = await challenge(alice);
    const r2 = await alice.post('/api/identity/keys', {
      algorithm: 'p256',
      publicKey: ec.publicKey.export({ type: 'spki', format: 'pem' }),
      challenge: c,
      proof: sign('sha256', Buffer.from(c), ec.privateKey).toString('base64'),
    });
    expect(r2.statusCode).toBe(201);

    const gm = sm2.generateKeyPairHex();
    c = await challenge(alice);
    const r3 = await alice.post('/api/identity/keys', {
      algorithm: 'sm2',
      publicKey: gm.publicKey.toUpperCase(),
      challenge: c,
      proof: sm2.doSignature(c, gm.privateKey, { hash: true }),
    });
    expect(r3.statusCode).toBe(201);
    expect(r3.json().publicKey).toBe(gm.publicKey.toLowerCase());

    const list = (await alice.get('/api/identity/keys')).json().items;
    expect(list.map((k: { algorithm: string }) => k.algorithm).sort()).toEqual(['ed25519', 'p256', 'sm2']);
    expect((await bob.get('/api/identity/keys')).json().items).toEqual([]);
    const ledger = await t.ctx.db.selectFrom('ledger_entries').select('type').where('type', '=', 'identity.key_registered').execute();
    expect(ledger).toHaveLength(3);
  });

  it('refuses a proof made with another key, and spends the challenge anyway', async () => {
    const claimed = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const c = await challenge(alice);
    const body = {
      algorithm: 'ed25519',
      publicKey: claimed.publicKey.export({ type: 'spki', format: 'pem' }),
      challenge: c,
      proof: sign(null, Buffer.from(c), other.privateKey).toString('base64'),
    };
    const res = await alice.post('/api/identity/keys', body);
    expect(res.statusCode).toBe(400);
    expect(problem(res)).toMatchObject({ code: 'PROOF_INVALID', field: 'proof' });
    const retry = await alice.post('/api/identity/keys', {
      ...body,
      proof: sign(null, Buffer.from(c), claimed.privateKey).toString('base64'),
    });
    expect(problem(retry)).toMatchObject({ code: 'CHALLENGE_INVALID', field: 'challenge' });
  });

  it("refuses another account's challenge, an expired challenge, a duplicate key and a malformed key", async () => {
    const kp = generateKeyPairSync('ed25519');
    const pem = kp.publicKey.export({ type: 'spki', format: 'pem' });
    const bobs = await challenge(bob);
    const stolen = await alice.post('/api/identity/keys', {
      algorithm: 'ed25519',
      publicKey: pem,
      challenge: bobs,
      proof: sign(null, Buffer.from(bobs), kp.privateKey).toString('base64'),
    });
    expect(problem(stolen).code).toBe('CHALLENGE_INVALID');

    const old = await challenge(alice);
    t.clock.advance(11 * 60_000);
    const late = await alice.post('/api/identity/keys', {
      algorithm: 'ed25519',
      publicKey: pem,
      challenge: old,
      proof: sign(null, Buffer.from(old), kp.privateKey).toString('base64'),
    });
    expect(problem(late).code).toBe('CHALLENGE_INVALID');
    alice = await login(t.app, 'alice');
    bob = await login(t.app, 'bob');

    let c = await challenge(alice);
    expect(
      (
        await alice.post('/api/identity/keys', {
          algorithm: 'ed25519',
          publicKey: pem,
          challenge: c,
          proof: sign(null, Buffer.from(c), kp.privateKey).toString('base64'),
        })
      ).statusCode,
    ).toBe(201);
    c = await challenge(alice);
    const dup = await alice.post('/api/identity/keys', {
      algorithm: 'ed25519',
      publicKey: pem,
      challenge: c,
      proof: sign(null, Buffer.from(c), kp.privateKey).toString('base64'),
    });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).code).toBe('KEY_ALREADY_REGISTERED');

    c = await challenge(alice);
    const wrongType = await alice.post('/api/identity/keys', { algorithm: 'p256', publicKey: pem, challenge: c, proof: 'AAAA' });
    expect(problem(wrongType)).toMatchObject({ code: 'INVALID_PUBLIC_KEY', field: 'publicKey' });
    const offCurve = await alice.post('/api/identity/keys', {
      algorithm: 'sm2',
      publicKey: '04' + '11'.repeat(64),
      challenge: c,
      proof: '00',
    });
    expect(problem(offCurve).code).toBe('INVALID_PUBLIC_KEY');
  });

  it("revokes one's own key, not someone else's, and needs a signed-in caller", async () => {
    const mine = (await alice.get('/api/identity/keys')).json().items[0];
    const idor = await bob.delete(`/api/identity/keys/${mine.id}`);
    expect(idor.statusCode).toBe(404);
    expect((await alice.get('/api/identity/keys')).json().items[0].revokedAt).toBeNull();
    expect((await alice.delete(`/api/identity/keys/${mine.id}`)).statusCode).toBe(204);
    expect((await alice.get('/api/identity/keys')).json().items.find((k: { id: string }) => k.id === mine.id).revokedAt).not.toBeNull();
    expect((await t.app.inject('/api/identity/keys/challenge')).statusCode).toBe(401);
    expect((await t.app.inject('/api/identity/keys')).statusCode).toBe(401);
  });
});
