/** Test fixture (integration tests only): a published works tender, bidders with registered keys, sealing helpers. */
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import { generateKeyPair, sealBid, signKeyProof, type BidKeyPair, type Custodian, type SealBidInput, type SealSummary } from '@yiwang/sdk/sealing';
import type { Session, TestApp } from '../../../test/harness';
import { runDueJobs } from '../../platform/chronograph/jobs';
import { drainOutbox } from '../../platform/outbox/processors';
import { acceptedProject, bj, seedWorld, tenderBody, upload, type World } from '../tendering/tendering.fixture';

export { bj };
export const DEADLINE = bj('2026-09-24T09:30:00');

export async function registerKey(s: Session, key: BidKeyPair = generateKeyPair('ed25519')): Promise<BidKeyPair> {
  const { challenge } = (await s.get('/api/identity/keys/challenge')).json();
  const res = await s.post('/api/identity/keys', { algorithm: key.algorithm, publicKey: key.publicKey, challenge, proof: signKeyProof(key, challenge) });
  expect(res.statusCode, res.body).toBe(201);
  return key;
}

export interface Bidder {
  name: string;
  s: Session;
  key: BidKeyPair;
  orgId: string;
}

export interface TenderWorld {
  w: World;
  tenderId: string;
  lots: { lotNo: number; lotId: string }[];
  custodians: Custodian[];
  custodianKeys: Record<string, BidKeyPair>;
  k: number;
  bidders: Record<string, Bidder>;
}

/** A published tender (2 lots, deadline 2026-09-24 09:30 Beijing), b1–b4 obtained the documents and registered keys. */
export async function tenderWorld(t: TestApp, prefix: string, base?: TenderWorld): Promise<TenderWorld> {
  const w = base?.w ?? (await seedWorld(t, prefix));
  const tenderer = await w.as('tenderer');
  const projectId = await acceptedProject(w);
  const docId = await upload(tenderer, '招标文件.pdf');
  const created = await tenderer.post('/api/tendering/tenders', tenderBody(w, projectId, [docId]));
  expect(created.statusCode, created.body).toBe(201);
  const tenderId = created.json().id as string;
  expect((await tenderer.post(`/api/tendering/tenders/${tenderId}/publish`)).statusCode).toBe(200);
  const custodianKeys: Record<string, BidKeyPair> = { ...base?.custodianKeys };
  if (!base) for (const u of ['staff', 'reg', 'tenderer']) custodianKeys[u] = await registerKey(await w.as(u));
  const bidders: Record<string, Bidder> = {};
  for (const b of ['b1', 'b2', 'b3', 'b4']) {
    const s = await w.as(b);
    expect((await s.post(`/api/tendering/tenders/${tenderId}/obtain`)).statusCode).toBe(200);
    bidders[b] = { name: b, s, key: base ? base.bidders[b]!.key : await registerKey(s), orgId: w.ids[b]!.orgId! };
  }
  const sealing = await bidders.b1!.s.get(`/api/bidding/tenders/${tenderId}/sealing`);
  expect(sealing.statusCode, sealing.body).toBe(200);
  const sj = sealing.json();
  return {
    w,
    tenderId,
    lots: sj.lots.map((l: { lotNo: number; lotId: string }) => ({ lotNo: l.lotNo, lotId: l.lotId })),
    custodians: sj.escrow.custodians.map((c: { kind: Custodian['kind']; accountId: string; algorithm: Custodian['algorithm']; publicKey: string }) => ({ kind: c.kind, accountId: c.accountId, algorithm: c.algorithm, publicKey: c.publicKey })),
    custodianKeys,
    k: sj.escrow.k,
    bidders,
  };
}

export const priceSheet = (lotId: string, priceYuan: string, durationDays = 365) => ({ currency: 'CNY' as const, lots: [{ lotId, priceYuan, durationDays, quality: '合格' }] });

export async function seal(tw: TenderWorld, key: BidKeyPair, lotNo: number, priceYuan: string, over: Partial<SealBidInput> = {}): Promise<{ bytes: Buffer; summary: SealSummary }> {
  const lotId = tw.lots.find((l) => l.lotNo === lotNo)!.lotId;
  const parts: Uint8Array[] = [];
  const text = new TextEncoder().encode(`技术标：施工组织设计……${'x'.repeat(3000)}`);
  const summary = await sealBid(
    {
      tenderId: tw.tenderId,
      lotIds: [lotId],
      priceSheet: priceSheet(lotId, priceYuan),
      files: [{ name: '技术标.txt', mediaType: 'text/plain', size: text.length, content: text }],
      bidderKey: key,
      custodians: tw.custodians,
      threshold: tw.k,
      chunkSize: 1024,
      ...over,
    },
    (b) => {
      parts.push(b);
    },
  );
  return { bytes: Buffer.concat(parts), summary };
}

export function put(s: Session, tenderId: string, lotNo: number, body: Buffer | Readable, query = '') {
  return s.request({ method: 'PUT', url: `/api/bidding/tenders/${tenderId}/lots/${lotNo}/bid${query}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
}

/** Move the clock to `iso`, run due jobs and drain the outbox (the deadline → opening → the room opens). */
export async function advance(t: TestApp, iso: string): Promise<void> {
  t.clock.set(iso);
  for (let i = 0; i < 3; i++) {
    const r = await runDueJobs(t.ctx);
    expect(r.failed).toEqual([]);
    const d = await drainOutbox(t.ctx);
    expect(d.failures).toEqual([]);
  }
}
