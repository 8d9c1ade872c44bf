import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describeEngines } from '../../../test/harness';
import { freshDatabase } from '../../../test/fixture-db';
import type { DbHandle } from '../../platform/db/database';
import { LiveRooms, notifyAfterCommit, notifyEvent, startAuctionListener } from './auctions.live';

// The node's shared room (auctions.live.ts): each socket gets exactly the events after its own `after`, in order,
// once each — whether it joined at the head, behind it, or behind the room's 256-event window — while the node
// reads and serialises each event once for all its sockets.
describeEngines('auction live room fan-out', (engine) => {
  let h: DbHandle;
  let stop: () => Promise<void>;
  const id = randomUUID();
  let seq = 0;

  /** Commit events (as a bid does: row + event_seq under the lock), then notify. `skip` leaves a seq out for now. */
  async function append(n: number, opts: { only?: number } = {}) {
    const seqs = opts.only !== undefined ? [opts.only] : Array.from({ length: n }, () => ++seq);
    await h.db.transaction().execute(async (trx) => {
      for (const s of seqs) {
        await sql`INSERT INTO auction_events (auction_id, seq, kind, price_fen, leader_no, ends_at, payload, at)
                  VALUES (${id}, ${s}, 'bid', ${s * 100}, 1, now(), '{}', now())`.execute(trx);
      }
      await sql`UPDATE auctions SET event_seq = GREATEST(event_seq, ${Math.max(...seqs)}) WHERE id = ${id}`.execute(trx);
      await notifyEvent(trx, h.engine, id, Math.max(...seqs));
    });
  }

  function socket() {
    const got: number[] = [];
    return { got, closed: false, send: (f: string) => got.push((JSON.parse(f) as { seq: number }).seq) };
  }
  const upTo = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + 1 + i);

  beforeAll(async () => {
    h = await freshDatabase(engine);
    stop = await startAuctionListener(h, { warn: () => {} });
    const now = new Date();
    await sql`INSERT INTO auctions (id, title, policy, organiser_org_id, created_by, industry, region_code, start_price_fen, increment_fen,
                deposit_fen, registration_ends_at, starts_at, countdown_seconds, max_ends_at, phase, ends_at, created_at)
              VALUES (${id}, 'live', 'online', ${randomUUID()}, ${randomUUID()}, 'land', '350203', 100, 100, 0, ${now}, ${now}, 300, ${now}, 'free', ${now}, ${now})`.execute(h.db);
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  it('every socket gets exactly its events in order; a gap waits; each event is serialised once per node', async () => {
    let framed = 0;
    const rooms = new LiveRooms(h.db, (r) => {
      framed++;
      return JSON.stringify({ seq: r.seq });
    });
    await append(3);
    const a = socket();
    const b = socket();
    const leaveA = rooms.join(id, a, 0, 3); // behind: reads its backlog, then the shared stream
    rooms.join(id, b, 2, 3);
    await expect.poll(() => a.got.length + b.got.length, { timeout: 5000 }).toBe(4);

    await append(300); // more than the window at once
    const c = socket();
    rooms.join(id, c, 0, 303); // joins behind the window
    await expect.poll(() => [a.got.length, b.got.length, c.got.length], { timeout: 10_000 }).toEqual([303, 301, 303]);
    expect(a.got).toEqual(upTo(0, 303));
    expect(b.got).toEqual(upTo(2, 303));
    expect(c.got).toEqual(upTo(0, 303));
    // One serialisation per event for the shared stream (3 sockets) plus the catch-up reads of a (1–3) and c (1–47 at
    // most: the window keeps 256), not one per socket per event.
    expect(framed).toBeLessThan(303 + 3 + 303);

    // seq 305 becomes visible before 304 (a later commit): nobody gets 305 until 304 is there.
    leaveA();
    await append(0, { only: 305 });
    await new Promise((r) => setTimeout(r, 300));
    expect(b.got.at(-1)).toBe(303);
    await append(0, { only: 304 });
    await expect.poll(() => b.got.length, { timeout: 5000 }).toBe(303);
    expect(b.got.slice(-3)).toEqual([303, 304, 305]);
    expect(c.got.slice(-2)).toEqual([304, 305]);
    expect(a.got.length).toBe(303); // left: nothing more
  });

  it('a notification from another node may carry several auctions; the poll is not what delivers it', async () => {
    const rooms = new LiveRooms(h.db, (r) => JSON.stringify({ seq: r.seq }), 600_000);
    const s = socket();
    rooms.join(id, s, seq + 2, seq + 2); // at the head (305)
    await sql`INSERT INTO auction_events (auction_id, seq, kind, price_fen, leader_no, ends_at, payload, at)
              VALUES (${id}, 306, 'bid', 30600, 1, now(), '{}', now())`.execute(h.db);
    await sql`UPDATE auctions SET event_seq = 306 WHERE id = ${id}`.execute(h.db);
    if (engine === 'postgres') {
      // As notifyAfterCommit batches it on another node: several "auction:seq" pairs in one payload.
      await sql`SELECT pg_notify('auction_events', ${`${randomUUID()}:9,${id}:306`})`.execute(h.db);
    } else {
      notifyAfterCommit(h, id, 306);
    }
    await expect.poll(() => s.got, { timeout: 3000 }).toEqual([306]);
  });
});
