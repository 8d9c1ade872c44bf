// Render bench/results/*.json as the figures table of docs/benchmarks.md.
//   node --import tsx bench/table.ts           print it
//   node --import tsx bench/table.ts --write   replace the block between the figures markers in docs/benchmarks.md
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, type Report } from './lib/report';

const DOC = path.resolve(import.meta.dirname, '../docs/benchmarks.md');
const ORDER = ['startup', 'ledger', 'search', 'list-api', 'opendata'];

function verdict(p: boolean | null): string {
  return p === true ? 'pass' : p === false ? '**fail**' : 'not measured';
}

function fmt(x: unknown, unit?: string): string {
  if (x === null || x === undefined) return '—';
  if (typeof x === 'number') return `${x.toLocaleString('en')}${unit ? ` ${unit}` : ''}`;
  return String(x);
}

export function table(): string {
  const files = fs.existsSync(RESULTS_DIR) ? fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.tmp.json')) : [];
  const reports = files.map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as Report).sort((a, b) => ORDER.indexOf(a.suite) - ORDER.indexOf(b.suite));
  const lines = ['| suite | target | threshold | measured | verdict | run (UTC) | load start→end, CPU calibration |', '|---|---|---|---|---|---|---|'];
  for (const r of reports) {
    const load = r.load ? `${r.load.start ?? '?'}→${r.load.end}, ${r.load.cpuCalibrationMs?.start ?? '?'}→${r.load.cpuCalibrationMs?.end ?? '?'} ms${r.load.overloaded ? ' (overloaded)' : ''}` : '—';
    for (const t of r.targets) lines.push(`| ${r.suite} | ${t.name}${t.note ? ` — ${t.note}` : ''} | ${t.target} | ${fmt(t.measured, t.unit)} | ${verdict(t.pass)} | ${r.date.slice(0, 16).replace('T', ' ')} | ${load} |`);
  }
  const m = reports[0]?.machine;
  if (m) lines.push('', `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.postgres?.split(' on ')[0]}, ${m.pglite}, commit ${m.gitCommit}.`);
  return lines.join('\n');
}

if (process.argv.includes('--write')) {
  const doc = fs.readFileSync(DOC, 'utf8');
  const start = '<!-- figures:start -->';
  const end = '<!-- figures:end -->';
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`markers ${start} … ${end} not found in ${DOC}`);
  fs.writeFileSync(DOC, `${doc.slice(0, a + start.length)}\n${table()}\n${doc.slice(b)}`);
  console.log(`updated ${DOC}`);
} else {
  console.log(table());
}
