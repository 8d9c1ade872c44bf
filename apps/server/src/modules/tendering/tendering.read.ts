import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { isTenderingProcedure } from './policies/engine';
import { assertBidderMayTakePart } from './commands/obtain';
import {
  effectivePolicy,
  getCustodians,
  getDocuments,
  getInvitations,
  getLots,
  getObtain,
  getTender,
  openObjectionCount,
} from './tendering.repo';
import { isBidder, isOverseer, isParty, secretsOpen, tenderNotFound } from './tendering.policy';
import { presentTender } from './tendering.presenter';

export type ViewerKind = 'party' | 'overseer' | 'bidder';

/**
 * Load a tender for a reader and decide what kind of reader it is (tendering.policy): the tender's parties, overseers
 * (center staff, supervisors in jurisdiction; published only) or a bidder that may take part. Anyone else: 404.
 */
export async function readTender(db: DbOrTx, actor: Actor, id: string, now: Date) {
  const tender = await getTender(db, id);
  if (!tender || !isTenderingProcedure(tender.procedure_type)) throw tenderNotFound();
  const [lots, policy] = await Promise.all([getLots(db, id), effectivePolicy(db, tender.procedure_type)]);
  const view = {
    status: tender.status,
    ownerOrgId: tender.owner_org_id,
    agencyOrgId: tender.agency_org_id,
    industry: tender.industry,
    regionCode: tender.region_code,
  };
  let kind: ViewerKind;
  let obtainedAt: Date | null = null;
  if (isParty(actor, view)) kind = 'party';
  else if (isOverseer(actor, view)) kind = 'overseer';
  else if (isBidder(actor)) {
    await assertBidderMayTakePart(db, actor, tender, policy);
    kind = 'bidder';
    obtainedAt = (await getObtain(db, id, actor.orgId!))?.obtained_at ?? null;
  } else throw tenderNotFound();
  return { tender, lots, policy, kind, obtainedAt, secretsOpen: secretsOpen(lots, now) };
}

export async function tenderDetail(db: DbOrTx, actor: Actor, id: string, now: Date) {
  const r = await readTender(db, actor, id, now);
  const [docs, custodians, invitations, openObjections] = await Promise.all([
    getDocuments(db, id),
    getCustodians(db, id),
    getInvitations(db, id),
    openObjectionCount(db, id),
  ]);
  return presentTender(
    r.tender,
    { lots: r.lots, docs, custodians, invitations, policy: r.policy, openObjections },
    { full: r.kind !== 'bidder', mayDownload: r.kind !== 'bidder' || !!r.obtainedAt, obtainedAt: r.obtainedAt },
  );
}
