import { describe, expect, it } from 'vitest';
import { mayOpen, menuFor } from '../../workbench/menu';
import { en, zh } from '../../lib/i18n/dict';
import { EXPERT_EN, EXPERT_ZH } from './i18n';
import { RETURN_FIELDS } from './api';

const keys = (roles: string[]) => menuFor(roles).map((m) => m.key);

describe('expert registry in the workbench', () => {
  it('the expert sees its own record; supervisors the review; market and center roles neither', () => {
    expect(keys(['expert'])).toContain('expert');
    expect(keys(['expert'])).not.toContain('expert-review');
    for (const r of ['regulator', 'manager', 'auditor']) expect(keys([r])).toContain('expert-review');
    for (const r of ['tenderer', 'bidder', 'center_intake', 'admin']) {
      expect(mayOpen([r], 'expert')).toBe(false);
      expect(mayOpen([r], 'expert-review')).toBe(false);
    }
  });
  it('has every string in both languages, merged into the dictionary, and a label for every return field', () => {
    expect(Object.keys(EXPERT_EN).sort()).toEqual(Object.keys(EXPERT_ZH).sort());
    for (const k of Object.keys(EXPERT_ZH)) {
      expect(zh[k as keyof typeof zh], k).toBe(EXPERT_ZH[k as keyof typeof EXPERT_ZH]);
      expect(en[k as keyof typeof en], k).toBe(EXPERT_EN[k as keyof typeof EXPERT_EN]);
    }
    for (const f of RETURN_FIELDS) expect(Object.keys(EXPERT_ZH)).toContain(`ex.field.${f}`);
  });
});
