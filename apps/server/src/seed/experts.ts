/**
 * Demo experts (评标专家库, issue 4 part 1): a few people at every stage of the registry, through the experts module's
 * own commands so they leave the same ledger entries as real ones. Runs after the rest of the demo city, its steps
 * spread between the last ledger entry and now so the ledger still runs forward in time.
 *
 * - expert1 邱评审: in the pool (房建施工 + 造价), with a former employer among the demo bidders (avoided until 3 years
 *   after leaving it) and a leave next month;
 * - expert2 彭工: application waiting for regulator1's review (市政道路 + 公路);
 * - expert3 林采评: 政府采购 expert admitted by regulator2 (信息技术);
 * - expert4 黄水利: in the pool, on leave now;
 * - expert5 陈造价: application returned by regulator1 with its reasons;
 * - expert6 吴监理: in the pool but blacklisted for a year.
 * Every ID number and credit code is generated (valid check characters, no real person or registrant).
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { makeResidentId, makeUscc } from '@yiwang/contracts';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/auth/actor';
import { saveUpload } from '../platform/files/index';
import { ledgerSealer } from '../platform/ledger/sealer';
import { createAccountByAdmin } from '../modules/identity/commands/accounts';
import { approve, blacklist, declareConflict, declareLeave, returnApplication, submitApplication, type ApplicationInput } from '../modules/experts/index';
import { DEMO_PASSWORD } from './data/orgs';
import { ctxAt } from './identity';

type People = Map<string, Actor & { orgId: string | null }>;

const DAY = 86_400_000;
const uscc = (key: string, region = '350200') => makeUscc(`yiwang-demo-expert-${key}`, { region });
/** The demo bidder 厦门海沧湾建筑工程有限公司 (bidder2), as seed/identity.ts registers it. */
const BIDDER2_USCC = makeUscc('yiwang-demo-bidder2', { region: '350203', authority: '9', orgType: '1' });

interface DemoExpert {
  username: string;
  name: string;
  /** Existing demo account (expert1, expert2) or one the administrator creates here. */
  existing: boolean;
  application: Omit<ApplicationInput, 'idNumber' | 'materials' | 'name'>;
}

const EXPERTS: DemoExpert[] = [
  {
    username: 'expert1',
    name: '邱评审',
    existing: true,
    application: {
      phone: '13805920101',
      titleLevel: 'senior',
      titleName: '高级工程师',
      experienceYears: 18,
      employer: { name: '厦门鹭城建筑设计研究院有限公司', uscc: uscc('employer-1') },
      homeRegion: '350203',
      specialties: ['A0101', 'A0601'],
      regions: ['350200'],
      kinds: ['works'],
      conflicts: [{ kind: 'employment', orgName: '厦门海沧湾建筑工程有限公司', orgUscc: BIDDER2_USCC, startedOn: '2009-07-01', endedOn: '__2y__' }],
    },
  },
  {
    username: 'expert2',
    name: '彭工',
    existing: true,
    application: {
      phone: '13805920102',
      titleLevel: 'full_senior',
      titleName: '正高级工程师',
      experienceYears: 24,
      employer: { name: '福建交通规划设计院厦门分院', uscc: uscc('employer-2') },
      homeRegion: '350206',
      specialties: ['A0201', 'A0301'],
      regions: ['350000'],
      kinds: ['works'],
      conflicts: [{ kind: 'relative', orgName: '厦门海丝市政园林有限公司', orgUscc: makeUscc('yiwang-demo-bidder6', { region: '350205', authority: '9', orgType: '1' }), relation: '配偶' }],
    },
  },
  {
    username: 'expert3',
    name: '林采评',
    existing: false,
    application: {
      phone: '13805920103',
      titleLevel: 'intermediate',
      titleName: '工程师（计算机）',
      experienceYears: 11,
      employer: { name: '厦门大学信息技术中心', uscc: uscc('employer-3') },
      homeRegion: '350203',
      specialties: ['B0101', 'C0201'],
      regions: ['350200'],
      kinds: ['government_procurement'],
    },
  },
  {
    username: 'expert4',
    name: '黄水利',
    existing: false,
    application: {
      phone: '13805920104',
      titleLevel: 'senior',
      titleName: '高级工程师（水利）',
      experienceYears: 15,
      employer: { name: '厦门市水利勘测设计院有限公司', uscc: uscc('employer-4') },
      homeRegion: '350211',
      specialties: ['A0401', 'A0402'],
      regions: ['350200'],
      kinds: ['works'],
    },
  },
  {
    username: 'expert5',
    name: '陈造价',
    existing: false,
    application: {
      phone: '13805920105',
      titleLevel: 'senior',
      titleName: '高级经济师',
      experienceYears: 9,
      employer: { name: '厦门筼筜造价咨询有限公司', uscc: makeUscc('yiwang-demo-agency5', { region: '350205', authority: '9', orgType: '1' }) },
      homeRegion: '350205',
      specialties: ['A0601'],
      regions: ['350200'],
      kinds: ['works'],
    },
  },
  {
    username: 'expert6',
    name: '吴监理',
    existing: false,
    application: {
      phone: '13805920106',
      titleLevel: 'senior',
      titleName: '高级工程师',
      experienceYears: 20,
      employer: null,
      homeRegion: '350212',
      specialties: ['A0703', 'A0105'],
      regions: ['350200'],
      kinds: ['works'],
    },
  },
];

