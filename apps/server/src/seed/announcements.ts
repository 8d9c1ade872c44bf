/**
 * The demo's announcement history: about a hundred procurements and transactions over the last ~90 days, each with
 * the notices its procedure publishes in order (意向 → 招标公告 → 变更 → 开标记录 → 候选人公示 → 结果 → 合同; 出让公告 →
 * 成交公示). Published through the announcements module's createPublishedAnnouncement, so bodies are sanitised,
 * search tokens built and each publication recorded in the ledger; change notices name their originals.
 */
import type { AnnouncementType } from '@yiwang/contracts';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/auth/actor';
import type { DbOrTx } from '../platform/db/database';
import { createPublishedAnnouncement } from '../modules/announcements/index';
import { createDraft, submitForReview } from '../modules/announcements/commands/workflow';
import type { DraftInput } from '../modules/announcements/announcements.rules';
import { DISTRICTS, MARKET_ORGS } from './data/orgs';
import { noticeBody, STEMS, TITLE_SUFFIX, WINNERS, type NoticeContext } from './data/notices';
import { rng as makeRng, type Rng } from './prng';
import { FIXTURES, type DemoProject, type TimedStep } from './projects';
import { ctxAt } from './identity';
import { officeInstant, officeTime } from './time';

const DAY = 86_400_000;
const prngFor = (seed: number) => ({ rng: makeRng(seed) });

export interface Publication {
  at: Date;
  key: string;
  /** Built when it runs, so it can name announcements and projects created earlier in the timeline. */
  input: (ids: Map<string, string>) => DraftInput & { publisherOrgId: string; actorId: string };
}

const orgName = (username: string) => MARKET_ORGS.find((o) => o.username === username)!.name;
const districtName = (code: string) => DISTRICTS.find((d) => d.code === code)!.name;

/** Lots that add up to the estimate. */
function lotsFor(family: string, fen: number, rand: Rng): { name: string; estimateFen: number }[] {
  const n = family === 'rights' ? 1 : rand.int(1, 3);
  if (n === 1) return [{ name: family === 'gp' ? '包1' : family === 'works' ? '施工总承包' : '全部', estimateFen: fen }];
  const names = family === 'gp' ? ['包1', '包2', '包3'] : ['第一标段（土建）', '第二标段（安装）', '第三标段（景观绿化）'];
  const first = Math.round((fen * (0.5 + rand() * 0.2)) / 10_000) * 10_000;
  if (n === 2)
    return [
      { name: names[0]!, estimateFen: first },
      { name: names[1]!, estimateFen: fen - first },
    ];
  const second = Math.round(((fen - first) * 0.7) / 10_000) * 10_000;
  return [
    { name: names[0]!, estimateFen: first },
    { name: names[1]!, estimateFen: second },
    { name: names[2]!, estimateFen: fen - first - second },
  ];
}

/**
 * The history. `actors` maps usernames to actors (publisher = the author's organisation). `projects` are the real
 * intake projects whose notices are part of the story (the accepted school, the agency's sewer works, the hospital).
 */
