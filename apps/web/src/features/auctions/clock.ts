// Pure helpers of the bidder's room: the client–server clock offset, the countdown, and bid amounts. The server is
// the only clock that decides anything (ADR 0018); these only make what the bidder sees agree with it.

/** One NTP-style sample: the client sent at `sentAt`, the server stamped `serverTime`, the answer came at `receivedAt`. */
export interface ClockSample {
  sentAt: number;
  serverTime: number;
  receivedAt: number;
}

export interface ClockOffset {
  /** server time − client time, in ms: the client's `Date.now() + offsetMs` is its estimate of server time. */
  offsetMs: number;
  /** The uncertainty: half the round trip of the sample used (the server stamped somewhere inside it). */
  errorMs: number;
  rttMs: number;
}

/**
 * The offset from samples, NTP-style: the server's stamp is assumed to be at the midpoint of the round trip, so
 * offset = serverTime − (sentAt + receivedAt) / 2 with an error of ±rtt/2. The sample with the shortest round trip
 * is the tightest bound, so it wins (queueing only ever lengthens a trip).
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockOffset | null {
  let best: ClockSample | null = null;
  for (const s of samples) {
    if (!(s.receivedAt >= s.sentAt) || !Number.isFinite(s.serverTime)) continue;
    if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  }
  if (!best) return null;
  const rtt = best.receivedAt - best.sentAt;
  return { offsetMs: Math.round(best.serverTime - (best.sentAt + best.receivedAt) / 2), errorMs: Math.ceil(rtt / 2), rttMs: rtt };
}

/**
 * A pushed message says the server's clock read `serverTime` before the client received it at `receivedAt`, so the
 * offset is at least serverTime − receivedAt. If the estimate is below that bound (the server's clock jumped, or the
 * sample was poor), raise it to the bound; otherwise keep it.
 */
export function tightenOffset(o: ClockOffset, serverTime: number, receivedAt: number): ClockOffset {
  const floor = serverTime - receivedAt;
  return floor > o.offsetMs ? { ...o, offsetMs: Math.round(floor) } : o;
}

/** Milliseconds left until `endsAt` by the corrected clock (never negative). */
export function remainingMs(endsAt: string, clientNow: number, offsetMs: number): number {
  return Math.max(0, new Date(endsAt).getTime() - (clientNow + offsetMs));
}

/** `4:05`, or `1:02:03` past an hour. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The least acceptable next bid, as the server computes it (auctions.rules.ts minimumNextBid). */
export function minimumBid(a: { startPriceFen: number; incrementFen: number; currentPriceFen: number | null }): number {
  return a.currentPriceFen === null ? a.startPriceFen : a.currentPriceFen + a.incrementFen;
}

/** The quick bids: the minimum and then `steps − 1` more increments above it (the +1/+2/+5 buttons). */
export function quickBid(a: { startPriceFen: number; incrementFen: number; currentPriceFen: number | null }, steps: number): number {
  return minimumBid(a) + (steps - 1) * a.incrementFen;
}

export type AmountProblem = 'below_minimum' | 'not_multiple' | null;

/** The server's amount rules, checked before sending: at least the minimum, and on the increment grid from the start. */
export function amountProblem(a: { startPriceFen: number; incrementFen: number; currentPriceFen: number | null }, amountFen: number): AmountProblem {
  if (amountFen < minimumBid(a)) return 'below_minimum';
  if ((amountFen - a.startPriceFen) % a.incrementFen !== 0) return 'not_multiple';
  return null;
}

/** An id for one intended bid: a retry of the same intention sends the same id, and the server answers it once. */
export function newClientBidId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
