import { describe, expect, it } from 'vitest';
import { MENU, mayOpen, menuFor } from './menu';

const keys = (roles: string[]) => menuFor(roles).map((m) => m.key);

describe('workbench menu', () => {
  it('gives a tenderer project registration and notices, not intake or admin', () => {
    expect(keys(['tenderer'])).toEqual(['home', 'projects', 'announcements', 'tenders', 'custody', 'messages', 'settings']);
  });
  it('gives center intake the queue and the review, not registration', () => {
    const k = keys(['center_intake']);
    expect(k).toContain('intake');
    expect(k).toContain('announcement-review');
    expect(k).not.toContain('projects');
    expect(k).not.toContain('catalog');
  });
  it('gives the admin catalog, calendar and accounts only', () => {
    expect(keys(['admin'])).toEqual(['home', 'catalog', 'calendar', 'accounts', 'messages', 'settings']);
  });
  it('unions several roles without duplicates', () => {
    const k = keys(['tenderer', 'agency', 'bidder']);
    expect(new Set(k).size).toBe(k.length);
    expect(k).toContain('bids');
  });
  it('gives tendering to tenderers and agencies, the refunds desk to finance, custody to custodians only', () => {
    expect(keys(['agency'])).toContain('tenders');
    expect(keys(['agency'])).not.toContain('custody');
    expect(keys(['center_finance'])).toEqual(expect.arrayContaining(['refunds', 'custody']));
    expect(keys(['regulator'])).toContain('custody');
    expect(mayOpen(['bidder'], 'tenders')).toBe(false);
    expect(mayOpen(['tenderer'], 'refunds')).toBe(false);
  });
  it('grants nothing for unknown roles and guards routes', () => {
    expect(keys(['root'])).toEqual(['home', 'messages', 'settings']);
    expect(mayOpen(['bidder'], 'intake')).toBe(false);
    expect(mayOpen(['center_intake'], 'intake')).toBe(true);
  });
  it('has unique keys and paths under /workbench', () => {
    expect(new Set(MENU.map((m) => m.key)).size).toBe(MENU.length);
    for (const m of MENU) expect(m.path.startsWith('/workbench')).toBe(true);
  });
});
