// Rows for the auction benchmark and the fail-over test, written straight into PostgreSQL with a handful of
// `unnest` statements. What is under test is bidding over HTTP; 2,000 sign-ins (Argon2) and 2,000 application +
// decision round trips would only measure set-up. The rows are what those paths leave behind: an approved bidder
// whose deposit was confirmed has its number (bidding_no) issued, which is all placeBid reads about the deposit.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface AuctionBidder {
  orgId: string;
  accountId: string;
  biddingNo: number;
  cookie: string;
  csrf: string;
}

export interface SeededAuction {
  id: string;
  startPriceFen: number;
  incrementFen: number;
  bidders: AuctionBidder[];
}

let serial = 0;
const uscc = (n: number) => `91350200AU${String(n).padStart(8, '0')}`;

/** `auctions` open auctions (free phase, started a minute ago, ending `endsInMs` from now), each with `perAuction` approved bidders. */
export async function seedAuctions(
  db: pg.Pool | pg.Client,
  opts: { auctions: number; perAuction: number; endsInMs: number; now?: Date; depositFen?: number; phase?: 'free' | 'timed'; countdownSeconds?: number; maxExtensionMs?: number },
): Promise<SeededAuction[]> {
  const now = opts.now ?? new Date();
  const run = `${process.pid}-${Date.now().toString(36)}`;
  // The organiser (an agency) owns every auction.
  const organiserOrg = randomUUID();
  const organiser = randomUUID();
  await db.query(`INSERT INTO organisations (id, kind, name, uscc) VALUES ($1, 'organisation', $2, $3)`, [organiserOrg, `基准拍卖行 ${run}`, uscc(++serial + process.pid * 10)]);
  await db.query(`INSERT INTO accounts (id, org_id, username, display_name, password_hash) VALUES ($1, $2, $3, $3, 'x')`, [organiser, organiserOrg, `bench-auctioneer-${run}`]);
  await db.query(`INSERT INTO account_roles (account_id, role, industries, regions) VALUES ($1, 'agency', '{}', '{}')`, [organiser]);

  const n = opts.auctions * opts.perAuction;
  const orgIds: string[] = [];
  const accIds: string[] = [];
  const names: string[] = [];
  const usccs: string[] = [];
  const usernames: string[] = [];
  const cookies: string[] = [];
  const csrfs: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) {
    orgIds.push(randomUUID());
    accIds.push(randomUUID());
    const s = ++serial;
    names.push(`竞买公司 ${run}-${s}`);
    usccs.push(uscc(s + process.pid * 10));
    usernames.push(`bench-au-${run}-${s}`);
    const cookie = randomBytes(32).toString('base64url');
    cookies.push(cookie);
    hashes.push(createHash('sha256').update(cookie).digest('hex'));
    csrfs.push(randomBytes(24).toString('base64url'));
  }
  await db.query(`INSERT INTO organisations (id, kind, name, uscc) SELECT id, 'organisation', name, uscc FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, name, uscc)`, [orgIds, names, usccs]);
  await db.query(`INSERT INTO accounts (id, org_id, username, display_name, password_hash) SELECT id, org, u, u, 'x' FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(id, org, u)`, [accIds, orgIds, usernames]);
  await db.query(`INSERT INTO account_roles (account_id, role, industries, regions) SELECT a, 'auction_bidder', '{}', '{}' FROM unnest($1::uuid[]) AS t(a)`, [accIds]);
  const expires = new Date(now.getTime() + 86_400_000);
  await db.query(
    `INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, expires_at, second_factor_ok) SELECT h, a, c, $4, $5, true FROM unnest($1::text[], $2::uuid[], $3::text[]) AS t(h, a, c)`,
    [hashes, accIds, csrfs, now, expires],
  );

  const out: SeededAuction[] = [];
  const startPriceFen = 1_000_000_00;
  const incrementFen = 100_00;
  const starts = new Date(now.getTime() - 60_000);
  const ends = new Date(now.getTime() + opts.endsInMs);
  const maxEnds = new Date(ends.getTime() + (opts.maxExtensionMs ?? 3_600_000));
  for (let a = 0; a < opts.auctions; a++) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO auctions (id, title, policy, organiser_org_id, created_by, industry, region_code, start_price_fen, increment_fen, reserve_fen, deposit_fen,
         registration_ends_at, starts_at, countdown_seconds, max_ends_at, status, phase, ends_at, numbers_issued, created_at)
       VALUES ($1, $2, 'online', $3, $4, 'land', '350203', $5, $6, NULL, $7, $8, $8, $13, $9, 'open', $14, $10, $11, $12)`,
      [id, `基准网络竞价 ${a + 1}`, organiserOrg, organiser, startPriceFen, incrementFen, opts.depositFen ?? 50_000_00, starts, maxEnds, ends, opts.perAuction, now, opts.countdownSeconds ?? 300, opts.phase ?? 'free'],
    );
    const slice = Array.from({ length: opts.perAuction }, (_, k) => a * opts.perAuction + k);
    await db.query(
      `INSERT INTO auction_bidders (auction_id, org_id, account_id, status, bidding_no, applied_at, decided_at, decided_by)
       SELECT $1, org, acc, 'approved', no, $4, $4, $5 FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS t(org, acc, no)`,
      [id, slice.map((i) => orgIds[i]), slice.map((i) => accIds[i]), now, organiser],
    );
    // The close job, as createAuction schedules it.
    await db.query(`INSERT INTO scheduled_jobs (kind, subject_id, due_at, payload, created_at, updated_at) VALUES ('auction.phase_end', $1, $2, '{}', $3, $3)`, [id, ends, now]);
    out.push({
      id,
      startPriceFen,
      incrementFen,
      bidders: slice.map((i, k) => ({ orgId: orgIds[i]!, accountId: accIds[i]!, biddingNo: k + 1, cookie: cookies[i]!, csrf: csrfs[i]! })),
    });
  }
  return out;
}
