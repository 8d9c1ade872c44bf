import { describe, expect, it } from 'vitest';
import { loadOcdsValidator, OCDS_DIR } from '../../../test/ocds-schema';
import { buildRelease, fenToAmount, type Release } from './ocds.build';
import { compileReleases } from './ocds.merge';
import { recordPackage, releasePackage, releasePackageFrame } from './ocds.package';
import type { ProcessSnapshot, ReleaseTag } from './ocds.types';

const validator = loadOcdsValidator();
const PREFIX = 'ocds-yw0000';
const meta = { uri: 'https://ggzy.example.cn/api/opendata/releases', publishedDate: new Date('2026-12-20T02:00:00Z'), publisherName: '厦门市公共资源交易中心' };

const buyer = { orgId: 'org-tenderer', name: '厦门市翔安区市政园林局' };
const agency = { orgId: 'org-agency', name: '福建建科招标代理有限公司' };
const bidderA = { orgId: 'org-bidder-a', name: '福建一建集团有限公司' };
const bidderB = { orgId: 'org-bidder-b', name: '中建海峡建设发展有限公司' };
const bidderC = { orgId: 'org-bidder-c', name: '厦门路桥建设集团有限公司' };

function snapshot(stage: 'tender' | 'amended' | 'opened' | 'awarded' | 'contracted'): ProcessSnapshot {
  const deadline = stage === 'tender' ? new Date('2026-10-12T02:00:00Z') : new Date('2026-10-15T02:00:00Z');
  const s: ProcessSnapshot = {
    processId: 'f1f0c0de-0000-4000-8000-000000000001',
    title: '厦门市翔安区马巷镇市政道路改造工程施工招标',
    description: '翔安区马巷镇 3.2 公里市政道路改造，含雨污分流与照明。',
    status: stage === 'contracted' ? 'complete' : 'active',
    procurementMethod: 'open',
    procurementMethodDetails: '公开招标（工程）',
    mainProcurementCategory: 'works',
    valueFen: 4_856_000_037,
    tenderPeriod: { start: new Date('2026-09-18T01:00:00Z'), end: deadline },
    enquiryPeriod: { start: new Date('2026-09-18T01:00:00Z'), end: new Date('2026-09-27T09:00:00Z') },
    buyer,
    procuringEntity: agency,
    parties: [
      { ...buyer, uscc: '11350213003617543K', roles: ['buyer'], regionCode: '350213' },
      { ...agency, uscc: '91350200MA31XTKL5N', roles: ['procuringEntity'], regionCode: '350200' },
    ],
    lots: [{ id: 'lot-1', title: '第一标段（道路及排水）', valueFen: 4_856_000_037, status: 'active' }],
    documents: [
      { id: 'doc-notice', documentType: 'tenderNotice', title: '招标公告', url: 'https://ggzy.example.cn/portal/announcements/a1', datePublished: new Date('2026-09-18T01:00:00Z') },
    ],
  };
  if (stage === 'tender') return s;
  s.documents!.push({ id: 'doc-change-1', documentType: 'clarifications', title: '变更公告（一）', url: 'https://ggzy.example.cn/portal/announcements/a2', datePublished: new Date('2026-09-29T01:00:00Z') });
  if (stage === 'amended') return s;
  s.openedAt = deadline;
  s.bids = [
    { id: 'bid-a', date: new Date('2026-10-14T03:00:00Z'), status: 'valid', bidder: bidderA, priceFen: 4_610_220_000, lotIds: ['lot-1'] },
    { id: 'bid-b', date: new Date('2026-10-14T05:00:00Z'), status: 'valid', bidder: bidderB, priceFen: 4_702_000_000, lotIds: ['lot-1'] },
    { id: 'bid-c', date: new Date('2026-10-15T01:59:00Z'), status: 'disqualified', bidder: bidderC, priceFen: null, lotIds: ['lot-1'] },
  ];
  for (const b of [bidderA, bidderB, bidderC]) s.parties.push({ ...b, roles: ['tenderer'] });
  if (stage === 'opened') return s;
  s.awards = [{ id: 'award-1', title: '中标结果', status: 'active', date: new Date('2026-11-03T02:00:00Z'), valueFen: 4_610_220_000, suppliers: [bidderA], lotIds: ['lot-1'], bidId: 'bid-a' }];
  s.parties.find((p) => p.orgId === bidderA.orgId)!.roles.push('supplier');
  if (stage === 'awarded') return s;
  s.contracts = [
    {
      id: 'contract-1', awardId: 'award-1', title: '施工合同', status: 'active', valueFen: 4_610_220_000, dateSigned: new Date('2026-11-20T06:00:00Z'),
      period: { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-11-30T00:00:00Z') },
      transactions: [{ id: 'pay-1', date: new Date('2026-12-05T02:00:00Z'), valueFen: 922_044_000, payerOrgId: buyer.orgId, payeeOrgId: bidderA.orgId }],
    },
  ];
  return s;
}

const stages: [Parameters<typeof snapshot>[0], ReleaseTag[], string][] = [
  ['tender', ['tender'], '2026-09-18T01:00:00Z'],
  ['amended', ['tenderAmendment'], '2026-09-29T01:00:00Z'],
  ['opened', ['tenderUpdate'], '2026-10-15T02:30:00Z'],
  ['awarded', ['award'], '2026-11-03T02:00:00Z'],
  ['contracted', ['contract', 'implementation'], '2026-12-05T02:00:00Z'],
];
const releases: Release[] = stages.map(([stage, tags, date], i) => buildRelease({ prefix: PREFIX, releaseId: `${i + 1}`, date: new Date(date), tags, snapshot: snapshot(stage) }));

describe('OCDS releases', () => {
  it('money is exact: 分 become 元 with two decimals in the JSON text', () => {
    expect(JSON.stringify({ a: fenToAmount(4_856_000_037) })).toBe('{"a":48560000.37}');
    expect(JSON.stringify({ a: fenToAmount(1) })).toBe('{"a":0.01}');
    expect(() => fenToAmount(1.5)).toThrow();
  });

  it('refuses to publish bid details dated before the opening', () => {
    const s = snapshot('opened');
    expect(() => buildRelease({ prefix: PREFIX, releaseId: 'x', date: new Date('2026-10-15T01:00:00Z'), tags: ['tenderUpdate'], snapshot: s })).toThrow(/before the opening/);
  });

  it('compiles by OCDS merge rules: identified arrays merge by id, newest values win', () => {
    const compiled = compileReleases(releases);
    expect(compiled.tag).toEqual(['compiled']);
    expect(compiled.date).toBe('2026-12-05T02:00:00.000Z');
    const tender = compiled.tender as { documents: { id: string }[]; tenderPeriod: { endDate: string }; status: string };
    expect(tender.documents.map((d) => d.id)).toEqual(['doc-notice', 'doc-change-1']);
    expect(tender.tenderPeriod.endDate).toBe('2026-10-15T02:00:00.000Z');
    expect(tender.status).toBe('complete');
    const parties = compiled.parties as { id: string; roles: string[] }[];
    expect(parties.find((p) => p.id === bidderA.orgId)!.roles).toEqual(['tenderer', 'supplier']);
    // A member set to null in a later release is removed from the compiled release.
    const removal = { ...releases[4]!, id: '6', date: '2026-12-06T00:00:00.000Z', tender: { id: 'f1f0c0de-0000-4000-8000-000000000001', description: null } } as unknown as Release;
    expect((compileReleases([...releases, removal]).tender as Record<string, unknown>).description).toBeUndefined();
  });

  it('streams the same package text as the object form', () => {
    const frame = releasePackageFrame(meta);
    const text = frame.head + releases.map((r) => JSON.stringify(r)).join(',') + frame.tail;
    expect(JSON.parse(text)).toEqual(releasePackage(meta, releases));
  });
});

describe.skipIf(!validator)('OCDS packages validate against the official 1.1.5 schema and closed codelists', () => {
  if (!validator) console.warn(`OCDS schema not found at ${OCDS_DIR} (../shared absent): schema validation skipped`);

  it('a release package of every stage with the bids and lots extensions declared', () => {
    expect(validator!.releasePackage(releasePackage(meta, releases))).toEqual([]);
  });

  it('a record package with embedded releases and the compiled release', () => {
    expect(validator!.recordPackage(recordPackage(meta, new Map([[releases[0]!.ocid, releases]])))).toEqual([]);
  });

  it('the validator catches what the schema forbids (so the checks above can fail)', () => {
    const bad = structuredClone(releases[3]!) as Record<string, unknown>;
    (bad.awards as { status: string }[])[0]!.status = 'won';
    (bad.bids as { details: { status: string }[] }).details[0]!.status = 'opened';
    delete bad.initiationType;
    const errors = validator!.releasePackage(releasePackage(meta, [bad as Release]));
    expect(errors.join('\n')).toMatch(/initiationType/);
    expect(errors.join('\n')).toMatch(/won is not in the closed codelist awardStatus/);
    expect(errors.join('\n')).toMatch(/opened is not in the closed codelist bidStatus/);
  });
});
