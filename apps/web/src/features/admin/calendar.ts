// Pure rules for the holiday-calendar year view. The server stores only exceptions to the weekly rule
// (holidays on weekdays, make-up working days on weekends); everything else follows Monday–Friday.

export interface SpecialDay {
  date: string;
  name: string;
  isOffDay: boolean;
}

export type DayKind = 'work' | 'rest' | 'holiday' | 'adjusted';

/** Day of week of a `YYYY-MM-DD` calendar date (0 = Sunday), independent of any time zone. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export function dayKind(date: string, special: SpecialDay | undefined): DayKind {
  if (special) {
    if (special.isOffDay) return isWeekend(date) ? 'rest' : 'holiday';
    return isWeekend(date) ? 'adjusted' : 'work';
  }
  return isWeekend(date) ? 'rest' : 'work';
}

export function isOff(kind: DayKind): boolean {
  return kind === 'rest' || kind === 'holiday';
}

/**
 * What clicking a day does: flip working ↔ rest. When the flip lands back on the weekly rule the exception is
 * removed (`clear`); otherwise an exception is set.
 */
export function toggleAction(date: string, special: SpecialDay | undefined): { action: 'clear' } | { action: 'set'; isOffDay: boolean } {
  const nowOff = isOff(dayKind(date, special));
  const wantOff = !nowOff;
  if (wantOff === isWeekend(date)) return { action: 'clear' };
  return { action: 'set', isOffDay: wantOff };
}

/** The days of a month as `YYYY-MM-DD`, with leading blanks (null) so the first lands on its weekday (Mon first). */
export function monthGrid(year: number, month: number): (string | null)[] {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const lead = (weekday(first) + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  return cells;
}
