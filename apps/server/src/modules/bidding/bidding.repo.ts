import type { DbOrTx } from '../../platform/db/database';
import './bidding.tables';
import '../identity/identity.tables';

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** Active bid-signing keys of every account of an organisation (the org's registered keys). */
export async function orgSigningKeys(db: DbOrTx, orgId: string) {
  return db
    .selectFrom('signing_keys')
    .innerJoin('accounts', 'accounts.id', 'signing_keys.account_id')
    .select(['signing_keys.algorithm', 'signing_keys.public_key', 'signing_keys.fingerprint', 'signing_keys.account_id'])
    .where('accounts.org_id', '=', orgId)
    .where('signing_keys.revoked_at', 'is', null)
    .execute();
}

/** The tender's custodians with their active keys (newest first), in a stable order. */
export async function custodiansWithKeys(db: DbOrTx, tenderId: string) {
  const rows = await db
    .selectFrom('tender_custodians as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .leftJoin('signing_keys as k', (j) => j.onRef('k.account_id', '=', 'c.account_id').on('k.revoked_at', 'is', null))
    .select(['c.account_id', 'c.kind', 'a.display_name', 'k.algorithm', 'k.public_key', 'k.fingerprint', 'k.created_at'])
    .where('c.tender_id', '=', tenderId)
    .orderBy('c.kind')
    .orderBy('c.account_id')
    .orderBy('k.created_at', 'desc')
    .execute();
  const out = new Map<string, { accountId: string; kind: 'center' | 'regulator' | 'tenderer'; displayName: string; keys: { algorithm: 'sm2' | 'ed25519' | 'p256'; publicKey: string; fingerprint: string }[] }>();
  for (const r of rows) {
    const c = out.get(r.account_id) ?? { accountId: r.account_id, kind: r.kind, displayName: r.display_name, keys: [] };
    if (r.fingerprint && r.public_key && r.algorithm) c.keys.push({ algorithm: r.algorithm, publicKey: r.public_key, fingerprint: r.fingerprint });
    out.set(r.account_id, c);
  }
  return [...out.values()];
}

export async function currentBid(db: DbOrTx, lotId: string, orgId: string, forUpdate = false) {
  let q = db.selectFrom('bids').selectAll().where('lot_id', '=', lotId).where('bidder_org_id', '=', orgId).where('status', '=', 'submitted');
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function bidHistory(db: DbOrTx, lotId: string, orgId: string) {
  return db.selectFrom('bids').selectAll().where('lot_id', '=', lotId).where('bidder_org_id', '=', orgId).orderBy('received_at').orderBy('ledger_seq').execute();
}

export type BidRow = NonNullable<Awaited<ReturnType<typeof currentBid>>>;

/** The lot's current bids with the bidders' names (only ever called once the lot is past its deadline). */
export async function lotBids(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db
    .selectFrom('bids')
    .innerJoin('organisations as o', 'o.id', 'bids.bidder_org_id')
    .selectAll('bids')
    .select(['o.name as bidder_name', 'o.uscc as bidder_uscc'])
    .where('bids.lot_id', '=', lotId)
    .where('bids.status', '=', 'submitted')
    .orderBy('bids.received_at')
    .orderBy('bids.id');
  if (forUpdate) q = q.forUpdate(['bids']);
  return q.execute();
}
export type LotBidRow = Awaited<ReturnType<typeof lotBids>>[number];

export async function getRoom(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('bid_openings').selectAll().where('lot_id', '=', lotId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type RoomRow = NonNullable<Awaited<ReturnType<typeof getRoom>>>;

export async function bumpRoom(db: DbOrTx, lotId: string, set: Partial<Omit<RoomRow, 'lot_id' | 'version'>>, now: Date) {
  await db
    .updateTable('bid_openings')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: now }))
    .where('lot_id', '=', lotId)
    .execute();
}

export async function roomObjections(db: DbOrTx, lotId: string) {
  return db.selectFrom('bid_opening_objections').selectAll().where('lot_id', '=', lotId).orderBy('raised_at').orderBy('id').execute();
}

/** Is any current bid of the lot still in this decryption state? (One indexed probe, not the whole list.) */
export async function anyBidIn(db: DbOrTx, lotId: string, decryption: 'pending' | 'recovering'): Promise<boolean> {
  return !!(await db.selectFrom('bids').select('id').where('lot_id', '=', lotId).where('status', '=', 'submitted').where('decryption', '=', decryption).limit(1).executeTakeFirst());
}
