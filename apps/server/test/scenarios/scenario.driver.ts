/**
 * Scenario driver (integration tests only): takes one tender of a given procedure policy from an accepted project to
 * the contract through the real HTTP APIs — intake, tendering, identity keys, bidding (sealed with @yiwang/sdk/sealing),
 * the chronograph, the opening room, award, open data. Nothing is written to the database directly and no module seam
 * is replaced: what a module does not do, the scenario does not pretend (see the scenario tests for the gaps).
 *
 * Each stage is its own function, so a test can stop after any stage or put its own step between two (a
 * clarification, an objection, a bidder that does not decrypt). `runToContract` chains them with a default calendar.
 */
import { expect } from 'vitest';
import { encodeContentKey, generateKeyPair, sealBid, signKeyProof, unwrapContentKey, type BidKeyPair, type Custodian, type SealedBidHeader } from '@yiwang/sdk/sealing';
import { verifyBidReceipt } from '@yiwang/sdk/bid-receipt';
import { createTestApp, login, type Session, type TestApp } from '../harness';
import type { Engine } from '../fixture-db';
import { runDueJobs } from '../../src/platform/chronograph/jobs';
import { drainOutbox } from '../../src/platform/outbox/processors';
import { bj, seedWorld, upload, WAN, type World } from '../../src/modules/tendering/tendering.fixture';
import { loadOcdsValidator } from '../ocds-schema';

export { bj, WAN };

/** What the server says about a policy (`GET /api/tendering/policies`): the scenario follows it, not a copy. */
export interface PolicyView {
  code: string;
  regime: string;
  invitational: boolean;
  minBidders: { value: number };
  announcements: Record<string, string | null>;
  negotiationRounds: { value: boolean; basis: string };
  deposit: { capPercent: number; cashAllowed: boolean };
}

export interface Scenario {
  t: TestApp;
  w: World;
  /** Signed-in sessions, one per user for the whole scenario (sign-in hashes a password: slow on a loaded machine). */
  as(u: string): Promise<Session>;
  keys: Record<string, BidKeyPair>;
  close(): Promise<void>;
}

