import type { DbOrTx } from '../../../platform/db/database';
import { registerLotDeposit } from '../../deposits/index';
import type { TenderRow } from '../tendering.repo';

/**
 * 投标有效期 when the tender documents do not state one: 90 days from the deadline, the usual term in model documents.
 * A guarantee must stay valid at least this long (deposits module).
 */
const DEFAULT_BID_VALIDITY_DAYS = 90;

/**
 * Tell the deposits module what each lot requires, at publication and again whenever a lot's deadline moves: the
 * amount, the beneficiary (the tenderer) and `revealAfter` = the bid deadline,
 * before which nobody but a bidder may see deposit records (DOMAIN §7: deposits reveal who intends to bid).
 */
export async function registerLotDeposits(
  trx: DbOrTx,
  t: TenderRow,
  lots: { id: string; lot_no: number; name: string; deposit_fen: number; bid_deadline: Date }[],
  now: Date,
  actorId: string | null,
): Promise<void> {
  if (!lots.length) return;
  const owner = await trx.selectFrom('organisations').select(['name', 'uscc']).where('id', '=', t.owner_org_id).executeTakeFirstOrThrow();
  for (const l of lots) {
    await registerLotDeposit(
      trx,
      {
        tenderId: t.id,
        lotId: l.id,
        lotLabel: `${t.title} 第${l.lot_no}标段（${l.name}）`.slice(0, 200),
        requiredFen: l.deposit_fen,
        // A transfer into the lot's virtual sub-account is a non-cash payment (支票/汇票/转账), allowed under every policy;
        // the policy's `cashAllowed` is about banknotes, which the platform never takes.
        cashAllowed: true,
        revealAfter: l.bid_deadline,
        bidValidUntil: new Date(l.bid_deadline.getTime() + DEFAULT_BID_VALIDITY_DAYS * 86_400_000),
        beneficiary: { name: owner.name, uscc: owner.uscc?.trim() ?? null },
        tendererOrgId: t.owner_org_id,
        agencyOrgId: t.agency_org_id,
        industry: t.industry,
        regionCode: t.region_code,
      },
      now,
      actorId,
    );
  }
}
