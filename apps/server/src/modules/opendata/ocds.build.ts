import { AppError } from '../../platform/http/errors';
import type { DocumentSnapshot, ProcessSnapshot, ReleaseTag } from './ocds.types';

/** OCDS 1.1.5 with the two extensions the platform's releases use; declared in every package. */
export const OCDS_VERSION = '1.1';
export const OCDS_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json',
];
/**
 * Party identifiers are 统一社会信用代码 (GB 32100). The scheme name follows org-id.guide's pattern of
 * country + register; an installation that registers its own prefix with org-id.guide can change it in one place.
 */
export const USCC_SCHEME = 'CN-USCC';

export type Release = Record<string, unknown> & { ocid: string; id: string; date: string; tag: (ReleaseTag | 'compiled')[] };

/**
 * Amounts are integer 分 inside the platform. OCDS wants a JSON number of 元: fen / 100 is the double nearest to the
 * exact decimal, and JSON.stringify prints the shortest string that reads back as that double, which is the
 * two-decimal figure for any amount below 10^13 元 — so the published text is exact.
 */
export function fenToAmount(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount in 分 must be an integer, got ${fen}`);
  return fen / 100;
}

const value = (fen: number | null | undefined) => (fen == null ? undefined : { amount: fenToAmount(fen), currency: 'CNY' });
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);
const period = (p?: { start?: Date | null; end?: Date | null }) =>
  p && (p.start || p.end) ? prune({ startDate: iso(p.start), endDate: iso(p.end) }) : undefined;
const orgRef = (o: { orgId: string; name: string }) => ({ id: o.orgId, name: o.name });
const documents = (docs?: DocumentSnapshot[]) =>
  docs?.length
    ? docs.map((d) =>
        prune({ id: d.id, documentType: d.documentType, title: d.title, url: d.url, datePublished: d.datePublished.toISOString(), format: d.format, relatedLots: d.relatedLots?.length ? d.relatedLots : undefined }),
      )
    : undefined;

/** Drop undefined members so the JSON has no empty keys (OCDS: omit rather than send empty). */
function prune<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function ocidFor(prefix: string, processId: string): string {
  return `${prefix}-${processId}`;
}

/**
 * One release: what changed at `date` (the tags) over the whole public state of the process (OCDS releases may
 * repeat unchanged fields; consumers merge them into the compiled release).
 */
export function buildRelease(args: { prefix: string; releaseId: string; date: Date; tags: ReleaseTag[]; snapshot: ProcessSnapshot }): Release {
  const { snapshot: s, date } = args;
  if (!args.tags.length) throw new Error('a release needs at least one tag');
  if (s.bids?.length && (!s.openedAt || s.openedAt > date)) {
    // DOMAIN §7: who bid and what they bid stay secret until the opening. A caller bug must not publish them.
    throw new AppError('OCDS_BIDS_BEFORE_OPENING', 409, '开标前不得公开投标信息', 'Bid details cannot be published before the opening', 'bids');
  }
  const ocid = ocidFor(args.prefix, s.processId);
  const release: Release = {
    ocid,
    id: args.releaseId,
    date: date.toISOString(),
    tag: args.tags,
    initiationType: 'tender',
    language: 'zh',
    parties: s.parties.map((p) =>
      prune({
        id: p.orgId,
        name: p.name,
        identifier: p.uscc ? { scheme: USCC_SCHEME, id: p.uscc, legalName: p.name } : undefined,
        address: p.regionCode ? { region: p.regionCode, countryName: '中国' } : undefined,
        roles: p.roles,
      }),
    ),
    buyer: orgRef(s.buyer),
    tender: prune({
      id: s.processId,
      title: s.title,
      description: s.description ?? undefined,
      status: s.status,
      procuringEntity: s.procuringEntity ? orgRef(s.procuringEntity) : undefined,
      value: value(s.valueFen),
      procurementMethod: s.procurementMethod,
      procurementMethodDetails: s.procurementMethodDetails,
      mainProcurementCategory: s.mainProcurementCategory ?? undefined,
      submissionMethod: ['electronicSubmission'],
      tenderPeriod: period(s.tenderPeriod),
      enquiryPeriod: period(s.enquiryPeriod),
      awardPeriod: period(s.awardPeriod),
      documents: documents(s.documents),
      lots: s.lots.length
        ? s.lots.map((l) => prune({ id: l.id, title: l.title, value: value(l.valueFen), status: l.status }))
        : undefined,
      numberOfTenderers: s.bids ? new Set(s.bids.map((b) => b.bidder.orgId)).size : undefined,
      tenderers: s.bids?.length ? uniqueOrgs(s.bids.map((b) => b.bidder)) : undefined,
    }),
  };
  if (s.bids) release.bids = bidsSection(s);
  if (s.awards?.length)
    release.awards = s.awards.map((a) =>
      prune({
        id: a.id,
        title: a.title,
        status: a.status,
        date: a.date.toISOString(),
        value: value(a.valueFen),
        suppliers: a.suppliers.map(orgRef),
        relatedLots: a.lotIds.length ? a.lotIds : undefined,
        relatedBid: a.bidId ?? undefined,
        documents: documents(a.documents),
      }),
    );
  if (s.contracts?.length)
    release.contracts = s.contracts.map((c) =>
      prune({
        id: c.id,
        awardID: c.awardId,
        title: c.title,
        status: c.status,
        value: value(c.valueFen),
        dateSigned: iso(c.dateSigned),
        period: period(c.period),
        documents: documents(c.documents),
        implementation: c.transactions?.length
          ? {
              transactions: c.transactions.map((t) => ({
                id: t.id,
                date: t.date.toISOString(),
                value: value(t.valueFen),
                payer: { id: t.payerOrgId, name: nameOf(s, t.payerOrgId) },
                payee: { id: t.payeeOrgId, name: nameOf(s, t.payeeOrgId) },
              })),
            }
          : undefined,
      }),
    );
  if (s.relatedProcesses?.length)
    release.relatedProcesses = s.relatedProcesses.map((r) => ({
      id: r.id,
      relationship: [r.relationship],
      title: r.title,
      scheme: 'ocid',
      identifier: ocidFor(args.prefix, r.processId),
    }));
  return release;
}

function nameOf(s: ProcessSnapshot, orgId: string): string {
  return s.parties.find((p) => p.orgId === orgId)?.name ?? '';
}

function uniqueOrgs(orgs: { orgId: string; name: string }[]) {
  const seen = new Map<string, { id: string; name: string }>();
  for (const o of orgs) if (!seen.has(o.orgId)) seen.set(o.orgId, orgRef(o));
  return [...seen.values()];
}

/** Bids extension: per-lot counts as statistics, and each bid's details as read at the opening. */
function bidsSection(s: ProcessSnapshot) {
  const bids = s.bids ?? [];
  const statistics = s.lots.map((lot) => {
    const count = bids.filter((b) => b.lotIds.includes(lot.id) && b.status !== 'withdrawn').length;
    return { id: `${lot.id}-bids`, measure: 'bids', value: count, relatedLot: lot.id, date: iso(s.openedAt) };
  });
  return {
    statistics,
    details: bids.map((b) =>
      prune({
        id: b.id,
        date: b.date.toISOString(),
        status: b.status,
        tenderers: [orgRef(b.bidder)],
        value: value(b.priceFen),
        relatedLots: b.lotIds,
      }),
    ),
  };
}
