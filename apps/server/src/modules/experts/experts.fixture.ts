// Test helpers for the expert registry's integration tests (not imported by the application).
import { randomBytes } from 'node:crypto';
import { makeResidentId, makeUscc } from '@yiwang/contracts';
import { expect } from 'vitest';
import { login, seedAccount, type Session, type TestApp } from '../../../test/harness';

function multipart(filename: string, content: Buffer) {
  const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8');
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(s: Session, name = 'certificate.pdf'): Promise<string> {
  const res = await s.request({ method: 'POST', url: '/api/files', ...multipart(name, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)])) });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export const uscc = (seed: string) => makeUscc(`experts-${seed}`, { region: '350200' });
export const idNumber = (seed: string) => makeResidentId(`experts-${seed}`, '350203');

/** A complete works-expert application; override any field. */
export async function application(s: Session, seed: string, over: Record<string, unknown> = {}) {
  const cert = await upload(s, `${seed}-职称证书.pdf`);
  return {
    name: '邱评审',
    idNumber: idNumber(seed),
    phone: '13805920001',
    titleLevel: 'senior',
    titleName: '高级工程师',
    experienceYears: 15,
    employer: { name: '厦门市建筑设计院有限公司', uscc: uscc(`${seed}-employer`) },
    homeRegion: '350203',
    specialties: ['A0101', 'A0601'],
    regions: ['350200'],
    kinds: ['works'],
    conflicts: [],
    materials: [{ code: 'title_certificate', fileId: cert }],
    ...over,
  };
}

/** An account holding the expert role (as the administrator creates them), signed in. */
export async function expertAccount(t: TestApp, username: string): Promise<{ s: Session; accountId: string }> {
  const { accountId } = await seedAccount(t.ctx, { username, roles: [{ role: 'expert' }], displayName: username });
  return { s: await login(t.app, username), accountId };
}

/** Apply and have `reviewer` approve; returns the expert id. */
export async function admitted(t: TestApp, reviewer: Session, username: string, over: Record<string, unknown> = {}): Promise<{ id: string; s: Session; accountId: string }> {
  const { s, accountId } = await expertAccount(t, username);
  const res = await s.post('/api/experts/me/application', await application(s, username, over));
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const ok = await reviewer.post(`/api/experts/${id}/approve`, {});
  expect(ok.statusCode, ok.body).toBe(200);
  return { id, s, accountId };
}
