import { describe, expect, it } from 'vitest';
import type { Role } from '@yiwang/contracts';
import { AppError } from '../http/errors';
import { assertJurisdiction, assertOperator, assertRoleSeparation, canSupervise, regionPrefix, roleSeparationConflict } from './policies';

const grant = (role: Role, industries: string[] = [], regions: string[] = []) => ({ roles: [{ role, industries, regions }] });
const xmConstruction = { industry: 'construction', region: '350203' };

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'OTHER';
  }
  return undefined;
}

describe('canSupervise', () => {
  it('regulator needs both the industry and a covering region', () => {
    expect(canSupervise(grant('regulator', ['construction'], ['3502']), xmConstruction)).toBe(true);
    expect(canSupervise(grant('regulator', ['construction'], ['350200']), xmConstruction)).toBe(true);
    expect(canSupervise(grant('regulator', ['construction'], ['350000']), xmConstruction)).toBe(true);
    expect(canSupervise(grant('regulator', ['water'], ['3502']), xmConstruction)).toBe(false);
    expect(canSupervise(grant('regulator', ['construction'], ['3501']), xmConstruction)).toBe(false);
    expect(canSupervise(grant('regulator', ['construction'], ['350206']), xmConstruction)).toBe(false);
    expect(canSupervise(grant('regulator', ['construction'], []), xmConstruction)).toBe(false);
    expect(canSupervise(grant('regulator', ['*'], ['35']), xmConstruction)).toBe(true);
  });

  it('manager and auditor supervise by region across industries', () => {
    expect(canSupervise(grant('manager', [], ['3502']), xmConstruction)).toBe(true);
    expect(canSupervise(grant('auditor', [], ['35']), { industry: 'land', region: '350203' })).toBe(true);
    expect(canSupervise(grant('manager', [], ['44']), xmConstruction)).toBe(false);
  });

  it('center staff, market roles and nobody never supervise', () => {
    expect(canSupervise(grant('center_witness', ['construction'], ['35']), xmConstruction)).toBe(false);
    expect(canSupervise(grant('tenderer', ['construction'], ['35']), xmConstruction)).toBe(false);
    expect(canSupervise(null, xmConstruction)).toBe(false);
  });

  it('assertJurisdiction throws OUT_OF_JURISDICTION', () => {
    expect(codeOf(() => assertJurisdiction(grant('regulator', ['construction'], ['3501']), xmConstruction))).toBe('OUT_OF_JURISDICTION');
    expect(codeOf(() => assertJurisdiction(grant('regulator', ['construction'], ['3502']), xmConstruction))).toBeUndefined();
  });

  it('regionPrefix drops trailing 00 pairs only', () => {
    expect(regionPrefix('350000')).toBe('35');
    expect(regionPrefix('350200')).toBe('3502');
    expect(regionPrefix('350203')).toBe('350203');
    expect(regionPrefix('100000')).toBe('10');
  });
});

describe('assertOperator', () => {
  it('refuses supervisors and lets operators through', () => {
    for (const r of ['regulator', 'manager', 'auditor'] as Role[])
      expect(codeOf(() => assertOperator(grant(r, ['*'], ['35'])))).toBe('SUPERVISOR_CANNOT_OPERATE');
    for (const r of ['center_intake', 'tenderer', 'admin'] as Role[]) expect(codeOf(() => assertOperator(grant(r)))).toBeUndefined();
  });
});

describe('role separation (管办分离)', () => {
  it.each([
    [['center_witness', 'regulator']],
    [['center_archive', 'auditor']],
    [['tenderer', 'center_intake']],
    [['bidder', 'manager']],
    [['system', 'tenderer']],
  ] as Role[][][])('refuses %j', (roles) => {
    expect(roleSeparationConflict(roles)).toBeDefined();
    expect(codeOf(() => assertRoleSeparation(roles))).toBe('ROLE_SEPARATION');
  });

  it.each([
    [['center_intake', 'center_witness']],
    [['regulator', 'auditor']],
    [['tenderer', 'bidder', 'agency']],
    [['admin']],
    [['system']],
    [['expert', 'bidder']],
  ] as Role[][][])('allows %j', (roles) => expect(roleSeparationConflict(roles)).toBeUndefined());
});
