import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type pg from 'pg';
import type { DbHandle, DbOrTx } from '../../platform/db/database';
import { eventsAfter } from './auctions.repo';

/**
 * Cross-node fan-out of "auction A has new events up to seq N" (issue 5 §4).
 *
 * PostgreSQL: a bid notifies after its commit, batched per node (notifyAfterCommit); rarer writers (the close) call
 * pg_notify('auction_events', 'A:N') inside their transaction, delivered only if and when it commits. Every node
 * LISTENs over one dedicated connection (`startAuctionListener`). PGlite is one process and one connection behind a mutex: the event is
 * emitted in-process at once, and the socket's read of the events table queues behind the writing transaction, so it
 * sees the committed rows (or nothing, after a rollback). Either way the notification only says "look": the node's
 * room for that auction reads `seq > last read` from auction_events once and fans it out to its sockets (Room below),
 * so a lost or coalesced notification costs latency, never an event; one slow poll per room covers a dropped LISTEN.
 */
export const CHANNEL = 'auction_events';
const bus = new EventEmitter();
bus.setMaxListeners(0);

export async function notifyEvent(trx: DbOrTx, engine: DbHandle['engine'], auctionId: string, seq: number): Promise<void> {
  if (engine === 'postgres') {
    await sql`SELECT pg_notify(${CHANNEL}, ${`${auctionId}:${seq}`})`.execute(trx);
  } else {
    setImmediate(() => bus.emit(auctionId, seq));
  }
}

/**
 * The bid path's notification, sent AFTER its transaction committed, batched per node. A pg_notify inside a
 * transaction makes its COMMIT take a database-wide lock held through the WAL flush (PostgreSQL serialises notifying
 * commits to keep the queue in commit order), so every bid of every auction would commit one after another. Instead
 * this node's own rooms hear at once (in-process), and the other nodes through ONE pg_notify statement per batch:
 * while one is in flight, the next bids' "auction:seq" pairs accumulate (latest seq per auction) and go together.
 * If the process dies between a commit and its notify, the other nodes' room poll (ROOM_POLL_MS) delivers the event:
 * a notification only says "look", so losing one costs latency, never an event.
 */
export function notifyAfterCommit(handle: DbHandle, auctionId: string, seq: number): void {
  bus.emit(auctionId, seq);
  if (handle.engine !== 'postgres') return;
  let n = notifiers.get(handle);
  if (!n) notifiers.set(handle, (n = new BatchedNotifier(handle.db)));
  n.add(auctionId, seq);
}

/** pg_notify payloads are limited to 8,000 bytes: "uuid:seq" pairs per notification. */
const PAIRS_PER_NOTIFY = 150;
const notifiers = new WeakMap<DbHandle, BatchedNotifier>();
class BatchedNotifier {
  private pending = new Map<string, number>();
  private busy = false;
  constructor(private readonly db: DbOrTx) {}

