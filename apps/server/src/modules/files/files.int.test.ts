import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEngines, login, problem, seedAccount, type Session, type TestApp } from '../../../test/harness';
import { registerFileAccessRule } from '../../platform/files/index';

const LIMIT = 100_000;
const publicIds = new Set<string>();
// What an announcement module would do for its attachments.
registerFileAccessRule(({ file }) => publicIds.has(file.id));

function multipart(filename: string, content: Buffer, field = 'file') {
  const boundary = `----yiwang${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every regular file under the store root (blobs and leftovers). */
function storedFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describeEngines('file store API', (engine) => {
  let t: TestApp;
  let alice: Session; // org A
  let alan: Session; // org A, colleague
  let bob: Session; // org B
  const upload = (s: Session, name: string, content: Buffer, field?: string) => s.request({ method: 'POST', url: '/api/files', ...multipart(name, content, field) });

  beforeAll(async () => {
    t = await createTestApp(engine, { config: { maxUploadBytes: LIMIT } });
    const a = await seedAccount(t.ctx, { username: 'f-alice', roles: [{ role: 'bidder' }], org: { name: '甲公司', uscc: '91350200MA2FILE0A1' } });
    await seedAccount(t.ctx, { username: 'f-alan', roles: [{ role: 'bidder' }], org: a.orgId });
    await seedAccount(t.ctx, { username: 'f-bob', roles: [{ role: 'bidder' }], org: { name: '乙公司', uscc: '91350200MA2FILE0B2' } });
    [alice, alan, bob] = await Promise.all([login(t.app, 'f-alice'), login(t.app, 'f-alan'), login(t.app, 'f-bob')]);
  });
  afterAll(() => t.close());

  it('stores an upload under its SHA-256 and returns the same bytes on download', async () => {
    const content = pdf(60_000);
    const res = await upload(alice, '投标文件（商务部分）.pdf', content);
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; sha256: string; size: number; name: string; mime: string }>();
    expect(body).toMatchObject({ sha256: sha(content), size: content.length, name: '投标文件（商务部分）.pdf', mime: 'application/pdf' });
    const blob = path.join(t.ctx.config.filesDir, body.sha256.slice(0, 2), body.sha256.slice(2, 4), body.sha256);
    expect(fs.readFileSync(blob).equals(content)).toBe(true);

    for (const s of [alice, alan]) {
      const dl = await s.get(`/api/files/${body.id}`);
      expect(dl.statusCode).toBe(200);
      expect(sha(dl.rawPayload)).toBe(body.sha256);
      expect(dl.headers['content-type']).toBe('application/pdf');
      expect(dl.headers['content-disposition']).toBe(
        `attachment; filename="__________.pdf"; filename*=UTF-8''${encodeURIComponent('投标文件（商务部分）.pdf')}`,
      );
      expect(dl.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(body.sha256, 'hex').toString('base64')}:`);
      expect(dl.headers['x-content-type-options']).toBe('nosniff');
    }

    // The same bytes again: a second upload, one blob.
    const again = await upload(alan, 'copy.pdf', content);
    expect(again.statusCode).toBe(201);
    expect(again.json().sha256).toBe(body.sha256);
    expect(again.json().id).not.toBe(body.id);
    expect(storedFiles(t.ctx.config.filesDir).filter((f) => f.endsWith(body.sha256))).toHaveLength(1);
  });

  it('refuses an oversized upload and stores nothing', async () => {
    const before = storedFiles(t.ctx.config.filesDir);
    const rows = await t.ctx.db.selectFrom('file_uploads').select('id').execute();
    const res = await upload(alice, 'big.pdf', pdf(LIMIT + 5_000));
    expect(res.statusCode).toBe(413);
    expect(problem(res)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    // Exactly at the limit +1 byte, too.
    const edge = await upload(alice, 'edge.pdf', pdf(LIMIT + 1));
    expect(problem(edge).code).toBe('PAYLOAD_TOO_LARGE');
    expect(storedFiles(t.ctx.config.filesDir)).toEqual(before);
    expect(await t.ctx.db.selectFrom('file_uploads').select('id').execute()).toHaveLength(rows.length);
    // At the limit is fine.
    expect((await upload(alice, 'exact.pdf', pdf(LIMIT))).statusCode).toBe(201);
  });

  it('reduces a hostile file name to a safe base name and never uses it as a path', async () => {
    for (const [raw, safe] of [
      ['../../etc/passwd.pdf', 'passwd.pdf'],
      ['..\\..\\windows\\x.pdf', 'x.pdf'],
      ['a\u0000b.pdf', 'ab.pdf'],
    ] as const) {
      const res = await upload(alice, raw, pdf(1000));
      expect(res.statusCode).toBe(201);
      expect(res.json().name).toBe(safe);
      const dl = await alice.get(`/api/files/${res.json().id}`);
      expect(dl.headers['content-disposition']).toContain(`filename="${safe}"`);
    }
    expect(fs.existsSync(path.resolve(t.ctx.config.filesDir, '../../etc/passwd.pdf'))).toBe(false);
    expect(fs.existsSync(path.resolve(t.ctx.config.filesDir, '..', 'etc'))).toBe(false);
    // Everything stored is a hash-named blob in its shard.
    for (const f of storedFiles(t.ctx.config.filesDir)) expect(path.relative(t.ctx.config.filesDir, f)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
  });

  it('refuses types outside the allow-list and files whose bytes contradict their name', async () => {
    const before = storedFiles(t.ctx.config.filesDir);
    const exe = await upload(alice, 'setup.exe', Buffer.concat([Buffer.from('MZ'), randomBytes(500)]));
    expect(exe.statusCode).toBe(415);
    expect(problem(exe)).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE', field: 'file' });
    const html = await upload(alice, 'notice.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(problem(html).code).toBe('UNSUPPORTED_FILE_TYPE');
    const svg = await upload(alice, 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    expect(problem(svg).code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(storedFiles(t.ctx.config.filesDir)).toEqual(before);
    // An OFD (a ZIP container) is accepted.
    const ofd = await upload(alice, '营业执照.ofd', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(200)]));
    expect(ofd.statusCode).toBe(201);
    expect(ofd.json().mime).toBe('application/ofd');
  });

  it('keeps a private file from other organisations and from the public, unless a module makes it public', async () => {
    const res = await upload(alice, '报价单.pdf', pdf(2000));
    const id = res.json<{ id: string }>().id;
    const other = await bob.get(`/api/files/${id}`);
    expect(other.statusCode).toBe(404);
    expect(problem(other).code).toBe('NOT_FOUND');
    // Same answer as for an id that does not exist: nothing to learn by probing.
    expect(problem(await bob.get('/api/files/00000000-0000-4000-8000-000000000000')).code).toBe('NOT_FOUND');
    const anon = await t.app.inject(`/api/files/${id}`);
    expect(anon.statusCode).toBe(401);

    publicIds.add(id);
    const pub = await t.app.inject(`/api/files/${id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await bob.get(`/api/files/${id}`)).statusCode).toBe(200);
  });

  it('requires a signed-in uploader and a file part', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/files', ...multipart('a.pdf', pdf(100)) });
    expect(anon.statusCode).toBe(401);
    expect(problem(await upload(alice, 'a.pdf', pdf(100), 'attachment')).code).toBe('FIELD_REQUIRED');
    const json = await alice.post('/api/files', { name: 'a.pdf' });
    expect(problem(json).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
