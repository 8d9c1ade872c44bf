import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKeyPair, signMessage, signedMessage } from '@yiwang/sdk/sealing';
import { createTestApp, describeEngines, problem, type TestApp } from '../../../test/harness';
import { verifyBidReceipt } from '@yiwang/sdk/bid-receipt';
import { advance, bj, DEADLINE, put, seal, tenderWorld, type TenderWorld } from './bidding.fixture';

const PRICE = '2876543.21'; // the secret: must appear nowhere in the database or the file store before the opening

/** The envelope with its trailer replaced (digest/signature chosen by an attacker). */
function withTrailer(bytes: Buffer, trailer: object | null): Buffer {
  const headerLen = bytes.readUInt32BE(4);
  const trailerStart = bytes.lastIndexOf(Buffer.from('YWSG'));
  expect(trailerStart).toBeGreaterThan(8 + headerLen);
  const body = bytes.subarray(0, trailerStart);
  if (!trailer) return body;
  const json = Buffer.from(JSON.stringify(trailer));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([body, Buffer.from('YWSG'), len, json]);
}

describeEngines('bidding: sealed bid submission, receipts and secrecy before the deadline', (engine) => {
  let t: TestApp;
  let tw: TenderWorld;
  const db = () => t.ctx.db;
  const bidRows = async () => Number((await db().selectFrom('bids').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(engine, { now: '2026-09-01T01:00:00Z', config: { sessionTtlMinutes: 60 * 24 * 60 } }); // sessions outlive the weeks the clock jumps
    tw = await tenderWorld(t, 'bs');
    t.clock.set(bj('2026-09-10T10:00:00'));
  });
  afterAll(() => t.close());

  it('accepts a sealed, signed envelope and returns a receipt the SDK and the endpoint verify; a forged one fails', async () => {
    const { b1 } = tw.bidders;
    const { bytes, summary } = await seal(tw, b1!.key, 1, PRICE);
    const res = await put(b1!.s, tw.tenderId, 1, bytes, `?digest=${summary.digest}&depositKind=guarantee&depositRef=BH-2026-0001`);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    expect(receipt).toMatchObject({ format: 'yiwang-bid-receipt/1', tenderId: tw.tenderId, lotId: tw.lots[0]!.lotId, bidderOrgId: b1!.orgId, sealedDigest: summary.digest, envelopeSize: bytes.length, receivedAt: bj('2026-09-10T10:00:00'), supersedes: null });
    // The content hash (hashed once, by the verifier) is that of the whole envelope, and the store holds exactly it.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(receipt.envelopeSha256).toBe(sha256);
    expect((await readFile(path.join(t.ctx.config.filesDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256))).equals(bytes)).toBe(true);
    expect(await db().selectFrom('files').select(['sha256', 'size']).where('sha256', '=', sha256).executeTakeFirst()).toEqual({ sha256, size: bytes.length });
    const pub = (await t.app.inject({ method: 'GET', url: '/api/ledger/public-key' })).json();
    expect(verifyBidReceipt(receipt, pub.publicKeyHex)).toBe(true);
    const ok = await t.app.inject({ method: 'POST', url: '/api/bidding/receipts/verify', payload: { receipt } });
    expect(ok.json()).toEqual({ valid: true, signatureValid: true, ledgerMatches: true, recordMatches: true });

    const backdated = { ...receipt, receivedAt: bj('2026-09-09T10:00:00') };
    expect(verifyBidReceipt(backdated, pub.publicKeyHex)).toBe(false);
    expect((await t.app.inject({ method: 'POST', url: '/api/bidding/receipts/verify', payload: { receipt: backdated } })).json()).toMatchObject({ valid: false, signatureValid: false, recordMatches: false });
    const forger = generateKeyPair('ed25519');
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const { receiptMessage } = await import('@yiwang/sdk/bid-receipt');
    const selfSigned = { ...receipt, envelopeSize: 1 };
    selfSigned.signature = Buffer.from(ed25519.sign(new TextEncoder().encode(receiptMessage(selfSigned)), forger.secretKey)).toString('hex');
    expect((await t.app.inject({ method: 'POST', url: '/api/bidding/receipts/verify', payload: { receipt: selfSigned } })).json().valid).toBe(false);

    // The ledger entry names a random id: neither tender, lot nor bidder (staff see type and subject).
    const entry = await (await tw.w.as('staff')).get(`/api/ledger/entries/${receipt.ledger.seq}`);
    expect(entry.json()).toMatchObject({ entryHash: receipt.ledger.entryHash, type: 'bidding.bid_submitted', subjectType: 'bid', subjectId: receipt.bidId });
    for (const secret of [tw.tenderId, tw.lots[0]!.lotId, b1!.orgId]) expect(entry.body).not.toContain(secret);
  });

  it('refuses every tampered, mis-signed, misaddressed or duplicate envelope with a stable code and changes nothing', async () => {
    const { b1, b2 } = tw.bidders;
    const before = await bidRows();
    const current = (await b1!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).json().current.bidId;
    const { bytes, summary } = await seal(tw, b1!.key, 1, '2000000.00', { now: new Date('2026-09-10T02:00:00Z') });
    const flip = (at: number) => {
      const b = Buffer.from(bytes);
      b[at] = b[at]! ^ 0x01;
      return b;
    };
    const headerLen = bytes.readUInt32BE(4);
    const headerAt = bytes.indexOf(Buffer.from('2026-09-10T02:00:00'));
    const tamperedHeader = Buffer.from(bytes);
    tamperedHeader.write('2026-09-10T03', headerAt);
    const other = generateKeyPair('ed25519');
    const cases: [string, Buffer, string, string?][] = [
      ['tampered ciphertext', flip(8 + headerLen + 500), 'BID_DIGEST_MISMATCH'],
      ['tampered header', tamperedHeader, 'BID_DIGEST_MISMATCH'],
      ['unsigned (no trailer)', withTrailer(bytes, null), 'BID_TRUNCATED'],
      ['signed by another key', withTrailer(bytes, { digest: summary.digest, signature: signMessage(other, signedMessage(summary.digest)) }), 'BID_SIGNATURE_INVALID'],
      ['garbage signature', withTrailer(bytes, { digest: summary.digest, signature: 'AAAA' }), 'BID_SIGNATURE_INVALID'],
      ['sealed with another bidder’s key', (await seal(tw, b2!.key, 1, '1.00')).bytes, 'BID_KEY_MISMATCH'],
      ['sealed with an unregistered key', (await seal(tw, other, 1, '1.00')).bytes, 'BID_KEY_MISMATCH'],
      ['hash differs from the one announced', bytes, 'BID_DIGEST_MISMATCH', `?digest=${'0'.repeat(64)}`],
      ['another lot in the header', (await seal(tw, b1!.key, 2, '1.00')).bytes, 'BID_HEADER_MISMATCH'],
      ['another tender in the header', (await seal(tw, b1!.key, 1, '1.00', { tenderId: '00000000-0000-4000-8000-000000000000' })).bytes, 'BID_HEADER_MISMATCH'],
      ['escrow k not the tender’s', (await seal(tw, b1!.key, 1, '1.00', { threshold: 3 })).bytes, 'BID_ESCROW_MISMATCH'],
      ['escrow custodian not the tender’s', (await seal(tw, b1!.key, 1, '1.00', { custodians: [...tw.custodians.slice(0, 2), { kind: 'tenderer', algorithm: 'ed25519', publicKey: other.publicKey }] })).bytes, 'BID_ESCROW_MISMATCH'],
      ['not a sealed bid', Buffer.from('%PDF-1.7 price 100'), 'BID_FORMAT_INVALID'],
    ];
    for (const [name, body, code, query] of cases) {
      const res = await put(b1!.s, tw.tenderId, 1, body, query);
      expect(problem(res).code, `${name}: ${res.body}`).toBe(code);
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
    }
    const accepted = await put(b1!.s, tw.tenderId, 1, bytes);
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().supersedes).toBe(current); // 修改: the new envelope replaces the previous one
    const dup = await put(b1!.s, tw.tenderId, 1, bytes);
    expect(problem(dup)).toMatchObject({ code: 'BID_DUPLICATE', status: 409 });
    expect(await bidRows()).toBe(before + 1);
    const mine = (await b1!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).json();
    expect(mine.current.bidId).toBe(accepted.json().bidId);
    expect(mine.history.map((h: { status: string }) => h.status)).toEqual(['superseded', 'submitted']);
  });

  it('withdraws and resubmits before the deadline; the server clock refuses a late bid, also one finished after the deadline', async () => {
    const { b2, b3 } = tw.bidders;
    const first = await seal(tw, b2!.key, 1, '3100000.00');
    expect((await put(b2!.s, tw.tenderId, 1, first.bytes)).statusCode).toBe(201);
    const w = await b2!.s.delete(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`);
    expect(w.statusCode, w.body).toBe(200);
    expect((await b2!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).json()).toMatchObject({ current: null, history: [{ status: 'withdrawn' }] });
    expect(problem(await b2!.s.delete(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).code).toBe('BID_NOT_FOUND');
    const again = await seal(tw, b2!.key, 1, '3000000.00');
    expect((await put(b2!.s, tw.tenderId, 1, again.bytes)).statusCode).toBe(201);

    // Upload starts 1 s before the deadline and completes after it: refused, whatever the client thinks.
    const late = await seal(tw, b3!.key, 1, '2990000.00');
    t.clock.set(new Date(new Date(DEADLINE).getTime() - 1000).toISOString());
    const half = Math.floor(late.bytes.length / 2);
    const slow = Readable.from(
      (async function* () {
        yield late.bytes.subarray(0, half);
        await new Promise((r) => setTimeout(r, 20));
        t.clock.set(new Date(new Date(DEADLINE).getTime() + 1).toISOString()); // the deadline passes mid-upload
        yield late.bytes.subarray(half);
      })(),
    );
    const res = await put(b3!.s, tw.tenderId, 1, slow);
    expect(problem(res)).toMatchObject({ code: 'TENDER_BIDDING_CLOSED', status: 409 });
    expect((await b3!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).json().current).toBeNull();
    expect(problem(await put(b3!.s, tw.tenderId, 1, late.bytes)).code).toBe('TENDER_BIDDING_CLOSED');
    expect(problem(await b2!.s.delete(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).code).toBe('TENDER_BIDDING_CLOSED');
    t.clock.set(bj('2026-09-20T10:00:00'));
  });

  it('before the deadline nobody learns who bid or how many: the same refusal for a lot with bids and one without', async () => {
    // lot 1 has bids from b1 and b2; lot 2 has none.
    for (const u of ['tenderer', 'tenderer2', 'staff', 'witness', 'reg', 'admin', 'b1', 'b2', 'b3', 'b4']) {
      const s = await tw.w.as(u);
      const answers = [];
      for (const lot of [1, 2]) {
        for (const what of ['bids', 'opening']) {
          const res = await s.get(`/api/bidding/tenders/${tw.tenderId}/lots/${lot}/${what}`);
          expect(res.body).not.toContain(tw.bidders.b1!.orgId);
          answers.push([res.statusCode, problem(res).code, problem(res).message]);
        }
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size, u).toBe(1);
      expect(answers[0]![1], u).toBe(['admin'].includes(u) ? 'NOT_FOUND' : 'BIDS_SECRET_UNTIL_DEADLINE');
    }
    const outsider = await tw.w.as('other');
    expect(problem(await outsider.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bids`)).code).toBe('NOT_FOUND');
    // A bidder sees its own bid and nothing of the others'.
    const b2own = await tw.bidders.b2!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`);
    expect(b2own.body).not.toContain(tw.bidders.b1!.orgId);
    expect((await tw.bidders.b3!.s.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bid`)).json()).toEqual({ current: null, history: [] });
  });

  it('holds no plaintext price anywhere in the database or the file store before the opening', async () => {
    const fen = PRICE.replace('.', '');
    const tables = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(db());
    expect(tables.rows.length).toBeGreaterThan(20);
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ t: string }>`SELECT t::text AS t FROM ${sql.table(table_name)} t`.execute(db());
      for (const r of rows.rows) {
        expect(r.t.includes(PRICE) || r.t.includes(fen), `${table_name} holds the price`).toBe(false);
      }
    }
    const blobs = await db().selectFrom('bids').select('sha256').execute();
    expect(blobs.length).toBeGreaterThan(0);
    for (const b of blobs) {
      const bytes = await readFile(path.join(t.ctx.config.filesDir, b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256));
      expect(bytes.includes(Buffer.from(PRICE))).toBe(false);
      expect(bytes.includes(Buffer.from('技术标'))).toBe(false);
    }
  });

  it('after the deadline the list shows the bidders; fewer than 3 bids → no opening, the lot fails (条例 44)', async () => {
    await advance(t, bj('2026-09-24T09:30:01'));
    const tenderer = await tw.w.as('tenderer');
    const list = await tenderer.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/bids`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().count).toBe(2);
    expect(list.json().items.map((b: { bidder: { orgId: string } }) => b.bidder.orgId).sort()).toEqual([tw.bidders.b1!.orgId, tw.bidders.b2!.orgId].sort());
    const room = (await tenderer.get(`/api/bidding/tenders/${tw.tenderId}/lots/1/opening`)).json();
    expect(room).toMatchObject({ status: 'failed', lotStatus: 'failed', minBidders: 3 });
    expect(room.failedReason).toContain('不得开标');
    expect(room.bids.every((b: { priceFen: number | null }) => b.priceFen === null)).toBe(true);
    expect((await tenderer.get(`/api/bidding/tenders/${tw.tenderId}/lots/2/opening`)).json()).toMatchObject({ status: 'failed', bids: [] });
  });
});
