import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { entryHash } from './append';

describe('canonical JSON', () => {
  it('does not depend on key order at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
  });
  it('drops undefined and renders dates as ISO instants', () => {
    expect(canonicalJson({ a: undefined, t: new Date('2026-01-01T00:00:00Z') })).toBe('{"t":"2026-01-01T00:00:00.000Z"}');
  });
  it('changes the entry hash when any field changes', () => {
    const e = { seq: 1, recordedAt: new Date(0), type: 't', subjectType: 's', subjectId: '1', actorId: null, payload: { price: '100.00' } };
    const h = entryHash('0'.repeat(64), e);
    expect(entryHash('0'.repeat(64), { ...e, payload: { price: '100.01' } })).not.toBe(h);
    expect(entryHash('1'.repeat(64), e)).not.toBe(h);
  });
});
