import { makeResidentId, makeUscc, type Role } from '@yiwang/contracts';
import type { AppContext } from '../../platform/context';
import { hashPassword } from '../../platform/auth/password';
import { appendLedger } from '../../platform/ledger/append';
import { personIdHash } from './identity.pii';
import { insertAccount, replaceGrants, usernameTaken } from './identity.repo';

/**
 * The demo city's people (厦门市, region 3502): an administrator, trading-center staff, regulators with their
 * industries, the comprehensive manager and an auditor, market entities with valid credit codes, a natural-person
 * auction bidder and a system account. Idempotent: existing usernames are left alone. All share DEMO_PASSWORD.
 */
export const DEMO_PASSWORD = 'Demo-pass-2026';

type Grant = { role: Role; industries?: string[]; regions?: string[] };
interface DemoAccount {
  username: string;
  displayName: string;
  roles: Grant[];
  org?: { kind: 'organisation'; name: string; uscc: string } | { kind: 'person'; name: string; idNumber: string };
}

const XM = ['350200'];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '平台管理员', roles: [{ role: 'admin' }] },
  { username: 'center-intake', displayName: '交易中心·进场登记 陈', roles: [{ role: 'center_intake' }] },
  { username: 'center-witness', displayName: '交易中心·见证 黄', roles: [{ role: 'center_witness' }] },
  { username: 'center-venue', displayName: '交易中心·场地 吴', roles: [{ role: 'center_venue' }] },
  { username: 'center-archive', displayName: '交易中心·档案 郑', roles: [{ role: 'center_archive' }] },
  {
    username: 'reg-construction',
    displayName: '市建设局 监督员',
    roles: [{ role: 'regulator', industries: ['construction'], regions: XM }],
  },
  { username: 'reg-transport', displayName: '市交通局 监督员', roles: [{ role: 'regulator', industries: ['transport'], regions: XM }] },
  { username: 'reg-water', displayName: '市水利局 监督员', roles: [{ role: 'regulator', industries: ['water'], regions: XM }] },
  {
    username: 'reg-finance',
    displayName: '市财政局 政府采购监督',
    roles: [{ role: 'regulator', industries: ['government_procurement'], regions: XM }],
  },
  {
    username: 'reg-land',
    displayName: '市自然资源局 监督员',
    roles: [{ role: 'regulator', industries: ['natural_resources'], regions: XM }],
  },
  { username: 'reg-assets', displayName: '市国资委 监督员', roles: [{ role: 'regulator', industries: ['state_assets'], regions: XM }] },
  { username: 'manager', displayName: '市发展改革委 综合管理', roles: [{ role: 'manager', regions: XM }] },
  { username: 'auditor', displayName: '市审计局 审计员', roles: [{ role: 'auditor', regions: XM }] },
  {
    username: 'tenderer',
    displayName: '市政集团 招标专员',
    roles: [{ role: 'tenderer' }],
    org: { kind: 'organisation', name: '厦门市政建设集团有限公司', uscc: makeUscc('demo-tenderer') },
  },
  {
    username: 'school',
    displayName: '厦门第一中学 采购员',
    roles: [{ role: 'tenderer' }],
    org: { kind: 'organisation', name: '厦门第一中学', uscc: makeUscc('demo-school', { authority: '1', orgType: '2' }) },
  },
  {
    username: 'agency',
    displayName: '诚信招标代理 项目经理',
    roles: [{ role: 'agency' }],
    org: { kind: 'organisation', name: '厦门诚信招标代理有限公司', uscc: makeUscc('demo-agency') },
  },
  {
    username: 'bidder-a',
    displayName: '海湾建工 投标负责人',
    roles: [{ role: 'bidder' }],
    org: { kind: 'organisation', name: '厦门海湾建工有限公司', uscc: makeUscc('demo-bidder-a', { region: '350203' }) },
  },
  {
    username: 'bidder-b',
    displayName: '鹭岛建设 投标负责人',
    roles: [{ role: 'bidder' }],
    org: { kind: 'organisation', name: '福建鹭岛建设工程有限公司', uscc: makeUscc('demo-bidder-b', { region: '350000' }) },
  },
  {
    username: 'bidder-c',
    displayName: '同安路桥 投标负责人',
    roles: [{ role: 'bidder' }, { role: 'auction_bidder' }],
    org: { kind: 'organisation', name: '厦门同安路桥工程有限公司', uscc: makeUscc('demo-bidder-c', { region: '350212' }) },
  },
  {
    username: 'person',
    displayName: '林一鸣',
    roles: [{ role: 'auction_bidder' }],
    org: { kind: 'person', name: '林一鸣', idNumber: makeResidentId('demo-person') },
  },
  { username: 'open-data', displayName: '省公共资源交易数据平台', roles: [{ role: 'system' }] },
];

export async function seedIdentityDemo(ctx: AppContext, accounts: DemoAccount[] = DEMO_ACCOUNTS): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const a of accounts) {
    const now = ctx.clock.now();
    const made = await ctx.db.transaction().execute(async (trx) => {
      if (await usernameTaken(trx, a.username)) return false;
      let orgId: string | null = null;
      if (a.org) {
        const o = await trx
          .insertInto('organisations')
          .values({
            kind: a.org.kind,
            name: a.org.name,
            uscc: a.org.kind === 'organisation' ? a.org.uscc : null,
            person_id_hash: a.org.kind === 'person' ? personIdHash(ctx.config, a.org.idNumber) : null,
            region_code: a.org.kind === 'organisation' ? a.org.uscc.slice(2, 8) : a.org.idNumber.slice(0, 6),
            org_type: a.org.kind === 'person' ? 'person' : 'enterprise',
            contact_name: a.displayName,
            contact_phone: null,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        orgId = o.id;
      }
      const isSystem = a.roles.some((g) => g.role === 'system');
      const acc = await insertAccount(
        trx,
        {
          orgId,
          username: a.username,
          displayName: a.displayName,
          passwordHash: isSystem ? '!token-only' : passwordHash,
          phone: null,
          email: null,
          isOrgAdmin: !!a.org,
        },
        now,
      );
      await replaceGrants(trx, acc.id, a.roles, now);
      await appendLedger(
        trx,
        {
          type: 'identity.demo_seeded',
          subjectType: 'account',
          subjectId: acc.id,
          actorId: null,
          payload: { username: a.username, roles: a.roles.map((g) => g.role) },
        },
        now,
      );
      return true;
    });
    if (made) created++;
  }
  return created;
}
