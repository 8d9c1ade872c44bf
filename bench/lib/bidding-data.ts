// Rows for the bidding benchmark, written straight into the database (the HTTP paths under test are the upload and
// the decryption; building hundreds of accounts and a tender through the API would only measure Argon2 and intake).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPair, type BidKeyPair, type Custodian } from '@yiwang/sdk/sealing';
import type { Db } from '../../apps/server/src/platform/db/database';
import { ensureCatalogSeeded } from '../../apps/server/src/modules/catalog/index';
import '../../apps/server/src/modules/bidding/bidding.tables';
import '../../apps/server/src/modules/identity/identity.tables';
import '../../apps/server/src/modules/intake/intake.tables';

export interface BenchBidder {
  orgId: string;
  accountId: string;
  key: BidKeyPair;
  /** Session cookie value and CSRF token (sessions inserted directly, as a sign-in would). */
  cookie: string;
  csrf: string;
}

export interface BenchTender {
  tenderId: string;
  lotId: string;
  custodians: Custodian[];
  custodianKeys: BidKeyPair[];
  k: number;
}

const uscc = (n: number) => `91350200BM${String(n).padStart(8, '0')}`;

async function org(db: Db, name: string, n: number): Promise<string> {
  const r = await db.insertInto('organisations').values({ kind: 'organisation', name, uscc: uscc(n), person_id_hash: null, contact_name: null, contact_phone: null, region_code: '350200' }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function account(db: Db, username: string, orgId: string | null, role: string, now: Date): Promise<{ accountId: string; cookie: string; csrf: string }> {
  const a = await db.insertInto('accounts').values({ org_id: orgId, username, display_name: username, password_hash: 'x', phone: null, email: null, locked_until: null, totp_secret: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('account_roles').values({ account_id: a.id, role: role as never, industries: role === 'regulator' ? ['construction'] : [], regions: role === 'regulator' ? ['350200'] : [] }).execute();
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.insertInto('sessions').values({ id_hash: createHash('sha256').update(cookie).digest('hex'), account_id: a.id, csrf_token: csrf, created_at: now, expires_at: new Date(now.getTime() + 86_400_000), second_factor_ok: true, ip: null, user_agent: null }).execute();
  return { accountId: a.id, cookie, csrf };
}

async function registerKey(db: Db, accountId: string, key: BidKeyPair, now: Date): Promise<void> {
  await db.insertInto('signing_keys').values({ account_id: accountId, algorithm: key.algorithm, public_key: key.publicKey, fingerprint: key.fingerprint, label: null, created_at: now, revoked_at: null }).execute();
}

let serial = 0;

/** `n` bidder organisations, each with one account, a session and a registered Ed25519 key. */
export async function seedBidders(db: Db, n: number, now: Date): Promise<BenchBidder[]> {
  const out: BenchBidder[] = [];
  for (let i = 0; i < n; i++) {
    const s = ++serial;
    const orgId = await org(db, `福建第${s}建设有限公司`, 1000 + s);
    const a = await account(db, `bench-bidder-${s}`, orgId, 'bidder', now);
    const key = generateKeyPair('ed25519');
    await registerKey(db, a.accountId, key, now);
    out.push({ orgId, accountId: a.accountId, key, cookie: a.cookie, csrf: a.csrf });
  }
  return out;
}

/** A published works tender with one lot in bidding (deadline `deadline`), custodians with keys, and `bidders` obtained it. */
export async function seedTender(db: Db, bidders: BenchBidder[], deadline: Date, now: Date): Promise<BenchTender> {
  await ensureCatalogSeeded(db, now);
  const cv = await db.selectFrom('catalog_versions').select('id').where('status', '=', 'published').orderBy('version_no', 'desc').executeTakeFirstOrThrow();
  const s = ++serial;
  const ownerOrg = await org(db, `厦门市第${s}中学`, 1000 + s);
  const tenderer = await account(db, `bench-tenderer-${s}`, ownerOrg, 'tenderer', now);
  const staff = await account(db, `bench-staff-${s}`, null, 'center_intake', now);
  const reg = await account(db, `bench-reg-${s}`, null, 'regulator', now);
  const project = await db
    .insertInto('projects')
    .values({ name: '教学楼新建工程', catalog_version_id: cv.id, catalog_code: 'works.housing', procedure_type: 'works_open_tender', subject: 'works', region_code: '350203', industry: 'construction', estimate_fen: 500_000_000, mandatory: true, threshold_fen: null, owner_org_id: ownerOrg, agency_org_id: null, created_by: tenderer.accountId, status: 'accepted', created_at: now, updated_at: now } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const tender = await db
    .insertInto('tenders')
    .values({ project_id: (project as { id: string }).id, procedure_type: 'works_open_tender', title: `教学楼新建工程（基准 ${s}）`, status: 'published', owner_org_id: ownerOrg, agency_org_id: null, industry: 'construction', region_code: '350203', catalog_code: 'works.housing', planned_publish_at: now, published_at: now, publisher_org_id: ownerOrg, notice_id: null, escrow_k: 2, created_by: tenderer.accountId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lot = await db
    .insertInto('tender_lots')
    .values({ tender_id: tender.id, lot_no: 1, name: '施工一标段', estimate_fen: 300_000_000, deposit_fen: 0, bid_deadline: deadline, opening_at: deadline, status: 'bidding', status_changed_at: now, deadline_held_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const custodianKeys: BidKeyPair[] = [];
  const custodians: Custodian[] = [];
  for (const [c, kind] of [[staff, 'center'], [reg, 'regulator'], [tenderer, 'tenderer']] as const) {
    await db.insertInto('tender_custodians').values({ tender_id: tender.id, account_id: c.accountId, kind }).execute();
    const key = generateKeyPair('ed25519');
    await registerKey(db, c.accountId, key, now);
    custodianKeys.push(key);
    custodians.push({ kind, accountId: c.accountId, algorithm: key.algorithm, publicKey: key.publicKey });
  }
  for (let i = 0; i < bidders.length; i += 200) {
    await db.insertInto('tender_obtains').values(bidders.slice(i, i + 200).map((b) => ({ id: randomUUID(), tender_id: tender.id, org_id: b.orgId, account_id: b.accountId, obtained_at: now }))).execute();
  }
  return { tenderId: tender.id, lotId: lot.id, custodians, custodianKeys, k: 2 };
}