export function history(
  now: Date,
  rand: Rng,
  actors: Map<string, Actor & { orgId: string | null }>,
  projects: DemoProject[],
  projectCount = 105,
): Publication[] {
  const out: Publication[] = [];
  const used = new Set<string>();
  const agencies = MARKET_ORGS.filter((o) => o.roles.includes('agency')).map((o) => o.username);
  for (let i = 0; i < projectCount; i++) {
    const stem = STEMS[Math.floor(rand() ** 1.3 * STEMS.length)]!; // works and procurement dominate, as they do
    const owner = rand.pick(stem.owners);
    const ownerOrg = MARKET_ORGS.find((o) => o.username === owner)!;
    const region = ownerOrg.region === '350200' ? rand.pick(DISTRICTS.slice(1)).code : ownerOrg.region;
    let name = '';
    for (let k = 0; k < 6 && (!name || used.has(name)); k++) {
      const base = rand.pick(stem.names).replace('{n}', String(rand.int(2, 18)).padStart(stem.category === 'land' ? 2 : 1, '0'));
      name = stem.family === 'rights' && stem.category !== 'land' ? `厦门市${base}` : `${districtName(region)}${base}`;
    }
    if (used.has(name)) continue;
    used.add(name);
    const fen = Math.round((stem.wan[0] + rand() * (stem.wan[1] - stem.wan[0])) * 100) * 10_000;
    const viaAgency = stem.family !== 'rights' && rand.chance(0.4);
    const publisher = viaAgency ? rand.pick(agencies) : owner;
    const start = rand() * -88 - 2;
    const year = 2026;
    const c: Omit<NoticeContext, 'at'> = {
      project: name,
      code: `${stem.family === 'works' ? 'XMJS' : stem.family === 'gp' ? 'XMZC' : 'XMCQ'}${year}-${String(1000 + i * 7).slice(-4)}`,
      family: stem.family,
      category: stem.category,
      district: districtName(region),
      owner: ownerOrg.name,
      agency: viaAgency ? orgName(publisher) : null,
      estimateFen: fen,
      lots: lotsFor(stem.family, fen, rand),
      start: new Date(now.getTime() + start * DAY),
      winners: [...WINNERS[stem.family]].sort(() => rand() - 0.5).slice(0, rand.int(3, 6)),
      contact: ownerOrg.contact,
      phone: `0592-${rand.int(2000000, 8999999)}`,
    };
    const steps: [AnnouncementType, number][] = [];
    if (stem.family === 'gp' && rand.chance(0.35)) steps.push(['procurement_intention', start - rand.int(20, 40)]);
    steps.push([stem.family === 'rights' ? 'transfer_notice' : 'tender_notice', start]);
    if (rand.chance(0.3)) steps.push(['change_notice', start + rand.int(2, 7)]);
    if (stem.family === 'rights') steps.push(['deal_publicity', start + rand.int(22, 26)]);
    else if (rand.chance(0.06)) steps.push(['failure_notice', start + 21]);
    else {
      if (stem.family === 'works') steps.push(['opening_record', start + 21], ['candidate_publicity', start + rand.int(23, 25)]);
      steps.push(['award_notice', start + rand.int(27, 30)]);
      if (rand.chance(0.3)) steps.push(['contract_notice', start + rand.int(36, 45)]);
    }
    const key = `h${i}`;
    let prev = 0;
    for (const [type, days] of steps) {
      if (days < -92) continue; // the history covers ~90 days (a weekend moves a date back by at most 2)
      const at = officeTime(now, days, rand);
      // Stop at the present; keep each procedure's notices in order (weekends move a date back to Friday).
      if (!at || at.getTime() <= prev) break;
      // A change notice needs its original; so does everything after it in this procedure.
      if (prev === 0 && type !== 'procurement_intention' && type !== 'tender_notice' && type !== 'transfer_notice') break;
      prev = at.getTime();
      const bodySeed = rand.int(1, 2 ** 30);
      const suffix = TITLE_SUFFIX[type]!({ ...c, at });
      out.push({
        at,
        key: `${key}.${type}`,
        input: (ids) => {
          const { rng } = prngFor(bodySeed);
          const original = ids.get(`${key}.${stem.family === 'rights' ? 'transfer_notice' : 'tender_notice'}`);
          return {
            type,
            title: `${name}${suffix}`,
            categoryCode: stem.category,
            regionCode: region,
            bodyHtml: noticeBody(type, { ...c, at }, rng, {
              title: `${name}${TITLE_SUFFIX[stem.family === 'rights' ? 'transfer_notice' : 'tender_notice']!({ ...c, at })}`,
            }),
            relatedId:
              type === 'change_notice'
                ? (original ?? null)
                : ['candidate_publicity', 'award_notice', 'deal_publicity'].includes(type)
                  ? (original ?? null)
                  : null,
            publisherOrgId: actors.get(publisher)!.orgId!,
            actorId: actors.get(publisher)!.accountId,
          };
        },
      });
    }
  }
  // Notices of the real intake projects, after their acceptance (the project rows exist by then in the timeline).
  for (const f of FIXTURES) {
    const accepted = f.steps.find((s) => s.do === 'accept');
    if (!accepted) continue;
    const acceptedAt = officeInstant(now, accepted.at);
    const family = f.input.catalogCode.startsWith('gp') ? 'gp' : 'works';
    const steps: [AnnouncementType, number][] =
      f.key === 'school'
        ? [
            ['tender_notice', 1],
            ['change_notice', 8],
          ]
        : [['tender_notice', 1.1]];
    for (const [type, afterDays] of steps) {
      const at = officeInstant(now, accepted.at + afterDays);
      if (at.getTime() > now.getTime()) continue;
      const publisher = actors.get(f.by)!;
      out.push({
        at,
        key: `${f.key}.${type}`,
        input: (ids) => {
          const p = projects.find((x) => x.key === f.key)!;
          const c: NoticeContext = {
            project: p.name,
            code: p.code,
            family,
            category: p.catalogCode,
            district: districtName(p.regionCode),
            owner: orgName(f.tenderer ?? f.by),
            agency: f.tenderer ? orgName(f.by) : null,
            estimateFen: p.estimateFen,
            lots: p.lots,
            start: new Date(acceptedAt.getTime() + DAY),
            at,
            winners: [],
            contact: publisher.displayName,
            phone: '0592-2201234',
          };
          const { rng } = prngFor(p.code.length * 977 + afterDays);
          return {
            type,
            title: `${p.name}${TITLE_SUFFIX[type]!(c)}`,
            categoryCode: p.catalogCode,
            regionCode: p.regionCode,
            projectId: p.id,
            bodyHtml: noticeBody(type, c, rng, { title: `${p.name}${TITLE_SUFFIX.tender_notice!(c)}` }),
            relatedId: type === 'change_notice' ? ids.get(`${f.key}.tender_notice`)! : null,
            publisherOrgId: publisher.orgId!,
            actorId: publisher.accountId,
          };
        },
      });
    }
  }
  return out;
}

