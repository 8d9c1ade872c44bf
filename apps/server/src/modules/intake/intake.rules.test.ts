import { describe, expect, it } from 'vitest';
import { isOverdue, lotsProblem, newItemsBeyondFirstList, nextStatus } from './intake.rules';

describe('intake rules', () => {
  it('follows the status machine', () => {
    expect(nextStatus('draft', 'submit')).toBe('submitted');
    expect(nextStatus('returned', 'submit')).toBe('submitted');
    expect(nextStatus('submitted', 'return')).toBe('returned');
    expect(nextStatus('submitted', 'accept_green')).toBe('accepted_green');
    expect(nextStatus('draft', 'accept')).toBeUndefined();
    expect(nextStatus('accepted', 'submit')).toBeUndefined();
    expect(nextStatus('returned', 'return')).toBeUndefined();
  });

  it('requires lots that add up to the estimate', () => {
    expect(lotsProblem(100, [])?.[0]).toBe('lots');
    expect(lotsProblem(100, [{ name: 'A', estimateFen: 60 }, { name: 'B', estimateFen: 30 }])?.[0]).toBe('lots');
    expect(lotsProblem(100, [{ name: 'A', estimateFen: 60 }, { name: 'A ', estimateFen: 40 }])?.[0]).toBe('lots.1.name');
    expect(lotsProblem(100, [{ name: 'A', estimateFen: 60 }, { name: 'B', estimateFen: 40 }])).toBeUndefined();
  });

  it('lets a later return repeat only items of the first list (一次告知)', () => {
    const first = [{ code: 'funding_proof', note: '缺' }, { code: 'lots', note: '金额不符' }];
    expect(newItemsBeyondFirstList(undefined, first)).toEqual([]);
    expect(newItemsBeyondFirstList(first, [{ code: 'lots', note: '仍不符' }])).toEqual([]);
    expect(newItemsBeyondFirstList(first, [{ code: 'lots', note: '' }, { code: 'tender_plan', note: '新' }])).toEqual(['tender_plan']);
  });

  it('flags overdue only while waiting for the window', () => {
    const due = new Date('2026-11-03T16:00:00Z');
    expect(isOverdue({ status: 'submitted', dueAt: due }, new Date('2026-11-03T16:00:01Z'))).toBe(true);
    expect(isOverdue({ status: 'submitted', dueAt: due }, new Date('2026-11-03T15:59:59Z'))).toBe(false);
    expect(isOverdue({ status: 'accepted', dueAt: due }, new Date('2026-11-09T00:00:00Z'))).toBe(false);
  });
});
