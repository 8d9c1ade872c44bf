/** Test fixture (integration tests only): an accepted works project, its parties, bidders, staff and supervisors. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { login, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { ensureCatalogSeeded } from '../catalog/index';

export const WAN = 1_000_000; // 1 万元 in 分
export const bj = (s: string) => new Date(`${s}+08:00`).toISOString();

function multipart(filename: string, content: Buffer) {
  const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
    'utf8',
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(s: Session, name = 'doc.pdf'): Promise<string> {
  const res = await s.request({
    method: 'POST',
    url: '/api/files',
    ...multipart(name, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)])),
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export interface World {
  ids: Record<string, { accountId: string; orgId: string | null }>;
  as: (username: string) => Promise<Session>;
}

/** Accounts; usernames are prefixed so several suites can share nothing but the code. */
export async function seedWorld(t: TestApp, p: string): Promise<World> {
  await ensureCatalogSeeded(t.ctx.db, t.clock.now());
  const ids: World['ids'] = {};
  const uscc = (n: number) => `91350200MA${p.toUpperCase().padEnd(4, 'X').slice(0, 4)}${String(n).padStart(4, '0')}`;
  const add = async (
    u: string,
    roles: Parameters<typeof seedAccount>[1]['roles'],
    org?: { name: string; uscc: string } | string | null,
  ) => {
    ids[u] = await seedAccount(t.ctx, { username: `${p}-${u}`, roles, org: org ?? null });
  };
  await add('tenderer', [{ role: 'tenderer' }], { name: `${p} 厦门市某中学`, uscc: uscc(1) });
  await add('tenderer2', [{ role: 'tenderer' }], ids.tenderer!.orgId);
  await add('agency', [{ role: 'agency' }], { name: `${p} 某招标代理公司`, uscc: uscc(2) });
  await add('other', [{ role: 'tenderer' }], { name: `${p} 另一招标人`, uscc: uscc(3) });
  for (const b of ['b1', 'b2', 'b3', 'b4'])
    await add(b, [{ role: 'bidder' }], { name: `${p} 投标人${b}`, uscc: uscc(10 + Number(b.slice(1))) });
  await add('staff', [{ role: 'center_intake' }]);
  await add('witness', [{ role: 'center_witness' }]);
  await add('reg', [{ role: 'regulator', industries: ['construction'], regions: ['350200'] }]);
  await add('regx', [{ role: 'regulator', industries: ['transport'], regions: ['350200'] }]);
  await add('regp', [{ role: 'regulator', industries: ['government_procurement'], regions: ['350200'] }]);
  await add('admin', [{ role: 'admin' }]);
  return { ids, as: (u: string) => login(t.app, `${p}-${u}`) };
}

/** Register, submit and accept a works project (two lots: 300 万 and 200 万) through the intake API. */
export async function acceptedProject(w: World, opts: { viaAgency?: boolean; accept?: boolean; gp?: boolean } = {}): Promise<string> {
  const reg = await w.as(opts.viaAgency ? 'agency' : 'tenderer');
  const codes = opts.gp ? ['procurement_plan', 'procurement_requirements'] : ['project_approval', 'funding_proof', 'tender_plan'];
  const materials = await Promise.all(
    [...codes, ...(opts.viaAgency ? ['agency_contract'] : [])].map(async (code) => ({
      code,
      fileId: await upload(reg),
    })),
  );
  const res = await reg.post('/api/projects', {
    name: '厦门市某中学教学楼新建工程',
    catalogCode: opts.gp ? 'gp.goods' : 'works.housing',
    procedureType: opts.gp ? 'gp_open_tender' : 'works_open_tender',
    subject: opts.gp ? null : 'works',
    regionCode: '350203',
    estimateFen: 500 * WAN,
    lots: [
      { name: '施工一标段', estimateFen: 300 * WAN },
      { name: '施工二标段', estimateFen: 200 * WAN },
    ],
    materials,
    ...(opts.viaAgency ? { tendererOrgId: w.ids.tenderer!.orgId } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await reg.post(`/api/projects/${id}/submit`)).statusCode).toBe(200);
  if (opts.accept !== false) expect((await (await w.as('staff')).post(`/api/projects/${id}/accept`)).statusCode).toBe(200);
  return id;
}

export function tenderBody(w: World, projectId: string, documentIds: string[], over: Record<string, unknown> = {}) {
  return {
    projectId,
    lots: [
      { lotNo: 1, depositFen: 6 * WAN, bidDeadline: bj('2026-09-24T09:30:00') },
      { lotNo: 2, depositFen: 4 * WAN, bidDeadline: bj('2026-09-24T09:30:00') },
    ],
    documentIds,
    escrow: { k: 2, custodianAccountIds: [w.ids.staff!.accountId, w.ids.reg!.accountId, w.ids.tenderer!.accountId] },
    ...over,
  };
}
