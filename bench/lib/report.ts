import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineInfo, type MachineInfo } from './machine';

export const RESULTS_DIR = path.resolve(import.meta.dirname, '../results');

export interface Target {
  name: string;
  /** Human-readable threshold, e.g. "< 3000 ms". */
  target: string;
  /** The measured figure the verdict is based on; null when it could not be measured (see note). */
  measured: number | string | null;
  unit?: string;
  /** null = not measured this run (a module has not landed, or the run failed): neither pass nor fail. */
  pass: boolean | null;
  note?: string;
}

/**
 * A fixed amount of CPU work (SHA-256 over 32 MiB in 64 KiB chunks), timed. On an idle core it takes a few tens of
 * milliseconds; when other processes compete for the two cores it takes proportionally longer. Measured as each
 * suite starts and ends, it says how much CPU this run actually got, which the load average only hints at.
 */
export function cpuCalibrationMs(): number {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const t0 = process.hrtime.bigint();
  const h = createHash('sha256');
  for (let i = 0; i < 512; i++) h.update(chunk);
  h.digest();
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
}

let loadAtStart: number | undefined;
let calibrationAtStart: number | undefined;
/** run.ts calls this as each suite starts: this machine is shared, so every report says how busy it was. */
export function markSuiteStart(): void {
  loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  calibrationAtStart = cpuCalibrationMs();
}

/** Wait (bounded) for the 1-minute load average to fall below the core count before a suite starts. */
export async function waitForQuiet(maxSeconds: number, say: (m: string) => void): Promise<void> {
  const cores = os.cpus().length;
  if (maxSeconds <= 0 || os.loadavg()[0]! < cores) return;
  say(`load average ${os.loadavg()[0]!.toFixed(2)} on ${cores} cores: waiting up to ${maxSeconds} s for it to fall below ${cores}`);
  const until = Date.now() + maxSeconds * 1000;
  while (Date.now() < until && os.loadavg()[0]! >= cores) await new Promise((r) => setTimeout(r, 5000));
}

export interface Report {
  suite: string;
  machine: MachineInfo;
  /**
   * How contended the machine was: 1-minute load average at the suite's start and end (above the core count means
   * processes queue for CPU), the CPU calibration time at start and end (see cpuCalibrationMs), and a verdict.
   */
  load: { start: number | null; end: number; cpuCalibrationMs: { start: number | null; end: number }; overloaded: boolean };
  date: string;
  durationS: number;
  baseline: Record<string, unknown>;
  results: Record<string, unknown>;
  targets: Target[];
  notes: string[];
}

/** Write bench/results/<suite>.json (overwritten each run; the committed copy is the latest figures). */
export async function writeReport(r: Omit<Report, 'machine' | 'date' | 'load'>): Promise<string> {
  const machine = await machineInfo();
  const calibrationEnd = cpuCalibrationMs();
  const overloaded = Math.max(loadAtStart ?? 0, machine.loadAverage1m) > machine.cores;
  const notes = overloaded
    ? [...r.notes, `The machine was overloaded during this suite (load average ${loadAtStart ?? '?'} → ${machine.loadAverage1m} on ${machine.cores} cores; CPU calibration ${calibrationAtStart ?? '?'} → ${calibrationEnd} ms): compare against the same-run baseline, and re-run on a quiet machine before trusting absolute pass/fail.`]
    : r.notes;
  const report: Report = { suite: r.suite, machine, load: { start: loadAtStart ?? null, end: machine.loadAverage1m, cpuCalibrationMs: { start: calibrationAtStart ?? null, end: calibrationEnd }, overloaded }, date: machine.date, durationS: r.durationS, baseline: r.baseline, results: r.results, targets: r.targets, notes };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${r.suite}.json`);
  const tmp = `${file.replace(/\.json$/, '')}.tmp.json`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(tmp, file);
  return file;
}

/** Helper for "lower is better" / "higher is better" targets. */
export function below(name: string, measured: number | null, limit: number, unit: string, note?: string): Target {
  return { name, target: `< ${limit} ${unit}`, measured, unit, pass: measured === null || !Number.isFinite(measured) ? null : measured < limit, ...(note ? { note } : {}) };
}
export function atLeast(name: string, measured: number | null, limit: number, unit: string, note?: string): Target {
  return { name, target: `>= ${limit} ${unit}`, measured, unit, pass: measured === null || !Number.isFinite(measured) ? null : measured >= limit, ...(note ? { note } : {}) };
}

export function log(suite: string, msg: string): void {
  console.log(`[bench:${suite}] ${msg}`);
}
