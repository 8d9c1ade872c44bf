import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type pg from 'pg';
import type { DbHandle, DbOrTx } from '../../platform/db/database';

/**
 * Cross-node fan-out of "auction A has new events up to seq N" (issue 5 §4).
 *
 * PostgreSQL: the writing transaction calls pg_notify('auction_events', 'A:N'); PostgreSQL delivers it only if and
 * when that transaction commits, to every node LISTENing — including the writer's own node — over one dedicated
 * connection per node (`startAuctionListener`). PGlite is one process and one connection behind a mutex: the event is
 * emitted in-process at once, and the socket's read of the events table queues behind the writing transaction, so it
 * sees the committed rows (or nothing, after a rollback). Either way the notification only says "look": sockets read
 * `seq > last sent` from auction_events, so a lost or coalesced notification costs latency, never an event; a slow
 * poll per socket covers a dropped LISTEN connection.
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
    const i = msg.payload.lastIndexOf(':');
    bus.emit(msg.payload.slice(0, i), Number(msg.payload.slice(i + 1)));
  };
  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const c = await pool.connect();
      c.on('notification', onNote);
      c.on('error', (err) => {
        log.warn({ err }, 'auction LISTEN connection lost; reconnecting');
        c.release(err);
        if (client === c) client = undefined;
        setTimeout(() => void connect(), 1000).unref();
      });
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
    } catch (err) {
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
