import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import { onCleanup } from './pgdb';
import { stopwatch } from './stats';

/** Ask the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Stop the whole process group we started (the child and anything it spawned), then wait for it to exit. */
  stop(): Promise<number | null>;
}

/**
 * Spawn a command in its own process group so that `npm start` → node start.mjs → node main.ts can be stopped
 * together by the group id of the process we started (never by name).
 */
export function spawnGroup(cmd: string, args: string[], opts: SpawnOptions): Spawned {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped = false;
  const stop = async () => {
    if (!stopped && child.pid && child.exitCode === null && child.signalCode === null) {
      stopped = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000);
      const code = await exited;
      clearTimeout(timer);
      // Wait for grandchildren that may still be shutting down (PGlite flushing its data directory).
      for (let i = 0; i < 100 && groupAlive(child.pid); i++) await sleep(100);
      if (groupAlive(child.pid)) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      return code;
    }
    return exited;
  };
  onCleanup(async () => void (await stop()));
  return { child, output: () => out, stop };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll `url` until it answers 200 (or the process exits / the deadline passes). Returns ms since `since` started.
 * Polls every 20 ms: the resolution of the startup figures.
 */
export async function waitFor200(url: string, since: () => number, child: ChildProcess, timeoutMs: number): Promise<{ ms: number | null; body?: string; error?: string }> {
  while (since() < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) return { ms: null, error: `process exited with ${child.exitCode ?? child.signalCode}` };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        const ms = since();
        return { ms, body: await res.text() };
      }
    } catch {
      /* not listening yet */
    }
    await sleep(20);
  }
  return { ms: null, error: `no 200 within ${timeoutMs} ms` };
}

export { stopwatch };