/** A small valid PDF standing for a scanned certificate. */
function certificate(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** Seed the demo experts; returns the milliseconds it took (for the demo summary's phases). */
export async function seedExperts(ctx: AppContext, people: People, passwordHash: string): Promise<number> {
  const started = Date.now();
  const now = ctx.clock.now();
  const sealer = ledgerSealer(ctx.db);
  await sealer.flush();
  const last = await sql<{ t: Date | null }>`SELECT greatest((SELECT max(recorded_at) FROM ledger_entries), (SELECT max(recorded_at) FROM ledger_pending)) AS t`.execute(ctx.db);
  const from = Math.min(Math.max((last.rows[0]?.t?.getTime() ?? now.getTime() - DAY) + 1000, now.getTime() - 3 * 3_600_000), now.getTime());
  const steps = 40;
  let i = 0;
  // Instants from `from` to now, in order: each command runs "at" the next one, after what the previous one recorded
  // has been chained (recordLedger is batched), so the demo ledger stays in time order.
  const at = async () => {
    await sealer.flushIfRecorded();
    return ctxAt(ctx, new Date(from + Math.floor(((now.getTime() - from) * ++i) / steps)));
  };
  const admin = people.get('admin')!;
  const regulator1 = people.get('regulator1')!;
  const regulator2 = people.get('regulator2')!;
  const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const ids = new Map<string, string>();

  for (const x of EXPERTS) {
    let actor = people.get(x.username);
    if (!x.existing || !actor) {
      const r = await createAccountByAdmin(await at(), admin, { username: x.username, displayName: x.name, roles: [{ role: 'expert' }], password: DEMO_PASSWORD }, { passwordHash });
      actor = { accountId: r.account.id, username: x.username, displayName: x.name, orgId: null, orgName: null, roles: [{ role: 'expert', industries: [], regions: [] }], via: 'session', secondFactorOk: true };
    }
    const c = await at();
    const upload = await saveUpload({ db: c.db, files: c.files, now: () => c.clock.now() }, actor, {
      stream: Readable.from(certificate(`${x.username} title certificate`)),
      filename: `${x.name}-职称证书.pdf`,
      maxBytes: 1024 * 1024,
    });
    const conflicts = (x.application.conflicts ?? []).map((k) => (k.endedOn === '__2y__' ? { ...k, endedOn: dayOf(now.getTime() - 2 * 365 * DAY) } : k));
    const r = await submitApplication(await at(), actor, {
      ...x.application,
      conflicts,
      name: x.name,
      idNumber: makeResidentId(`yiwang-demo-${x.username}`, x.application.homeRegion),
      materials: [{ code: 'title_certificate', fileId: upload.id }],
    });
    ids.set(x.username, r.id);
    people.set(x.username, actor);
  }

  const expert = (u: string) => people.get(u)!;
  await approve(await at(), regulator1, ids.get('expert1')!, '材料齐全，符合入库条件');
  await approve(await at(), regulator2, ids.get('expert3')!, '符合政府采购评审专家条件');
  await approve(await at(), regulator1, ids.get('expert4')!, null);
  await approve(await at(), regulator1, ids.get('expert6')!, null);
  await returnApplication(await at(), regulator1, ids.get('expert5')!, [
    { field: 'materials', note: '请补充上传高级经济师资格证书（当前上传的是继续教育证明）' },
    { field: 'experienceYears', note: '从事造价工作年限请按劳动合同起算，并与证书一致' },
  ]);
  await declareLeave(await at(), expert('expert1'), { startsAt: new Date(now.getTime() + 20 * DAY), endsAt: new Date(now.getTime() + 27 * DAY), reason: '出国学术交流' });
  await declareLeave(await at(), expert('expert4'), { startsAt: new Date(now.getTime() - 3 * DAY), endsAt: new Date(now.getTime() + 11 * DAY), reason: '住院治疗' });
  await declareConflict(await at(), expert('expert4'), { kind: 'shareholder', orgName: '厦门翔安水利水电工程有限公司', orgUscc: makeUscc('yiwang-demo-bidder5', { region: '350213', authority: '9', orgType: '1' }), startedOn: '2018-05-01' });
  await blacklist(await at(), regulator1, ids.get('expert6')!, {
    reason: '在某监理招标评标中与投标人存在利害关系未主动回避',
    basis: '《招标投标法实施条例》第七十一条',
    endsAt: new Date(now.getTime() + 365 * DAY),
  });
  await sealer.flushIfRecorded();
  return Date.now() - started;
}
