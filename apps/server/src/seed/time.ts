import type { Rng } from './prng';

const DAY = 86_400_000;
const BJ = 8 * 3600_000;

/** Beijing midnight (as a UTC instant) of the Beijing day containing `t`, and the day of the week there. */
function beijingDay(t: number): { start: number; dow: number } {
  const b = new Date(t + BJ);
  const start = Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate()) - BJ;
  return { start, dow: b.getUTCDay() };
}

/**
 * An office-hours instant (Beijing 08:30–17:30, Monday–Friday; weekends move back to Friday) about `days` from now,
 * at a random minute; null when it would not yet be past. For independent notices, whose order does not matter.
 */
export function officeTime(now: Date, days: number, rand: Rng): Date | null {
  const { start, dow } = beijingDay(now.getTime() + days * DAY);
  const day = start - (dow === 6 ? DAY : dow === 0 ? 2 * DAY : 0);
  const t = new Date(day + 8.5 * 3600_000 + Math.floor(rand() * 9 * 3600) * 1000);
  return t.getTime() < now.getTime() - 10 * 60_000 ? t : null;
}

/**
 * The office-hours instant for `days` from now that keeps order: a Beijing day's 24 hours are squeezed into
 * 08:30–17:30 (Saturday and Sunday into Friday evening's overtime), so later offsets always give later instants.
 * Steps of one procedure (register → submit → return → accept) use this. Never later than the raw instant's
 * "now" bound: an instant still in the future after mapping falls back to the raw offset, which is past.
 */
export function officeInstant(now: Date, days: number): Date {
  const raw = now.getTime() + days * DAY;
  const { start, dow } = beijingDay(raw);
  const frac = (raw - start) / DAY;
  let t: number;
  if (dow === 6) t = start - DAY + 17.5 * 3600_000 + frac * 3600_000;
  else if (dow === 0) t = start - 2 * DAY + 18.5 * 3600_000 + frac * 3600_000;
  else t = start + 8.5 * 3600_000 + frac * 9 * 3600_000;
  return new Date(t < now.getTime() ? Math.floor(t / 1000) * 1000 : raw);
}
