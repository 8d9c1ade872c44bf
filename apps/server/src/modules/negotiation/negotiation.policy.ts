import type { Actor } from '../../platform/auth/actor';
import { assertOperator } from '../../platform/auth/policies';
import type { DbOrTx } from '../../platform/db/database';
import { AppError, Errors } from '../../platform/http/errors';
import { engine, getTender, isTenderOverseer, isTenderParty, type LotRow, type TenderRow } from '../tendering/index';
import { getParticipant } from './negotiation.repo';
import { kindOf } from './negotiation.rules';
import type { NegotiationKind } from './negotiation.tables';

/**
 * Who may see and do what in a negotiation (DOMAIN §7; 采购法 第三十八条（四）"谈判的任何一方不得透露与谈判有关的其他供应商的
 * 技术资料、价格和其他信息"):
 * - operate (record rounds, change notices, eliminate, call and read final offers, propose the single-source price):
 *   the tender's purchaser organisation or its agency — the agency acts as the operator of the 谈判小组/磋商小组;
 *   supervisors and center staff never (管办分离);
 * - read everything: those parties and overseers in jurisdiction — except the final offers, sealed from everyone
 *   (the agency included) until the final-offer deadline;
 * - a supplier taking part: its own rounds and minutes, the change notices delivered to it, its own status and final
 *   offer — never another supplier's identity, minutes, offer or count before the result;
 * - anyone else: 404, as for a lot without a negotiation.
 */
export type Viewer = 'party' | 'overseer' | 'supplier';

export const access = (t: TenderRow) => ({ status: t.status, ownerOrgId: t.owner_org_id, agencyOrgId: t.agency_org_id, industry: t.industry, regionCode: t.region_code });

export const negotiationNotFound = () => new AppError('NOT_FOUND', 404, '谈判（磋商、协商）记录不存在', 'Negotiation not found');

export interface Located {
  tender: TenderRow;
  lot: LotRow;
  kind: NegotiationKind;
}

/** The tender's lot by number for a negotiation procedure, or 404. */
export async function locate(db: DbOrTx, tenderId: string, lotNo: number, forUpdate = false): Promise<Located> {
  const tender = await getTender(db, tenderId, forUpdate);
  const kind = tender && engine.isTenderingProcedure(tender.procedure_type) ? kindOf(tender.procedure_type) : null;
  if (!tender || !kind) throw negotiationNotFound();
  let q = db.selectFrom('tender_lots').selectAll().where('tender_id', '=', tenderId).where('lot_no', '=', lotNo);
  if (forUpdate) q = q.forUpdate();
  const lot = await q.executeTakeFirst();
  if (!lot) throw negotiationNotFound();
  return { tender, lot, kind };
}

export async function viewerOf(db: DbOrTx, actor: Actor, l: Located): Promise<Viewer> {
  if (isTenderParty(actor, access(l.tender))) return 'party';
  if (isTenderOverseer(actor, access(l.tender))) return 'overseer';
  if (actor.orgId && actor.roles.some((g) => g.role === 'bidder') && (await getParticipant(db, l.lot.id, actor.orgId))) return 'supplier';
  throw negotiationNotFound();
}

/** Operating commands: supervisors refused by name, other readers 403, everyone else 404. */
export async function assertOperates(db: DbOrTx, actor: Actor, l: Located): Promise<void> {
  assertOperator(actor);
  const v = await viewerOf(db, actor, l);
  if (v !== 'party') {
    throw new AppError('NEGOTIATION_NOT_OPERATOR', 403, '只有采购人或其委托的采购代理机构可以组织谈判（磋商、协商）', 'Only the purchaser or its agency may run the negotiation');
  }
}

/** A supplier acting for itself: its organisation must be a participant (else 404; parties get 403). */
export async function assertSupplier(db: DbOrTx, actor: Actor, l: Located): Promise<string> {
  const v = await viewerOf(db, actor, l);
  if (v !== 'supplier') throw Errors.forbidden('只有参加谈判的供应商本身可以办理', 'Only the supplier taking part may do this');
  return actor.orgId!;
}