/** A fresh application and database, its accounts (tendering.fixture seedWorld), the custodians' keys registered. */
export async function openScenario(engine: Engine, prefix: string, startBeijing = '2026-11-02T09:00:00'): Promise<Scenario> {
  // The demo guarantee issuer and bank mounted on the server itself: every deposit goes over real HTTP through the
  // issuer adapter (Ed25519-signed answer) or the bank callback (HMAC-signed), as with a real issuer or bank.
  process.env.YIWANG_DEMO_ADAPTERS = '1';
  const t = await createTestApp(engine, { now: bj(startBeijing), config: { sessionTtlMinutes: 200 * 24 * 60 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const w = await seedWorld(t, prefix);
  const sessions = new Map<string, Promise<Session>>();
  const as = (u: string) => {
    if (!sessions.has(u)) sessions.set(u, login(t.app, `${prefix}-${u}`));
    return sessions.get(u)!;
  };
  const keys: Record<string, BidKeyPair> = {};
  for (const u of ['staff', 'reg', 'regp', 'tenderer']) keys[u] = await registerKey(await as(u));
  return { t, w, as, keys, close: () => t.close() };
}

export async function registerKey(s: Session, key: BidKeyPair = generateKeyPair('ed25519')): Promise<BidKeyPair> {
  const { challenge } = (await s.get('/api/identity/keys/challenge')).json();
  const res = await s.post('/api/identity/keys', { algorithm: key.algorithm, publicKey: key.publicKey, challenge, proof: signKeyProof(key, challenge) });
  expect(res.statusCode, res.body).toBe(201);
  return key;
}

export async function policyOf(sc: Scenario, code: string): Promise<PolicyView> {
  const all = (await sc.t.app.inject({ method: 'GET', url: '/api/tendering/policies' })).json() as PolicyView[];
  const p = all.find((x) => x.code === code);
  if (!p) throw new Error(`policy ${code} not served`);
  return p;
}

/** Move the server clock, run the jobs that became due and drain the outbox (deadline → opening room → …). */
export async function advance(sc: Scenario, beijing: string): Promise<void> {
  sc.t.clock.set(bj(beijing));
  for (let i = 0; i < 3; i++) {
    expect((await runDueJobs(sc.t.ctx)).failed).toEqual([]);
    expect((await drainOutbox(sc.t.ctx)).failures).toEqual([]);
  }
}

const isWorks = (code: string) => code.startsWith('works_');

/** Register, submit and accept a project of the procedure (one lot per `lots` entry) through the intake API. */
export async function acceptedProject(sc: Scenario, procedure: string, lots: number[] = [300 * WAN], viaAgency = false): Promise<string> {
  const tenderer = await sc.as(viaAgency ? 'agency' : 'tenderer');
  const works = isWorks(procedure);
  const codes = [...(works ? ['project_approval', 'funding_proof', 'tender_plan'] : ['procurement_plan', 'procurement_requirements']), ...(viaAgency ? ['agency_contract'] : [])];
  const materials = [];
  for (const code of codes) materials.push({ code, fileId: await upload(tenderer, `${code}.pdf`) });
  const res = await tenderer.post('/api/projects', {
    name: works ? '某中学教学楼新建工程' : '某中学教学设备采购',
    catalogCode: works ? 'works.housing' : 'gp.goods',
    procedureType: procedure,
    subject: works ? 'works' : 'goods',
    regionCode: '350203',
    estimateFen: lots.reduce((a, b) => a + b, 0),
    lots: lots.map((estimateFen, i) => ({ name: `第${i + 1}标段`, estimateFen })),
    materials,
    ...(viaAgency ? { tendererOrgId: sc.w.ids.tenderer!.orgId } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await tenderer.post(`/api/projects/${id}/submit`)).statusCode).toBe(200);
  const accepted = await (await sc.as('staff')).post(`/api/projects/${id}/accept`);
  expect(accepted.statusCode, accepted.body).toBe(200);
  return id;
}

export interface Tender {
  id: string;
  procedure: string;
  policy: PolicyView;
  noticeId: string | null;
  documentId: string;
  depositFen: number;
  deadline: string; // Beijing wall time
  lots: { lotNo: number; lotId: string }[];
  custodians: Custodian[];
  k: number;
  regulator: string;
}

/** Create and publish the tender (documents, escrow of center staff + regulator in jurisdiction + tenderer, invitations). */
export async function publishTender(
  sc: Scenario,
  procedure: string,
  opts: { deadline: string; invited?: string[]; depositFen?: number; lotCount?: number; viaAgency?: boolean },
): Promise<Tender> {
  const policy = await policyOf(sc, procedure);
  const projectId = await acceptedProject(sc, procedure, Array.from({ length: opts.lotCount ?? 1 }, () => 300 * WAN), opts.viaAgency);
  const tenderer = await sc.as(opts.viaAgency ? 'agency' : 'tenderer');
  const documentId = await upload(tenderer, '招标文件.pdf');
  const regulator = isWorks(procedure) ? 'reg' : 'regp';
  // 2 % of the lot's 300 万 estimate: every policy's cap (条例 26; 采购条例 33).
  const depositFen = opts.depositFen ?? 6 * WAN;
  const created = await tenderer.post('/api/tendering/tenders', {
    projectId,
    procedureType: procedure,
    lots: Array.from({ length: opts.lotCount ?? 1 }, (_, i) => ({ lotNo: i + 1, depositFen, bidDeadline: bj(opts.deadline) })),
    documentIds: [documentId],
    escrow: { k: 2, custodianAccountIds: [sc.w.ids.staff!.accountId, sc.w.ids[regulator]!.accountId, sc.w.ids.tenderer!.accountId] },
    ...(opts.invited ? { invitedOrgIds: opts.invited.map((b) => sc.w.ids[b]!.orgId) } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect(created.json().procedureType).toBe(procedure);
  const pub = await tenderer.post(`/api/tendering/tenders/${id}/publish`);
  expect(pub.statusCode, pub.body).toBe(200);
  const noticeId = pub.json().noticeId as string | null;
  // The announcement the policy publishes at this stage (none for an invitation: 投标邀请书 go to the invited only).
  if (policy.announcements.publish) {
    const notice = await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${noticeId}` });
    expect(notice.json().type).toBe(policy.announcements.publish);
  } else expect(noticeId).toBeNull();
  return { id, procedure, policy, noticeId, documentId, depositFen, deadline: opts.deadline, lots: [], custodians: [], k: 0, regulator };
}

export interface Bidder {
  name: string;
  s: Session;
  key: BidKeyPair;
  orgId: string;
  header?: SealedBidHeader;
  priceYuan?: string;
  /** The deposit attached to the bid, per lot number. */
  deposit: Record<number, { kind: 'cash' | 'guarantee'; ref: string }>;
}

/** Bidders obtain the documents (recorded, secret), register their keys and read what to seal to. */
export async function obtainAndPrepare(sc: Scenario, tender: Tender, names: string[]): Promise<Record<string, Bidder>> {
  const bidders: Record<string, Bidder> = {};
  for (const b of names) {
    const s = await sc.as(b);
    const got = await s.post(`/api/tendering/tenders/${tender.id}/obtain`);
    expect(got.statusCode, got.body).toBe(200);
    expect((await s.get(`/api/files/${tender.documentId}`)).statusCode).toBe(200); // the documents, downloaded
    sc.keys[b] ??= await registerKey(s);
    bidders[b] = { name: b, s, key: sc.keys[b]!, orgId: sc.w.ids[b]!.orgId!, deposit: {} };
  }
  const sealing = await bidders[names[0]!]!.s.get(`/api/bidding/tenders/${tender.id}/sealing`);
  expect(sealing.statusCode, sealing.body).toBe(200);
  const sj = sealing.json();
  tender.lots = sj.lots.map((l: { lotNo: number; lotId: string }) => ({ lotNo: l.lotNo, lotId: l.lotId }));
  tender.custodians = sj.escrow.custodians.map((c: Custodian & { publicKey: string }) => ({ kind: c.kind, accountId: c.accountId, algorithm: c.algorithm, publicKey: c.publicKey }));
  tender.k = sj.escrow.k;
  expect(tender.custodians.every((c) => c.publicKey)).toBe(true);
  if (tender.depositFen > 0) for (const b of Object.values(bidders)) for (const l of tender.lots) await payDeposit(tender, b, l.lotNo);
  return bidders;
}

/**
 * The deposit per lot through the deposits API: works by transfer into the lot's virtual sub-account (demo bank
 * callback), government procurement by an electronic guarantee from the demo issuer (采购条例 33: non-cash), verified.
 */
export async function payDeposit(tender: Tender, b: Bidder, lotNo: number): Promise<void> {
  const lotId = tender.lots.find((l) => l.lotNo === lotNo)!.lotId;
  const lot = `/api/deposits/lots/${tender.id}/${lotId}`;
  if (tender.policy.regime === 'works') {
    const acct = await b.s.post(`${lot}/sub-accounts`, {});
    expect(acct.statusCode, acct.body).toBe(200);
    const paid = await b.s.post('/api/deposits/demo/bank-transfers', { virtualAccount: acct.json().accountNo, amountFen: tender.depositFen });
    expect(paid.json(), paid.body).toMatchObject({ status: 200, answer: { result: 'recorded' } });
    b.deposit[lotNo] = { kind: 'cash', ref: acct.json().accountNo };
  } else {
    const bought = await b.s.post('/api/deposits/demo/guarantees', { tenderId: tender.id, lotId });
    expect(bought.statusCode, bought.body).toBe(201);
    const g = await b.s.post(`${lot}/guarantees`, bought.json());
    expect(g.statusCode, g.body).toBe(201);
    expect(g.json()).toMatchObject({ status: 'verified', amountFen: tender.depositFen });
    b.deposit[lotNo] = { kind: 'guarantee', ref: bought.json().guaranteeNo };
  }
  expect((await b.s.get(`${lot}/mine`)).json().deposit.status).toBe('satisfied');
}

/** What the bidder's own deposit records say now (`GET …/mine`): credits, guarantees, refund tasks. */
export async function myDeposit(tender: Tender, b: Bidder, lotNo = 1) {
  const lotId = tender.lots.find((l) => l.lotNo === lotNo)!.lotId;
  const r = await b.s.get(`/api/deposits/lots/${tender.id}/${lotId}/mine`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { guarantees: { status: string }[]; refunds: { dueAt: string }[]; deposit: { status: string } };
}

/** Seal a bid for one lot with the SDK (content key wrapped to the bidder and to the k-of-n escrow, signed). */
export async function sealFor(tender: Tender, bidder: Bidder, lotNo: number, priceYuan: string) {
  const lotId = tender.lots.find((l) => l.lotNo === lotNo)!.lotId;
  const parts: Uint8Array[] = [];
  const text = new TextEncoder().encode(`技术标（${bidder.name}）：实施方案……${'x'.repeat(2000)}`);
  const summary = await sealBid(
    {
      tenderId: tender.id,
      lotIds: [lotId],
      priceSheet: { currency: 'CNY', lots: [{ lotId, priceYuan, durationDays: 180, quality: '合格' }] },
      files: [{ name: '技术标.txt', mediaType: 'text/plain', size: text.length, content: text }],
      bidderKey: bidder.key,
      custodians: tender.custodians,
      threshold: tender.k,
      chunkSize: 1024,
    },
    (b) => {
      parts.push(b);
    },
  );
  return { bytes: Buffer.concat(parts), summary };
}

export function putBid(s: Session, tenderId: string, lotNo: number, body: Buffer, query = '') {
  return s.request({ method: 'PUT', url: `/api/bidding/tenders/${tenderId}/lots/${lotNo}/bid${query}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
}

/** Seal and submit; the platform's signed receipt names the bid. */
export async function submitBids(sc: Scenario, tender: Tender, bidders: Record<string, Bidder>, prices: Record<string, string>, lotNo = 1): Promise<void> {
  const platformKey = (await sc.t.app.inject({ method: 'GET', url: '/api/ledger/public-key' })).json().publicKeyHex as string;
  for (const [b, price] of Object.entries(prices)) {
    const bidder = bidders[b]!;
    const { bytes, summary } = await sealFor(tender, bidder, lotNo, price);
    bidder.header = summary.header;
    bidder.priceYuan = price;
    const d = bidder.deposit[lotNo];
    const res = await putBid(bidder.s, tender.id, lotNo, bytes, `?digest=${summary.digest}${d ? `&depositKind=${d.kind}&depositRef=${d.ref}` : ''}`);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    expect(receipt).toMatchObject({ format: 'yiwang-bid-receipt/1', bidderOrgId: bidder.orgId, sealedDigest: summary.digest });
    expect(verifyBidReceipt(receipt, platformKey)).toBe(true);
  }
}

export const lotUrl = (tender: Tender, lotNo = 1) => `/api/award/tenders/${tender.id}/lots/${lotNo}`;
export const roomUrl = (tender: Tender, lotNo = 1) => `/api/bidding/tenders/${tender.id}/lots/${lotNo}/opening`;

/** At the deadline the room opens; each bidder (except `skip`) unwraps its content key locally and posts it. */
export async function openAndDecrypt(sc: Scenario, tender: Tender, bidders: Record<string, Bidder>, opts: { skip?: string[]; lotNo?: number } = {}) {
  await advance(sc, tender.deadline);
  const tenderer = await sc.as('tenderer');
  const room = (await tenderer.get(roomUrl(tender, opts.lotNo))).json();
  const submitted = Object.values(bidders).filter((b) => b.header);
  if (submitted.length < tender.policy.minBidders.value) return room; // no opening at all (条例 44; 采购法 36)
  expect(room).toMatchObject({ status: 'decrypting', lotStatus: 'opening', minBidders: tender.policy.minBidders.value });
  expect(room.bids).toHaveLength(submitted.length);
  expect(room.bids.every((b: { priceFen: number | null }) => b.priceFen === null)).toBe(true);
  for (const b of submitted) {
    if (opts.skip?.includes(b.name)) continue;
    const contentKey = encodeContentKey(await unwrapContentKey(b.header!, b.key));
    const r = await b.s.post(`${roomUrl(tender, opts.lotNo)}/decrypt`, { contentKey });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ decryption: 'decrypted', priceFen: Math.round(Number(b.priceYuan) * 100) });
  }
  return (await tenderer.get(roomUrl(tender, opts.lotNo))).json();
}

/** The decryption window and the on-the-spot objection period pass; the room closes (lot → evaluation) or the lot fails. */
export async function closeOpening(sc: Scenario, tender: Tender, lotNo = 1) {
  const day = tender.deadline.slice(0, 10);
  const [h, m] = tender.deadline.slice(11, 16).split(':').map(Number) as [number, number];
  const plus = (min: number) => {
    const total = h * 60 + m + min;
    return `${day}T${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}:01`;
  };
  await advance(sc, plus(30)); // decryption window (policy default 30 min) ends
  await advance(sc, plus(60)); // the 15-minute objection period after the record has passed
  return (await (await sc.as('tenderer')).get(roomUrl(tender, lotNo))).json();
}

/** The evaluation hand-off (manual seam): candidates ranked by price among the valid bids. */
export async function enterEvaluation(sc: Scenario, tender: Tender, bidders: Record<string, Bidder>, valid: string[], lotNo = 1) {
  const tenderer = await sc.as('tenderer');
  const report = await upload(tenderer, '评标报告.pdf');
  const ranked = valid.map((b) => bidders[b]!).sort((a, b) => Number(a.priceYuan) - Number(b.priceYuan)).slice(0, 3);
  const r = await tenderer.post(`${lotUrl(tender, lotNo)}/evaluation-result`, {
    reportFileId: report,
    candidates: ranked.map((b, i) => ({ rank: i + 1, bidderOrgId: b.orgId, score: 90 - i })),
  });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().result.candidates.map((c: { priceFen: number }) => c.priceFen)).toEqual(ranked.map((b) => Math.round(Number(b.priceYuan) * 100)));
  return ranked;
}

/** 中标候选人公示 (works: 条例 54). Returns the publicity's end. */
export async function publicise(sc: Scenario, tender: Tender, lotNo = 1) {
  const r = await (await sc.as('tenderer')).post(`${lotUrl(tender, lotNo)}/publicity`, {});
  expect(r.statusCode, r.body).toBe(200);
  const a = await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${r.json().noticeId}` });
  expect(a.json().type).toBe(tender.policy.announcements.publicity);
  return r.json() as { endsAt: string; noticeId: string };
}

/** Award, 中标结果公告 and the 中标通知书 PDF (downloaded by the winner). */
export async function awardLot(sc: Scenario, tender: Tender, winner: Bidder, lotNo = 1) {
  const r = await (await sc.as('tenderer')).post(`${lotUrl(tender, lotNo)}/award`, {});
  expect(r.statusCode, r.body).toBe(200);
  const result = await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${r.json().resultNoticeId}` });
  expect(result.json().type).toBe(tender.policy.announcements.award);
  const pdf = await winner.s.get(`${lotUrl(tender, lotNo)}/notice.pdf`);
  expect(pdf.statusCode).toBe(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  const view = (await winner.s.get(lotUrl(tender, lotNo))).json();
  expect(view).toMatchObject({ status: 'awarded', award: { winnerOrgId: winner.orgId } });
  return r.json() as { refunds: unknown[]; warnings: { code: string }[] };
}

/** The signed contract, uploaded and published; the response lists the refunds it started. */
export async function recordContract(sc: Scenario, tender: Tender, winner: Bidder, signedAtBeijing: string, lotNo = 1) {
  const tenderer = await sc.as('tenderer');
  const file = await upload(tenderer, '合同.pdf');
  const c = await tenderer.post(`${lotUrl(tender, lotNo)}/contract`, {
    fileId: file,
    valueFen: Math.round(Number(winner.priceYuan) * 100),
    signedAt: bj(signedAtBeijing),
  });
  expect(c.statusCode, c.body).toBe(201);
  const notice = await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${c.json().noticeId}` });
  expect(notice.json().type).toBe(tender.policy.announcements.contract);
  expect((await tenderer.get(lotUrl(tender, lotNo))).json().status).toBe('contracted');
  return c.json() as { refunds: { bidderOrgId: string; dueAt: string }[]; warnings: { code: string }[] };
}

const validator = loadOcdsValidator();
export const OCDS_ABSENT = '../shared/data/ocds is absent: OCDS schema validation skipped';

/** The process's OCDS release and record packages; validated when ../shared/data/ocds is present (else `validated: false`). */
export async function ocds(sc: Scenario, tender: Tender) {
  const ocid = `${sc.t.ctx.config.ocidPrefix}-${tender.id}`;
  const releases = (await sc.t.app.inject({ method: 'GET', url: `/api/opendata/releases?ocid=${ocid}&limit=100` })).json();
  const rec = await sc.t.app.inject({ method: 'GET', url: `/api/opendata/records/${ocid}` });
  expect(rec.statusCode, rec.body).toBe(200);
  const record = rec.json();
  if (validator) {
    expect(validator.releasePackage(releases)).toEqual([]);
    expect(validator.recordPackage(record)).toEqual([]);
  } else console.warn(OCDS_ABSENT); // the lifecycle is still checked; only the schema step is skipped
  return { tags: (releases.releases as { tag: string[] }[]).map((r) => r.tag.join()), releases, record, validated: !!validator };
}

/** The release tags after the opening's `tenderUpdate` (the one with the bids): award, award, contract, … */
export function afterOpening(tags: string[]): string[] {
  expect(tags).toContain('tenderUpdate');
  return tags.slice(tags.lastIndexOf('tenderUpdate') + 1);
}

export const negUrl = (tender: Tender, lotNo = 1) => `/api/negotiation/tenders/${tender.id}/lots/${lotNo}`;

/** Seal a final offer (最后报价) with the SDK: the same envelope as a bid, a price sheet for the lot, no files. */
export async function sealFinalOffer(tender: Tender, bidder: Bidder, priceYuan: string, sealing: { lotId: string; k: number; custodians: (Custodian & { publicKey: string })[] }) {
  const parts: Uint8Array[] = [];
  const summary = await sealBid(
    {
      tenderId: tender.id,
      lotIds: [sealing.lotId],
      priceSheet: { currency: 'CNY', lots: [{ lotId: sealing.lotId, priceYuan }], fields: { 报价类型: '最后报价' } },
      bidderKey: bidder.key,
      custodians: sealing.custodians.map((c) => ({ kind: c.kind, accountId: c.accountId, algorithm: c.algorithm, publicKey: c.publicKey })),
      threshold: sealing.k,
      chunkSize: 1024,
    },
    (b) => {
      parts.push(b);
    },
  );
  return { bytes: Buffer.concat(parts), summary };
}

export function putFinalOffer(s: Session, tender: Tender, body: Buffer, query = '', lotNo = 1) {
  return s.request({ method: 'PUT', url: `${negUrl(tender, lotNo)}/final-offer${query}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
}

/** Seal and submit a supplier's final offer; the receipt names the ledger entry. */
export async function submitFinalOffer(tender: Tender, bidder: Bidder, priceYuan: string, lotNo = 1) {
  const mine = (await bidder.s.get(negUrl(tender, lotNo))).json();
  expect(mine.sealing, JSON.stringify(mine)).not.toBeNull();
  const { bytes, summary } = await sealFinalOffer(tender, bidder, priceYuan, mine.sealing);
  const res = await putFinalOffer(bidder.s, tender, bytes, `?digest=${summary.digest}`, lotNo);
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ format: 'yiwang-final-offer-receipt/1', bidderOrgId: bidder.orgId, sealedDigest: summary.digest });
  return { header: summary.header, receipt: res.json() };
}

/** The supplier's client unwraps the content key locally and posts it (as at the opening). */
export async function decryptFinalOffer(tender: Tender, bidder: Bidder, header: SealedBidHeader, lotNo = 1) {
  const contentKey = encodeContentKey(await unwrapContentKey(header, bidder.key));
  return bidder.s.post(`${negUrl(tender, lotNo)}/final-offer/decrypt`, { contentKey });
}

/**
 * The negotiation stage of a policy with rounds (采购法 38, 39; ADR 0017), the default way: one round with each
 * supplier (minutes as text), then — 谈判/磋商 — a written change to everyone still in, the final offers called with a
 * deadline two hours later, sealed, submitted, decrypted after the deadline; — 单一来源 — the price agreed and confirmed
 * by the supplier. Leaves the lot in evaluation with the final prices (bidders' `priceYuan` updated).
 */
export async function negotiate(sc: Scenario, tender: Tender, bidders: Record<string, Bidder>, finalPrices: Record<string, string>, start = '2026-11-24T14:00:00') {
  const op = await sc.as('tenderer');
  await advance(sc, start);
  const v = (await op.get(negUrl(tender))).json();
  expect(v, JSON.stringify(v)).toMatchObject({ stage: 'rounds', lotStatus: 'negotiating', viewer: 'party', operator: true });
  const names = Object.keys(finalPrices);
  expect(v.participants.map((p: { orgId: string }) => p.orgId).sort()).toEqual(names.map((b) => bidders[b]!.orgId).sort());
  for (const b of names) {
    const r = await op.post(`${negUrl(tender)}/rounds`, { roundNo: 1, bidderOrgId: bidders[b]!.orgId, minutesText: `第一轮：与${b}就技术参数、交货期和价格进行了谈判。` });
    expect(r.statusCode, r.body).toBe(200);
  }
  if (v.kind === 'single_source') {
    const b = bidders[names[0]!]!;
    const priceFen = Math.round(Number(finalPrices[names[0]!]) * 100);
    const proposed = await op.post(`${negUrl(tender)}/agreement`, { priceFen, terms: '交货期 60 日，质保 3 年，按合同草案第 5 条分两期付款。' });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const confirmed = await b.s.post(`${negUrl(tender)}/agreement/confirm`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ stage: 'concluded', lotStatus: 'evaluation', me: { status: 'agreed', finalPriceFen: priceFen } });
  } else {
    const change = await op.post(`${negUrl(tender)}/changes`, { text: '技术要求第 3.2 条修改为：交货期不超过 60 日。', purchaserConfirmed: true });
    expect(change.statusCode, change.body).toBe(200);
    const deadline = `${start.slice(0, 11)}${String(Number(start.slice(11, 13)) + 2).padStart(2, '0')}${start.slice(13)}`;
    const called = await op.post(`${negUrl(tender)}/final-offers/call`, { deadline: bj(deadline), ...(v.kind === 'consultation' ? { priceWeightPercent: 30 } : {}) });
    expect(called.statusCode, called.body).toBe(200);
    const headers: Record<string, SealedBidHeader> = {};
    for (const b of names) headers[b] = (await submitFinalOffer(tender, bidders[b]!, finalPrices[b]!)).header;
    await advance(sc, deadline.replace(/:00$/, ':01'));
    for (const b of names) {
      const r = await decryptFinalOffer(tender, bidders[b]!, headers[b]!);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().priceFen).toBe(Math.round(Number(finalPrices[b]) * 100));
    }
  }
  for (const b of names) bidders[b]!.priceYuan = finalPrices[b];
  const done = (await op.get(negUrl(tender))).json();
  expect(done).toMatchObject({ stage: 'concluded', lotStatus: 'evaluation' });
  return done;
}

