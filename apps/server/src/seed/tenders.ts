/**
 * Electronic tenders of the demo city at every stage of their life, driven through the real HTTP routes of the
 * intake, tendering, bidding and award modules (app.inject on an in-process app whose clock the seeder sets), so
 * statuses, notices, ledger entries, jobs and OCDS releases are exactly what the workbenches would have produced:
 *  - open for bids (deadline days ahead of the demo clock; the tenderer cannot yet see who obtained or bid),
 *  - opened and in evaluation, in 中标候选人公示, awarded with a 中标通知书, with a contract and performance entries,
 *  - failed at the opening with fewer than 3 bids (法 28) and re-tendered (now open for bids again).
 * Bids are sealed with @yiwang/sdk/sealing using Ed25519 keys generated here and registered through the identity
 * module's key route (challenge + proof), custodians' keys too. Deposits are bank guarantees (保函) referenced on the
 * bid. Few bids and small files: the whole history adds seconds to the first start (see the summary's phases). Every step runs at its own past instant; the chronograph and the outbox are run before each step, so the
 * deadline → opening → evaluation jobs fire at (about) their instants and nothing stays due in the past.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  encodeContentKey,
  generateKeyPair,
  sealBid,
  signKeyProof,
  unwrapContentKey,
  type BidKeyPair,
  type Custodian,
  type SealedBidHeader,
} from '@yiwang/sdk/sealing';
import type { AppContext } from '../platform/context';
import { ManualClock } from '../platform/clock';
import { nextDueAt, runDueJobs } from '../platform/chronograph/jobs';
import { drainOutbox } from '../platform/outbox/processors';
import { createSession } from '../platform/auth/sessions';
import { demoPdf, type TimedStep } from './projects';
import type { Rng } from './prng';

const DAY = 86_400_000;
const BJ = 8 * 3600_000;
const WAN = 1_000_000; // 1 万元 in 分

/** The Beijing wall-clock instant `hh:mm` on the weekday `days` from now (a weekend moves to the next Monday). */
export function bjWeekday(now: Date, days: number, hh: number, mm = 0): Date {
  const b = new Date(now.getTime() + days * DAY + BJ);
  let t = Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate()) - BJ;
  const dow = new Date(t + BJ).getUTCDay();
  if (dow === 6) t += 2 * DAY;
  if (dow === 0) t += DAY;
  return new Date(t + hh * 3600_000 + mm * 60_000);
}