  add(auctionId: string, seq: number): void {
    if ((this.pending.get(auctionId) ?? 0) < seq) this.pending.set(auctionId, seq);
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending.size) {
        const pairs = [...this.pending].map(([a, s]) => `${a}:${s}`);
        this.pending = new Map();
        const payloads: string[] = [];
        for (let i = 0; i < pairs.length; i += PAIRS_PER_NOTIFY) payloads.push(pairs.slice(i, i + PAIRS_PER_NOTIFY).join(','));
        try {
          await sql`SELECT pg_notify(${CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`.execute(this.db);
        } catch {
          // the other nodes' room poll covers it
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

export function onAuctionEvent(auctionId: string, fn: (seq: number) => void): () => void {
  bus.on(auctionId, fn);
  return () => bus.off(auctionId, fn);
}

/** Node-wide LISTEN on a dedicated connection (PostgreSQL only). Returns a stop function. */
export async function startAuctionListener(handle: DbHandle, log: { warn: (o: object, m: string) => void }): Promise<() => Promise<void>> {
  if (handle.engine !== 'postgres' || !handle.pgPool) return async () => {};
  const pool = handle.pgPool;
  let client: pg.PoolClient | undefined;
  let stopped = false;
  const onNote = (msg: pg.Notification) => {
    if (msg.channel !== CHANNEL || !msg.payload) return;
    // One notification may carry several "auction:seq" pairs (notifyAfterCommit batches them).
    for (const pair of msg.payload.split(',')) {
      const i = pair.lastIndexOf(':');
      bus.emit(pair.slice(0, i), Number(pair.slice(i + 1)));
    }
  };
  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const c = await pool.connect();
      c.on('notification', onNote);
      c.on('error', (err) => {
        // Once this client is given back (stop, or an earlier error), a late error — the database dropped or shut
        // down — must neither release it twice (pg-pool throws) nor reconnect a stopped listener.
        if (client !== c || stopped) return;
        log.warn({ err }, 'auction LISTEN connection lost; reconnecting');
        client = undefined;
        c.release(err);
        setTimeout(() => void connect(), 1000).unref();
      });
      client = c;
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      const failed = client;
      client = undefined;
      failed?.release(err instanceof Error ? err : true);
      log.warn({ err }, 'auction LISTEN failed; retrying');
      setTimeout(() => void connect(), 1000).unref();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    const c = client;
    client = undefined;
    if (c) {
      c.removeListener('notification', onNote);
      try {
        await c.query(`UNLISTEN ${CHANNEL}`);
      } catch {
        /* closing anyway */
      }
      c.release();
    }
  };
}

/** What a room needs from a socket: send a ready-made frame. `closed` sockets are skipped and dropped. */
export interface RoomSocket {
  send(frame: string): void;
  readonly closed: boolean;
}
type EventRow = Awaited<ReturnType<typeof eventsAfter>>[number];
interface Watcher {
  sock: RoomSocket;
  /** The last seq sent to this socket: it only ever receives last + 1 next (order, no gaps, no repeats). */
  last: number;
  /** True once caught up to the room's window; until then it reads its own backlog and the room skips it. */
  live: boolean;
  /** A backlog read of its own is in flight (at most one, or two reads could send the same seq twice). */
  catching: boolean;
}

/** Events kept per room so a socket that joins a little behind the shared stream needs no read of its own. */
const WINDOW = 256;
/** A node-level poll per auction with watchers: covers a notification lost with a dropped LISTEN connection. */
export const ROOM_POLL_MS = 2000;

/**
 * One node's view of one auction's event stream, shared by every socket of this node watching it. On a notification
 * (or the poll) the room reads `seq > head` ONCE, keeps the contiguous prefix (a gap = a row not yet visible: stop,
 * the next read gets it), serialises each event once and hands the same frame to every live socket whose `last` is
 * the event's seq − 1. A socket that joins (or resumes from `after=N`) behind the room's window reads its own backlog
 * from the table, then joins; each socket's own `last` keeps the per-socket order and resume guarantees.
 */
class Room {
  private readonly watchers = new Set<Watcher>();
  /** Recent events in seq order: frames[i] is seq base + 1 + i; head = base + frames.length. */
  private frames: string[] = [];
  private base = -1;
  private busy = false;
  private again = false;
  private readonly off: () => void;
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly db: DbOrTx,
    private readonly id: string,
    private readonly frame: (r: EventRow) => string,
    private readonly onEmpty: () => void,
    pollMs: number,
  ) {
    this.off = onAuctionEvent(id, (seq) => {
      if (this.base < 0 || seq > this.head) void this.drain();
    });
    this.poll = setInterval(() => void this.drain(), pollMs);
    this.poll.unref();
  }

  private get head(): number {
    return this.base + this.frames.length;
  }

  /** Add a socket that has received everything up to `after`; `headSeq` is a committed event_seq read before. */
  join(sock: RoomSocket, after: number, headSeq: number): void {
    if (this.base < 0) this.base = headSeq; // every event ≤ event_seq is committed (one lock holder at a time)
    const w: Watcher = { sock, last: after, live: false, catching: false };
    this.watchers.add(w);
    void this.catchUp(w);
    if (headSeq > this.head) void this.drain();
  }

  leave(sock: RoomSocket): void {
    for (const w of this.watchers) if (w.sock === sock) this.watchers.delete(w);
    if (this.watchers.size === 0) {
      this.off();
      clearInterval(this.poll);
      this.onEmpty();
    }
  }

  /** Send this watcher what the window holds after its `last`; false if its `last` is older than the window. */
  private fromWindow(w: Watcher): boolean {
    if (w.last < this.base) return false;
    for (let s = w.last + 1; s <= this.head && !w.sock.closed; s++) {
      w.sock.send(this.frames[s - this.base - 1]!);
      w.last = s;
    }
    return true;
  }

  /** A socket behind the window reads its own backlog (in seq order, stopping at a gap) until the window covers it. */
  private async catchUp(w: Watcher): Promise<void> {
    if (w.catching || w.live) return;
    w.catching = true;
    try {
      while (!w.sock.closed && this.watchers.has(w) && !this.fromWindow(w)) {
        const rows = await eventsAfter(this.db, this.id, w.last, 500);
        let moved = false;
        for (const r of rows) {
          if (r.seq !== w.last + 1 || r.seq > this.base) break;
          w.sock.send(this.frame(r));
          w.last = r.seq;
          moved = true;
        }
        if (!moved) return; // a gap below the window: the poll retries (fromWindow fails, catchUp runs again)
      }
      w.live = true;
    } catch {
      // transient read failure: the poll retries
    } finally {
      w.catching = false;
    }
  }

  /** Read the new events once for the whole node and fan them out. Single-flight; a call during a read re-runs it. */
  async drain(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const rows = await eventsAfter(this.db, this.id, this.head, 500);
        const from = this.head;
        for (const r of rows) {
          if (r.seq !== this.head + 1) break; // never skip: a gap means a row not yet visible; the next read gets it
          this.frames.push(this.frame(r));
        }
        if (this.frames.length > WINDOW) {
          const drop = this.frames.length - WINDOW;
          this.frames = this.frames.slice(drop);
          this.base += drop;
        }
        for (const w of this.watchers) {
          if (w.sock.closed) this.watchers.delete(w);
          else if (!w.live) continue;
          else if (!this.fromWindow(w)) {
            w.live = false; // fell behind the window (cannot happen while it keeps up, but never skip): read again
            void this.catchUp(w);
          }
        }
        if (this.head > from && rows.length === 500) this.again = true;
      } while (this.again);
    } catch {
      // transient read failure: the next notification or the poll retries
    } finally {
      this.busy = false;
    }
    for (const w of this.watchers) if (!w.live) void this.catchUp(w);
  }
}

/** This node's rooms, one per auction with at least one socket. */
export class LiveRooms {
  private readonly rooms = new Map<string, Room>();
  constructor(
    private readonly db: DbOrTx,
    private readonly frame: (r: EventRow) => string,
    private readonly pollMs = ROOM_POLL_MS,
  ) {}

  join(auctionId: string, sock: RoomSocket, after: number, headSeq: number): () => void {
    let room = this.rooms.get(auctionId);
    if (!room) {
      const created = new Room(this.db, auctionId, this.frame, () => {
        if (this.rooms.get(auctionId) === created) this.rooms.delete(auctionId);
      }, this.pollMs);
      this.rooms.set(auctionId, (room = created));
    }
    const r = room;
    r.join(sock, after, headSeq);
    return () => r.leave(sock);
  }
}
