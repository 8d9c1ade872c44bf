import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3CompatibleStore, signV4 } from './s3';

describe('signV4', () => {
  it('reproduces the signature of the GET Object example in the AWS SigV4 documentation', () => {
    const auth = signV4(
      {
        method: 'GET',
        path: '/test.txt',
        headers: {
          Host: 'examplebucket.s3.amazonaws.com',
          Range: 'bytes=0-9',
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        },
        payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      'us-east-1',
    );
    expect(auth).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

/**
 * A minimal S3-compatible server: path-style PUT/GET/HEAD/DELETE on one bucket, checking the SigV4 signature with the
 * shared secret and, like S3, that the body matches x-amz-content-sha256.
 */
function fakeS3(bucket: string, creds: { accessKeyId: string; secretAccessKey: string }, region: string) {
  const objects = new Map<string, Buffer>();
  const log: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? '/';
    log.push(`${req.method} ${url}`);
    const signed = /SignedHeaders=([^,]+)/.exec(req.headers.authorization ?? '')?.[1]?.split(';') ?? [];
    const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h] ?? '')]));
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    const expected = signV4({ method: req.method!, path: url, headers, payloadHash }, creds, region);
    const xml = (status: number, code: string) => res.writeHead(status, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`);
    if (!signed.includes('host') || req.headers.authorization !== expected) return xml(403, 'SignatureDoesNotMatch');
    const prefix = `/${bucket}/`;
    if (!url.startsWith(prefix)) return xml(404, 'NoSuchBucket');
    const key = decodeURIComponent(url.slice(prefix.length));
    switch (req.method) {
      case 'PUT':
        if (createHash('sha256').update(body).digest('hex') !== payloadHash) return xml(400, 'XAmzContentSHA256Mismatch');
        objects.set(key, body);
        return res.writeHead(200).end();
      case 'GET':
      case 'HEAD': {
        const o = objects.get(key);
        if (!o) return req.method === 'HEAD' ? res.writeHead(404).end() : xml(404, 'NoSuchKey');
        return res.writeHead(200, { 'content-length': o.length }).end(req.method === 'GET' ? o : undefined);
      }
      case 'DELETE':
        objects.delete(key);
        return res.writeHead(204).end();
    }
    return xml(405, 'MethodNotAllowed');
  });
  return { server, objects, log };
}

describe('S3CompatibleStore against an in-process S3-compatible server', () => {
  const creds = { accessKeyId: 'YIWANGTEST', secretAccessKey: 'test-secret-0123456789' };
  const s3 = fakeS3('yiwang-files', creds, 'cn-east-1');
  let endpoint: string;
  let tmpDir: string;
  beforeAll(async () => {
    await new Promise<void>((r) => s3.server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-s3-'));
  });
  afterAll(async () => {
    await new Promise((r) => s3.server.close(r));
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });
  const store = () => new S3CompatibleStore({ endpoint, bucket: 'yiwang-files', region: 'cn-east-1', ...creds, prefix: 'blobs/', tmpDir });

  it('puts, finds and gets a blob under its hash, once', async () => {
    const content = randomBytes(700_000);
    const sha = createHash('sha256').update(content).digest('hex');
    const st = store();
    expect(await st.exists(sha)).toBe(false);
    expect(await st.put(Readable.from([content]))).toEqual({ sha256: sha, size: content.length });
    expect(s3.objects.get(`blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`)?.equals(content)).toBe(true);
    expect(await st.exists(sha)).toBe(true);
    const parts: Buffer[] = [];
    for await (const c of await st.get(sha)) parts.push(c as Buffer);
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    const puts = s3.log.filter((l) => l.startsWith('PUT')).length;
    await st.put(Readable.from([content]));
    expect(s3.log.filter((l) => l.startsWith('PUT')).length).toBe(puts); // already there: no second PUT
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it('reports a missing blob, refuses oversized input without sending it, and surfaces auth failures', async () => {
    const st = store();
    await expect(st.get('b'.repeat(64))).rejects.toMatchObject({ code: 'FILE_BLOB_MISSING' });
    const before = s3.objects.size;
    await expect(st.put(Readable.from([randomBytes(2000)]), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(s3.objects.size).toBe(before);
    const wrong = new S3CompatibleStore({ endpoint, bucket: 'yiwang-files', region: 'cn-east-1', accessKeyId: creds.accessKeyId, secretAccessKey: 'wrong', tmpDir });
    await expect(wrong.put(Readable.from([Buffer.from('%PDF-x')]))).rejects.toMatchObject({ code: 'FILE_STORE_ERROR' });
    await expect(wrong.get('c'.repeat(64))).rejects.toMatchObject({ code: 'FILE_STORE_ERROR', details: { code: 'SignatureDoesNotMatch' } });
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it('removes a blob', async () => {
    const st = store();
    const { sha256 } = await st.put(Readable.from([Buffer.from('%PDF-remove-me')]));
    await st.remove(sha256);
    expect(await st.exists(sha256)).toBe(false);
  });
});

describe('createFileStore', () => {
  it('uses the local directory unless an S3 endpoint is configured, and insists on complete S3 settings', async () => {
    const { createFileStore } = await import('./index');
    const { loadConfig } = await import('../config');
    const config = loadConfig({ filesDir: '/tmp/yiwang-cfs' });
    expect(createFileStore(config, {}).kind).toBe('local');
    expect(createFileStore(config, { YIWANG_S3_ENDPOINT: 'http://127.0.0.1:9000', YIWANG_S3_BUCKET: 'b', YIWANG_S3_ACCESS_KEY_ID: 'k', YIWANG_S3_SECRET_ACCESS_KEY: 's' }).kind).toBe('s3');
    expect(() => createFileStore(config, { YIWANG_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/YIWANG_S3_BUCKET/);
  });
});