/** Publish a batch (one transaction, in time order). */
export async function publishBatch(trx: DbOrTx, batch: Publication[], ids: Map<string, string>): Promise<void> {
  for (const p of batch) {
    const r = await createPublishedAnnouncement(trx, p.input(ids), p.at);
    ids.set(p.key, r.id);
  }
}

/**
 * Work in progress on the workbench: notices waiting in the center's review queue and drafts, through the
 * workflow commands (createDraft, submitForReview) at recent instants (steps of the timeline).
 */
export function workInProgress(ctx: AppContext, now: Date, actors: Map<string, Actor & { orgId: string | null }>, rand: Rng): TimedStep[] {
  const items: { by: string; type: AnnouncementType; title: string; category: string; region: string; submit: boolean; ago: number }[] = [
    {
      by: 'tenderer2',
      type: 'tender_notice',
      title: '湖里区五缘湾片区人行天桥新建工程施工招标公告',
      category: 'works.municipal',
      region: '350206',
      submit: true,
      ago: 0.3,
    },
    {
      by: 'agency2',
      type: 'tender_notice',
      title: '湖里区人民医院信息系统运维服务采购项目公开招标公告',
      category: 'gp.services',
      region: '350206',
      submit: true,
      ago: 0.2,
    },
    {
      by: 'tenderer9',
      type: 'transfer_notice',
      title: '厦门市翔安区2026P21号地块国有建设用地使用权挂牌出让公告',
      category: 'land',
      region: '350213',
      submit: true,
      ago: 0.1,
    },
    {
      by: 'tenderer1',
      type: 'procurement_intention',
      title: '思明区建设局2027年度办公设备采购意向公开',
      category: 'gp.goods',
      region: '350203',
      submit: false,
      ago: 0.05,
    },
    {
      by: 'agency1',
      type: 'tender_notice',
      title: '思明区莲前街道老旧小区改造工程（第5批）施工招标公告',
      category: 'works.housing',
      region: '350203',
      submit: false,
      ago: 0.02,
    },
  ];
  const steps: TimedStep[] = [];
  for (const it of items) {
    const actor = actors.get(it.by)! as Actor & { orgId: string };
    const at = officeInstant(now, -it.ago);
    const fen = rand.int(300, 3000) * 1_000_000;
    const c: NoticeContext = {
      project: it.title.replace(/(施工招标|公开招标|挂牌出让|采购意向公开).*$/, ''),
      code: `XMJS2026-${rand.int(2000, 2999)}`,
      family: it.type === 'transfer_notice' ? 'rights' : it.category.startsWith('gp') ? 'gp' : 'works',
      category: it.category,
      district: districtName(it.region),
      owner: actor.orgName!,
      agency: null,
      estimateFen: fen,
      lots: [{ name: '全部', estimateFen: fen }],
      start: at,
      at,
      winners: [],
      contact: '联系人',
      phone: '0592-5550123',
    };
    const submitAt = new Date(Math.min(at.getTime() + 10 * 60_000, now.getTime() - 1000));
    const bodyHtml = noticeBody(it.type, c, rand);
    steps.push({
      at,
      run: async () => {
        const id = await createDraft(ctxAt(ctx, at), actor, {
          type: it.type,
          title: it.title,
          categoryCode: it.category,
          regionCode: it.region,
          bodyHtml,
        });
        if (it.submit) await submitForReview(ctxAt(ctx, submitAt), actor, id);
      },
    });
  }
  return steps;
}