class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string,
    readonly csrf: string,
    readonly accountId: string,
    readonly orgId: string | null,
  ) {}
  async call(opts: InjectOptions, ok: number[] = [200, 201]): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      ...opts,
      headers: { ...(opts.headers ?? {}), cookie: `yw_session=${this.cookie}`, 'x-csrf-token': this.csrf },
    });
    if (!ok.includes(res.statusCode))
      throw new Error(`demo tender seed: ${opts.method} ${opts.url} → ${res.statusCode} ${res.body.slice(0, 400)}`);
    return res;
  }
  get(url: string) {
    return this.call({ method: 'GET', url });
  }
  post(url: string, payload: unknown = {}) {
    return this.call({ method: 'POST', url, payload: payload as InjectOptions['payload'] });
  }
  async upload(name: string, lines: string[]): Promise<string> {
    const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const res = await this.call({
      method: 'POST',
      url: '/api/files',
      payload: Buffer.concat([head, demoPdf(lines), Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    return res.json().id as string;
  }
}

type Stage = 'bidding' | 'evaluation' | 'publicity' | 'awarded' | 'contract' | 'failed';

interface DemoTender {
  key: string;
  tenderer: string;
  gp?: boolean;
  name: string;
  regionCode: string;
  catalogCode: string;
  estimateWan: number;
  lotName: string;
  depositWan: number;
  /** Day offsets (negative = past): publication and the bid deadline (09:30 Beijing). */
  publish: number;
  deadline: number;
  /** Bidders (usernames) who obtain the documents; the first `bids` of them bid, at these prices (元, 2 decimals). */
  obtainers: string[];
  prices: string[];
  stage: Stage;
}

/** The city's tenders. Prices are a little under the estimate, as a real field would bid. */
export const DEMO_TENDERS: DemoTender[] = [
  {
    key: 'open',
    tenderer: 'tenderer3',
    name: '集美区杏林湾滨水步道提升工程',
    regionCode: '350211',
    catalogCode: 'works.municipal',
    estimateWan: 1460,
    lotName: '施工总承包',
    depositWan: 20,
    publish: -8,
    deadline: 16,
    obtainers: ['bidder1', 'bidder3', 'bidder6', 'bidder16'],
    prices: ['13986420.00', '14125300.50'],
    stage: 'bidding',
  },
  {
    key: 'gp-open',
    tenderer: 'tenderer8',
    gp: true,
    name: '湖里区人民医院医用设备采购项目',
    regionCode: '350206',
    catalogCode: 'gp.goods',
    estimateWan: 386,
    lotName: '彩色多普勒超声诊断仪',
    depositWan: 0,
    publish: -5,
    deadline: 19,
    obtainers: ['bidder9', 'bidder10'],
    prices: [],
    stage: 'bidding',
  },
  {
    key: 'evaluation',
    tenderer: 'tenderer2',
    name: '湖里区枋湖片区道路综合整治工程',
    regionCode: '350206',
    catalogCode: 'works.municipal',
    estimateWan: 2180,
    lotName: '施工总承包',
    depositWan: 30,
    publish: -30,
    deadline: -4,
    obtainers: ['bidder1', 'bidder2', 'bidder3', 'bidder6'],
    prices: ['20873500.00', '21160000.00', '20518888.88'],
    stage: 'evaluation',
  },
  {
    key: 'publicity',
    tenderer: 'tenderer1',
    name: '思明区莲前街道老旧小区改造工程',
    regionCode: '350203',
    catalogCode: 'works.housing',
    estimateWan: 968,
    lotName: '施工总承包',
    depositWan: 15,
    publish: -36,
    deadline: -10,
    obtainers: ['bidder2', 'bidder4', 'bidder17'],
    prices: ['9321000.00', '9188650.00', '9405500.00'],
    stage: 'publicity',
  },
  {
    key: 'awarded',
    tenderer: 'tenderer10',
    gp: true,
    name: '市级机关办公家具采购项目',
    regionCode: '350200',
    catalogCode: 'gp.goods',
    estimateWan: 245,
    lotName: '办公家具',
    depositWan: 0,
    publish: -58,
    deadline: -34,
    obtainers: ['bidder11', 'bidder9', 'bidder10'],
    prices: ['2286400.00', '2351000.00', '2199800.00'],
    stage: 'awarded',
  },
  {
    key: 'contract',
    tenderer: 'tenderer6',
    name: '翔安区新店镇中心小学风雨操场工程',
    regionCode: '350213',
    catalogCode: 'works.housing',
    estimateWan: 612,
    lotName: '施工总承包',
    depositWan: 10,
    publish: -92,
    deadline: -66,
    obtainers: ['bidder4', 'bidder16', 'bidder17'],
    prices: ['5903300.00', '5876420.00', '6011000.00'],
    stage: 'contract',
  },
  {
    key: 'failed',
    tenderer: 'tenderer12',
    name: '海沧区马銮湾排涝泵站改造工程',
    regionCode: '350205',
    catalogCode: 'works.water',
    estimateWan: 1325,
    lotName: '施工总承包',
    depositWan: 20,
    publish: -52,
    deadline: -26,
    obtainers: ['bidder5', 'bidder13', 'bidder3'],
    prices: ['12880000.00', '12965500.00'],
    stage: 'failed',
  },
];

/** What a demo test or the README may name. */
export interface SeededTender {
  key: string;
  stage: Stage;
  tenderId: string;
  name: string;
  tenderer: string;
  retenderId?: string;
}

/**
 * The tender steps, to be interleaved with the rest of the timeline. `close()` signs the seeder's sessions out and
 * closes its in-process app; call it once the timeline has run.
 */
export async function tenderSteps(
  ctx: AppContext,
  now: Date,
  rand: Rng,
  out: SeededTender[],
): Promise<{ steps: TimedStep[]; close: () => Promise<void> }> {
  const { buildApp } = await import('../app');
  const clock = new ManualClock(now);
  // The seeder's own app: its clock is set per step; its sessions live long enough for the whole history and are
  // deleted by close(). Staff second factor is not asked of a seeder acting for the demo's own accounts.
  const sctx: AppContext = {
    ...ctx,
    clock,
    config: { ...ctx.config, sessionTtlMinutes: 200 * 24 * 60, requireStaffTotp: false, authRateLimitPerMinute: 100_000 },
  };
  const app = await buildApp({ ctx: sctx, lazySchemas: true });
  const clients = new Map<string, Promise<Client>>();
  const as = (username: string) => {
    let c = clients.get(username);
    if (!c) {
      // A session opened directly (as the login route would after the password check): an Argon2 verification per
      // account costs ~0.3 s each on the first start; the demo-seed test signs every role in with the password.
      c = (async () => {
        const acc = await sctx.db
          .selectFrom('accounts')
          .select(['id', 'org_id'])
          .where('username', '=', username)
          .executeTakeFirstOrThrow();
        const session = await createSession(sctx.db, acc.id, clock.now(), sctx.config.sessionTtlMinutes, {
          userAgent: 'yiwang demo seed',
          secondFactorOk: true,
        });
        return new Client(app, session.token, session.csrfToken, acc.id, acc.org_id);
      })();
      clients.set(username, c);
    }
    return c;
  };
  const keys = new Map<string, BidKeyPair>();
  const keyOf = async (username: string) => {
    let k = keys.get(username);
    if (!k) {
      const c = await as(username);
      k = generateKeyPair('ed25519');
      const { challenge } = (await c.get('/api/identity/keys/challenge')).json();
      await c.post('/api/identity/keys', { algorithm: k.algorithm, publicKey: k.publicKey, challenge, proof: signKeyProof(k, challenge) });
      keys.set(username, k);
    }
    return k;
  };

  const steps: TimedStep[] = [];
  // Each step runs at its instant; due jobs fire first (deadline → opening, window end → record). The outbox (the
  // room opening on the lot's event, OCDS releases, notifications) is drained only at the opening's ticks and at the
  // end: draining after every step costs seconds on the first start and changes nothing a later step reads.
  const at = (when: Date, run: () => Promise<void>, tick = false) => {
    // Nothing may happen after the demo's "now": the server's own chronograph takes over from there.
    if (when.getTime() >= now.getTime()) throw new Error(`demo tender seed: a step at ${when.toISOString()} is not in the past`);
    steps.push({
      at: when,
      run: async () => {
        clock.set(when);
        await settle(tick);
        await run();
      },
    });
  };
  const settle = async (drain: boolean) => {
    for (let i = 0; i < 3; i++) {
      const due = await nextDueAt(sctx.db);
      const r = due && due.getTime() <= clock.now().getTime() ? await runDueJobs(sctx) : { ran: 0, failed: [] };
      if (r.failed.length) throw new Error(`demo tender seed: jobs failed ${JSON.stringify(r.failed)}`);
      const d = drain ? await drainOutbox(sctx) : { handled: 0, failures: [] };
      if (d.failures.length) throw new Error(`demo tender seed: outbox ${JSON.stringify(d.failures)}`);
      if (!r.ran && !d.handled) break;
    }
  };
  const bj = (days: number, hh: number, mm = 0) => bjWeekday(now, days, hh, mm);

  for (const def of DEMO_TENDERS) {
    const s: {
      projectId?: string;
      tenderId?: string;
      lotId?: string;
      custodians?: Custodian[];
      k?: number;
      headers: Map<string, SealedBidHeader>;
      docId?: string;
    } = { headers: new Map() };
    const seeded: SeededTender = { key: def.key, stage: def.stage, tenderId: '', name: def.name, tenderer: def.tenderer };
    out.push(seeded);
    const deadline = bj(def.deadline, 9, 30);
    const lotBase = `/api/award/tenders/`;
    const custodianUsers = ['intake1', def.gp ? 'regulator2' : 'regulator1', def.tenderer];

    // Intake: registered, submitted and accepted a few days before the publication.
    at(bj(def.publish - 4, 10, rand.int(0, 50)), async () => {
      const c = await as(def.tenderer);
      const codes = def.gp ? ['procurement_plan', 'procurement_requirements'] : ['project_approval', 'funding_proof', 'tender_plan'];
      const materials = [];
      for (const code of codes)
        materials.push({
          code,
          fileId: await c.upload(`${code}.pdf`, ['Yiwang demo material (not a real document)', `project: ${def.key}`, `material: ${code}`]),
        });
      const res = await c.post('/api/projects', {
        name: def.name,
        catalogCode: def.catalogCode,
        procedureType: def.gp ? 'gp_open_tender' : 'works_open_tender',
        subject: def.gp ? null : 'works',
        regionCode: def.regionCode,
        estimateFen: def.estimateWan * WAN,
        lots: [{ name: def.lotName, estimateFen: def.estimateWan * WAN }],
        materials,
      });
      s.projectId = res.json().id;
      await c.post(`/api/projects/${s.projectId}/submit`);
    });
    at(bj(def.publish - 3, 15, rand.int(0, 50)), async () => {
      await (await as('intake1')).post(`/api/projects/${s.projectId}/accept`);
    });
    // The tender: drafted and published with its documents, escrow custodians and the bid deadline.
    at(bj(def.publish, 9, rand.int(0, 50)), async () => {
      const c = await as(def.tenderer);
      for (const u of custodianUsers) await keyOf(u);
      s.docId = await c.upload(def.gp ? '招标文件（政府采购）.pdf' : '招标文件.pdf', [
        'Yiwang demo tender documents (not a real document)',
        `tender: ${def.key}`,
      ]);
      const custodianAccountIds = [];
      for (const u of custodianUsers) custodianAccountIds.push((await as(u)).accountId);
      const created = await c.post('/api/tendering/tenders', {
        projectId: s.projectId,
        lots: [{ lotNo: 1, depositFen: def.depositWan * WAN, bidDeadline: deadline.toISOString() }],
        documentIds: [s.docId],
        escrow: { k: 2, custodianAccountIds },
      });
      s.tenderId = seeded.tenderId = created.json().id;
      await c.post(`/api/tendering/tenders/${s.tenderId}/publish`);
    });
    def.obtainers.forEach((b, i) =>
      at(bj(def.publish + 1 + i, 10 + i, rand.int(0, 50)), async () => {
        const c = await as(b);
        await keyOf(b);
        await c.post(`/api/tendering/tenders/${s.tenderId}/obtain`);
      }),
    );
    // Bids: sealed in the bidder's "browser" (small files) and uploaded a few days before the deadline.
    def.prices.forEach((price, i) =>
      at(
        new Date(Math.min(deadline.getTime() - (3 - i * 0.5) * DAY, now.getTime() - (2 - i * 0.5) * DAY) - rand.int(1, 120) * 60_000),
        async () => {
          const b = def.obtainers[i]!;
          const c = await as(b);
          if (!s.custodians) {
            const sj = (await c.get(`/api/bidding/tenders/${s.tenderId}/sealing`)).json();
            s.lotId = sj.lots[0].lotId;
            s.k = sj.escrow.k;
            s.custodians = sj.escrow.custodians.map((x: Custodian) => ({
              kind: x.kind,
              accountId: x.accountId,
              algorithm: x.algorithm,
              publicKey: x.publicKey,
            }));
          }
          const text = new TextEncoder().encode(`技术标：${def.name}施工组织设计（示范数据）`);
          const parts: Uint8Array[] = [];
          const summary = await sealBid(
            {
              tenderId: s.tenderId!,
              lotIds: [s.lotId!],
              priceSheet: {
                currency: 'CNY',
                lots: [{ lotId: s.lotId!, priceYuan: price, durationDays: def.gp ? 30 : 300, quality: '合格' }],
              },
              files: [{ name: '技术标.txt', mediaType: 'text/plain', size: text.length, content: text }],
              bidderKey: await keyOf(b),
              custodians: s.custodians!,
              threshold: s.k!,
              chunkSize: 1024,
            },
            (x) => {
              parts.push(x);
            },
          );
          s.headers.set(b, summary.header);
          const q = def.depositWan ? `?depositKind=guarantee&depositRef=BH-${def.key}-${i + 1}` : '';
          await c.call({
            method: 'PUT',
            url: `/api/bidding/tenders/${s.tenderId}/lots/1/bid${q}`,
            payload: Buffer.concat(parts),
            headers: { 'content-type': 'application/octet-stream' },
          });
        },
      ),
    );
    if (def.stage === 'bidding') continue;

    // The opening: the deadline job opens the room; each bidder decrypts within the window; the window's end
    // (and, with fewer than 3 valid bids, the lot's failure) follows from the jobs run before the next step.
    // With fewer than 3 bids there is no opening at all (条例 44): the lot fails when the room would open.
    if (def.prices.length >= 3)
      def.prices.forEach((_, i) =>
        at(new Date(deadline.getTime() + (3 + i * 4) * 60_000), async () => {
          const b = def.obtainers[i]!;
          const contentKey = encodeContentKey(await unwrapContentKey(s.headers.get(b)!, await keyOf(b)));
          await (await as(b)).post(`/api/bidding/tenders/${s.tenderId}/lots/1/opening/decrypt`, { contentKey });
        }),
      );
    at(new Date(deadline.getTime() + 60_000), async () => {}, true);
    at(new Date(deadline.getTime() + 31 * 60_000), async () => {}, true);
    at(new Date(deadline.getTime() + 61 * 60_000), async () => {}, true);
    const lotUrl = () => `${lotBase}${s.tenderId}/lots/1`;

    if (def.stage === 'failed') {
      // 法 28: fewer than three bids — re-tender, published a few days later; it is open for bids now.
      const retender = { publish: def.deadline + 7, deadline: def.deadline + 7 + 24 };
      const reDeadline = bj(retender.deadline, 9, 30);
      const re: { id?: string } = {};
      at(bj(def.deadline + 5, 10, 12), async () => {
        const c = await as(def.tenderer);
        const doc = await c.upload('招标文件（重新招标）.pdf', ['Yiwang demo tender documents, re-tender (not a real document)']);
        const custodianAccountIds = [];
        for (const u of custodianUsers) custodianAccountIds.push((await as(u)).accountId);
        const r = await c.post(`${lotUrl()}/retender`, {
          depositFen: def.depositWan * WAN,
          bidDeadline: reDeadline.toISOString(),
          documentIds: [doc],
          escrow: { k: 2, custodianAccountIds },
        });
        re.id = seeded.retenderId = r.json().tenderId;
      });
      at(bj(retender.publish, 9, 40), async () => {
        await (await as(def.tenderer)).post(`/api/tendering/tenders/${re.id}/publish`);
      });
      ['bidder5', 'bidder13', 'bidder3'].forEach((b, i) =>
        at(bj(retender.publish + 1 + i, 14, 5 + i), async () => {
          await keyOf(b);
          await (await as(b)).post(`/api/tendering/tenders/${re.id}/obtain`);
        }),
      );
      continue;
    }
    if (def.stage === 'evaluation') continue;

    // Evaluation result: candidates ranked by price (lowest evaluated price), the report uploaded by the tenderer.
    const ranked = def.prices.map((p, i) => ({ p: Number(p), b: def.obtainers[i]! })).sort((x, y) => x.p - y.p);
    const resultDay = def.deadline + (def.stage === 'publicity' ? 8 : 3);
    at(bj(resultDay, 11, 20), async () => {
      const c = await as(def.tenderer);
      const reportFileId = await c.upload('评标报告.pdf', ['Yiwang demo evaluation report (not a real document)', `tender: ${def.key}`]);
      const candidates = [];
      for (const [i, r] of ranked.slice(0, 3).entries()) candidates.push({ rank: i + 1, bidderOrgId: (await as(r.b)).orgId });
      await c.post(`${lotUrl()}/evaluation-result`, { reportFileId, candidates });
    });
    // Works: 3 days of 中标候选人公示 (条例 54). Government procurement has none: the award follows the report.
    if (!def.gp)
      at(bj(resultDay + 1, 9, 15), async () => {
        await (await as(def.tenderer)).post(`${lotUrl()}/publicity`, {});
      });
    if (def.stage === 'publicity') continue;

    at(bj(resultDay + 6, 10, 0), async () => {
      await (await as(def.tenderer)).post(`${lotUrl()}/award`, {});
    });
    if (def.stage === 'awarded') continue;

    const signed = bj(resultDay + 16, 9, 0);
    const price = Math.round(ranked[0]!.p * 100);
    at(new Date(signed.getTime() + 2 * 3600_000), async () => {
      const c = await as(def.tenderer);
      const fileId = await c.upload('施工合同（签章版）.pdf', ['Yiwang demo contract, signed (not a real document)']);
      const publicFileId = await c.upload('施工合同（公开版）.pdf', ['Yiwang demo contract, public version (not a real document)']);
      const day = (d: Date) => new Date(d.getTime() + BJ).toISOString().slice(0, 10);
      await c.post(`${lotUrl()}/contract`, {
        fileId,
        publicFileId,
        valueFen: price,
        signedAt: signed.toISOString(),
        periodStart: day(new Date(signed.getTime() + 5 * DAY)),
        periodEnd: day(new Date(signed.getTime() + 300 * DAY)),
      });
    });
    const perf = [
      { days: resultDay + 22, kind: 'milestone', description: '开工' },
      { days: resultDay + 25, kind: 'payment', amountFen: Math.round(price * 0.3), description: '预付款 30%' },
      { days: resultDay + 50, kind: 'milestone', description: '基础工程完工，通过分部验收' },
    ];
    for (const p of perf) {
      const when = bj(p.days, 16, 10);
      if (when.getTime() >= now.getTime()) continue;
      at(when, async () => {
        const { days: _d, ...body } = p;
        await (
          await as(def.tenderer)
        ).post(`${lotUrl()}/performance`, { ...body, occurredOn: new Date(when.getTime() + BJ).toISOString().slice(0, 10) });
      });
    }
  }

  // A last settle at the demo's "now" (jobs due by then fire here rather than at the server's first tick).
  at(new Date(now.getTime() - 1000), async () => {}, true);
  return {
    steps,
    close: async () => {
      for (const c of clients.values()) {
        const cl = await c;
        await cl.call({ method: 'POST', url: '/api/auth/logout' }, [204]);
      }
      await app.close();
    },
  };
}