export interface RunOptions {
  bidders: string[];
  prices: Record<string, string>;
  invited?: string[];
  skipDecrypt?: string[];
  /** A works publicity objection (异议, 条例 54) raised by this bidder: the award is refused until it is answered. */
  publicityObjectionBy?: string;
  /** Policies with negotiation rounds: each supplier's final offer (谈判/磋商) or the agreed price (单一来源), 元. */
  finalPrices?: Record<string, string>;
}

/**
 * The default calendar: published Monday 2026-11-02; bids 11-16; deadline Tuesday 11-24 09:30 (22 日: every policy's
 * minimum); evaluation result 11-25; works publicity 11-25 → ends Monday 11-30 24:00 (11-28 is a Saturday, 民法典 203);
 * award 12-01 (works) or 11-26 (government procurement, within 5 工作日 of the report); contract signed 12-02.
 */
export async function runToContract(sc: Scenario, procedure: string, o: RunOptions) {
  const stages: string[] = [];
  const tender = await publishTender(sc, procedure, { deadline: '2026-11-24T09:30:00', invited: o.invited });
  stages.push('published');
  const bidders = await obtainAndPrepare(sc, tender, o.bidders);
  stages.push('documents obtained');
  await advance(sc, '2026-11-16T10:00:00');
  await submitBids(sc, tender, bidders, o.prices);
  stages.push('bids sealed and submitted');
  const decrypting = await openAndDecrypt(sc, tender, bidders, { skip: o.skipDecrypt });
  stages.push('opening room: decrypted');
  const room = await closeOpening(sc, tender);
  const valid = Object.keys(o.prices).filter((b) => !o.skipDecrypt?.includes(b));
  const enough = valid.length >= tender.policy.minBidders.value;
  const negotiates = tender.policy.negotiationRounds.value;
  expect(room).toMatchObject(enough ? { status: 'closed', lotStatus: negotiates ? 'negotiating' : 'evaluation' } : { status: 'failed', lotStatus: 'failed' });
  if (negotiates) {
    // The first responses are not read out (采购法 38（四）): no public record; the parties hold it.
    expect(room.recordAnnouncementId).toBeNull();
  } else {
    const record = await sc.t.app.inject({ method: 'GET', url: `/api/portal/announcements/${room.recordAnnouncementId}` });
    expect(record.json().type).toBe(tender.policy.announcements.opening);
  }
  // The record shows each bid's deposit as the deposits module found it at the deadline.
  for (const b of valid) {
    const row = room.record.bids.find((x: { bidder: { orgId: string } }) => x.bidder.orgId === bidders[b]!.orgId);
    expect(row.deposit, b).toMatchObject(tender.depositFen > 0 ? { ref: bidders[b]!.deposit[1]!.ref, status: 'satisfied' } : { status: expect.any(String) });
  }
  stages.push(negotiates ? 'opening record (parties only)' : 'opening record published');
  if (!enough) return { tender, bidders, stages, room, decrypting };
  let negotiation: unknown = null;
  if (negotiates) {
    negotiation = await negotiate(sc, tender, bidders, o.finalPrices ?? Object.fromEntries(valid.map((b) => [b, o.prices[b]!])));
    stages.push(tender.policy.code === 'single_source' ? 'price agreed and confirmed' : 'negotiated, final offers read');
  }

  await advance(sc, '2026-11-25T10:00:00');
  const ranked = await enterEvaluation(sc, tender, bidders, valid);
  stages.push('evaluation result entered');
  const winner = ranked[0]!;
  if (tender.policy.announcements.publicity) {
    const p = await publicise(sc, tender);
    expect(p.endsAt).toBe('2026-11-30T16:00:00.000Z');
    stages.push('candidates publicised');
    if (o.publicityObjectionBy) {
      await advance(sc, '2026-11-27T10:00:00');
      const raised = await bidders[o.publicityObjectionBy]!.s.post(`${lotUrl(tender)}/objections`, { text: '第一中标候选人业绩证明不实。' });
      expect(raised.statusCode, raised.body).toBe(201);
      await advance(sc, '2026-12-01T09:00:00');
      const paused = await (await sc.as('tenderer')).post(`${lotUrl(tender)}/award`, {});
      expect(paused.json()).toMatchObject({ code: 'AWARD_OBJECTION_OPEN' });
      const answered = await (await sc.as('tenderer')).post(`/api/award/objections/${raised.json().id}/answer`, { text: '经核查业绩真实，异议不成立。' });
      expect(answered.statusCode, answered.body).toBe(200);
      stages.push('publicity objection paused the award, answered');
    }
    await advance(sc, '2026-12-01T10:00:00');
  } else {
    expect(problem(await (await sc.as('tenderer')).post(`${lotUrl(tender)}/publicity`, {}))).toBe('AWARD_NO_PUBLICITY');
    await advance(sc, '2026-11-26T10:00:00');
  }
  const award = await awardLot(sc, tender, winner);
  stages.push('awarded, notice PDF');
  await advance(sc, '2026-12-02T10:00:00');
  const contract = await recordContract(sc, tender, winner, '2026-12-02T09:00:00');
  stages.push('contract published');
  const open = await ocds(sc, tender);
  // A process with a public notice opens with its `tender` release; an invitation has none until its opening record.
  expect(open.tags[0]).toBe(tender.policy.announcements.publish ? 'tender' : 'tenderUpdate');
  stages.push('OCDS record package');
  return { tender, bidders, stages, room, decrypting, negotiation, winner, award, contract, ocds: open };
}

function problem(res: { json(): { code?: string } }) {
  return res.json().code;
}
