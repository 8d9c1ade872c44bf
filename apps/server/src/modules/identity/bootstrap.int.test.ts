import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, type TestApp } from '../../../test/harness';
import { createFirstAdmin } from './commands/bootstrap';

describeEngines('first administrator of a new installation', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('creates an administrator who can sign in and grant roles, once only', async () => {
    await expect(createFirstAdmin(t.ctx, { username: 'root', password: 'short', displayName: '管理员' })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    await createFirstAdmin(t.ctx, { username: 'root', password: 'Strong-pass-2026', displayName: '管理员' });
    const s = await login(t.app, 'root', 'Strong-pass-2026');
    const created = await s.post('/api/admin/accounts', { username: 'intake9', displayName: '受理员', password: 'Strong-pass-2026', roles: [{ role: 'center_intake' }] });
    expect(created.statusCode).toBe(201);
    await expect(createFirstAdmin(t.ctx, { username: 'root2', password: 'Strong-pass-2026', displayName: 'x' })).rejects.toMatchObject({ code: 'ADMIN_EXISTS' });
    const entries = await t.ctx.db.selectFrom('ledger_entries').select('type').where('type', '=', 'account.bootstrap_admin').execute();
    expect(entries).toHaveLength(1);
  });
});
