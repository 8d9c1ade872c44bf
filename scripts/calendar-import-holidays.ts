/**
 * Convert official holiday / 调休 lists (holiday-cn JSON format: {year, days:[{name, date, isOffDay}]}) into the
 * product's own compact calendar data file, apps/server/src/platform/calendar/holidays.data.ts.
 *
 *   node --import tsx scripts/calendar-import-holidays.ts <file-or-dir>...
 *
 * Years already in the data file are kept unless an input file covers them (then that year is rebuilt from the
 * input). Each day is filed under its own calendar year: the 2019 list contains 2018-12-29..31, which belong to 2018.
 * Run it once when the State Council publishes next year's arrangement (usually in November), review the diff,
 * commit. Running databases pick the new year up on the next start (ensureCalendarSeeded); an operator can also
 * import it at run time through POST /api/calendar/:year.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOLIDAYS } from '../apps/server/src/platform/calendar/holidays.data';
import { expandHolidayRows, type HolidayRow } from '../apps/server/src/platform/calendar/core';

const OUT = path.resolve(import.meta.dirname, '../apps/server/src/platform/calendar/holidays.data.ts');

interface Day {
  name: string;
  date: string;
  isOffDay: boolean;
}

function readInputs(args: string[]): { years: Set<number>; days: Day[] } {
  const years = new Set<number>();
  const files = args.flatMap((a) => (fs.statSync(a).isDirectory() ? fs.readdirSync(a).filter((f) => /^\d{4}\.json$/.test(f)).map((f) => path.join(a, f)) : [a]));
  const days: Day[] = [];
  for (const f of files) {
    const j = JSON.parse(fs.readFileSync(f, 'utf8')) as { year: number; days: Day[] };
    if (!Number.isInteger(j.year)) throw new Error(`${f}: no year`);
    years.add(j.year);
    for (const d of j.days) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date) || typeof d.isOffDay !== 'boolean' || !d.name) throw new Error(`${f}: bad entry ${JSON.stringify(d)}`);
      days.push({ name: d.name, date: d.date, isOffDay: d.isOffDay });
    }
  }
  return { years, days };
}

function nextDate(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** Consecutive dates collapse to 'MM-DD~MM-DD'; the result is a space-separated list. */
function compact(dates: string[]): string {
  const sorted = [...dates].sort();
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === nextDate(sorted[j]!)) j++;
    parts.push(i === j ? sorted[i]!.slice(5) : `${sorted[i]!.slice(5)}~${sorted[j]!.slice(5)}`);
    i = j + 1;
  }
  return parts.join(' ');
}

function rowsOf(days: Day[]): HolidayRow[] {
  // Group by holiday name in order of first appearance; a name that reappears after another holiday (e.g. 元旦 in
  // January and again at the end of December for the next year) becomes its own row.
  const rows: { name: string; off: string[]; work: string[] }[] = [];
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    let row = rows[rows.length - 1];
    if (!row || row.name !== d.name) {
      const earlier = rows.findLast((r) => r.name === d.name);
      const lastDate = earlier ? [...earlier.off, ...earlier.work].sort().at(-1)! : '';
      // The same holiday's 调休 days may sit weeks before or after its rest days (春节), so reuse a same-named row
      // unless more than 60 days separate them.
      row = earlier && (Date.parse(d.date) - Date.parse(lastDate)) / 86_400_000 <= 60 ? earlier : undefined;
      if (!row) rows.push((row = { name: d.name, off: [], work: [] }));
    }
    (d.isOffDay ? row.off : row.work).push(d.date);
  }
  return rows.map((r) => [r.name, compact(r.off), compact(r.work)] as HolidayRow);
}

const { years: inputYears, days: inputs } = readInputs(process.argv.slice(2));
if (inputs.length === 0) {
  console.error('usage: node --import tsx scripts/calendar-import-holidays.ts <holiday-cn json files or directories>');
  process.exit(2);
}
const byYear = new Map<number, Day[]>();
for (const [y, rows] of Object.entries(HOLIDAYS)) {
  byYear.set(Number(y), expandHolidayRows(Number(y), rows).map((d) => ({ name: d.name, date: d.date, isOffDay: d.isOffDay })));
}
// A year named by an input file is rebuilt from the inputs alone.
for (const y of inputYears) byYear.set(y, []);
const seen = new Map<string, Day>();
for (const d of inputs) {
  const prev = seen.get(d.date);
  if (prev && prev.isOffDay !== d.isOffDay) throw new Error(`conflicting entries for ${d.date}`);
  if (prev) continue;
  seen.set(d.date, d);
  const list = byYear.get(Number(d.date.slice(0, 4)));
  if (!list) {
    // Never create a year from a few spill-over days: that would claim the platform knows a year it does not.
    console.warn(`skipping ${d.date} (${d.name}): year ${d.date.slice(0, 4)} has no data; import that year's list too`);
    continue;
  }
  const i = list.findIndex((x) => x.date === d.date);
  if (i >= 0) list.splice(i, 1);
  list.push(d);
}

const lines = [
  '// Generated by scripts/calendar-import-holidays.ts from the State Council\'s yearly holiday notices',
  '// (国务院办公厅关于部分节假日安排的通知). Edit through that script, or at run time through the calendar admin API.',
  '// Per calendar year: [holiday name, rest days, 调休 working days]; dates are MM-DD, "a~b" is an inclusive range.',
  '// A year listed here is a year the platform has data for; any other year is refused (CALENDAR_YEAR_UNKNOWN).',
  "import type { HolidayRow } from './core';",
  '',
  'export const HOLIDAYS: Readonly<Record<number, readonly HolidayRow[]>> = {',
];
for (const y of [...byYear.keys()].sort()) {
  lines.push(`  ${y}: [`);
  for (const [name, off, work] of rowsOf(byYear.get(y)!)) lines.push(`    [${JSON.stringify(name).replace(/"/g, "'")}, '${off}', '${work}'],`);
  lines.push('  ],');
}
lines.push('};', '');
fs.writeFileSync(OUT, lines.join('\n'));
console.log(`wrote ${OUT}: years ${[...byYear.keys()].sort().join(', ')}`);
