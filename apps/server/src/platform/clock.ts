/**
 * The only source of "now" on the server. Deadlines are decided by this clock, never by a client's.
 * Injected so tests can pin time and the demo can run a procedure's weeks in minutes.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-11-02T01:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Demo mode: simulated time runs `factor` times faster than real time from `start`. */
export class AcceleratedClock implements Clock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  constructor(
    private readonly factor: number,
    start?: Date | string,
  ) {
    this.simStart = start ? new Date(start).getTime() : this.realStart;
  }
  now(): Date {
    return new Date(this.simStart + (Date.now() - this.realStart) * this.factor);
  }
}

/**
 * Demo and end-to-end runs only (YIWANG_CLOCK_CONTROL=1, refused with NODE_ENV=production): another clock moved
 * forward on request, so a browser test can walk a tender past its bid deadline and through the opening without
 * waiting twenty real days. It only ever moves forward — deadlines already decided stay decided.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  /** Move forward by `ms`, or to `to` if that is later than now; returns the new now. */
  shift(opts: { ms?: number; to?: Date }): Date {
    const now = this.now().getTime();
    const target = opts.to ? opts.to.getTime() : now + (opts.ms ?? 0);
    if (!Number.isFinite(target) || target < now) throw new RangeError('the clock only moves forward');
    this.offsetMs += target - now;
    return this.now();
  }
}
