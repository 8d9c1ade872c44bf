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

let loadAtStart: number | undefined;
/** run.ts records the 1-minute load average as each suite starts: this machine is shared, so say how busy it was. */
export function markSuiteStart(): void {
  loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
}

export interface Report {
  suite: string;
  machine: MachineInfo;
  /** 1-minute load average when the suite started and when it finished (2 cores: above 2 means queueing). */
  load: { start: number | null; end: number };
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
  const report: Report = { suite: r.suite, machine, load: { start: loadAtStart ?? null, end: machine.loadAverage1m }, date: machine.date, durationS: r.durationS, baseline: r.baseline, results: r.results, targets: r.targets, notes: r.notes };
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
