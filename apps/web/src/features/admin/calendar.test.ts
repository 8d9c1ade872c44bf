import { describe, expect, it } from 'vitest';
import { dayKind, monthGrid, toggleAction, weekday } from './calendar';

describe('holiday calendar view', () => {
  it('knows weekdays without time zones', () => {
    expect(weekday('2026-10-01')).toBe(4); // Thursday
    expect(weekday('2026-02-14')).toBe(6); // Saturday
  });
  it('classifies days from the weekly rule and the exceptions', () => {
    expect(dayKind('2026-10-01', { date: '2026-10-01', name: '国庆节', isOffDay: true })).toBe('holiday');
    expect(dayKind('2026-09-27', { date: '2026-09-27', name: '国庆节调休', isOffDay: false })).toBe('adjusted');
    expect(dayKind('2026-10-10', undefined)).toBe('rest');
    expect(dayKind('2026-10-12', undefined)).toBe('work');
  });
  it('toggles to an exception, or clears the exception when back on the weekly rule', () => {
    expect(toggleAction('2026-10-12', undefined)).toEqual({ action: 'set', isOffDay: true });
    expect(toggleAction('2026-10-10', undefined)).toEqual({ action: 'set', isOffDay: false });
    expect(toggleAction('2026-10-01', { date: '2026-10-01', name: '国庆节', isOffDay: true })).toEqual({ action: 'clear' });
    expect(toggleAction('2026-09-27', { date: '2026-09-27', name: '调休', isOffDay: false })).toEqual({ action: 'clear' });
  });
  it('lays out a month Monday-first', () => {
    const g = monthGrid(2026, 2); // 1 Feb 2026 is a Sunday
    expect(g.slice(0, 7)).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(g.filter(Boolean)).toHaveLength(28);
  });
});
