/**
 * FileStore over any S3-compatible object store (AWS S3, MinIO, Ceph RGW, Aliyun OSS / Tencent COS / Huawei OBS in
 * S3 mode), for several API nodes sharing one store. Path-style URLs (`endpoint/bucket/key`), AWS Signature V4
 * computed with node:crypto — no SDK, four operations (PUT, GET, HEAD, DELETE) is all a content-addressed store
 * needs.
 *
 * A blob's key is its SHA-256, which is known only after the last byte, so an upload is first spooled to a local
 * temp file (hashed while streaming, never held in memory), then PUT with its length and with
 * x-amz-content-sha256 set to that same hash: the object store itself rejects the upload if a byte changed on the way.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { AppError } from '../http/errors';
import { assertSha256, blobMissing, spoolToTemp, type FileStore, type PutBody, type PutOptions, type PutResult } from './store';

export interface S3Options {
  /** e.g. https://s3.cn-north-1.amazonaws.com.cn or http://127.0.0.1:9000 (MinIO). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix inside the bucket, e.g. 'yiwang/'. */
  prefix?: string;
  /** Local directory for spooling uploads before they are sent. */
  tmpDir: string;
  /** Injected clock for signing (tests). */
  now?: () => Date;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding as SigV4 wants it (S3: slashes in the path stay). */
function uriEncode(s: string, keepSlash: boolean): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, keepSlash ? '/' : '%2F');
}

export interface SignInput {
  method: string;
  /** Path as sent, already URI-encoded. */
  path: string;
  /** Headers to sign (must include host, x-amz-date, x-amz-content-sha256). */
  headers: Record<string, string>;
  payloadHash: string;
}

/** AWS Signature Version 4 `Authorization` header value for a request without a query string. */
export function signV4(req: SignInput, creds: { accessKeyId: string; secretAccessKey: string }, region: string, service = 's3'): string {
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate) throw new Error('x-amz-date header required');
  const day = amzDate.slice(0, 8);
  const names = Object.keys(req.headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [req.method, req.path, '', canonicalHeaders, signedHeaders, req.payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

function amzDateOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export class S3CompatibleStore implements FileStore {
  readonly kind = 's3';
  private readonly base: URL;
  constructor(private readonly opts: S3Options) {
    this.base = new URL(opts.endpoint);
  }

  keyOf(sha256: string): string {
    assertSha256(sha256);
    return `${this.opts.prefix ?? ''}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  private request(method: string, key: string, extra: { payloadHash?: string; length?: number; body?: Readable } = {}): Promise<http.IncomingMessage> {
    const basePath = this.base.pathname.replace(/\/$/, '');
    const path = `${basePath}/${uriEncode(this.opts.bucket, false)}/${uriEncode(key, true)}`;
    const payloadHash = extra.payloadHash ?? EMPTY_SHA256;
    const headers: Record<string, string> = {
      host: this.base.host,
      'x-amz-date': amzDateOf((this.opts.now ?? (() => new Date()))()),
      'x-amz-content-sha256': payloadHash,
    };
    const authorization = signV4({ method, path, headers, payloadHash }, this.opts, this.opts.region);
    const send = { ...headers, authorization, ...(extra.length !== undefined ? { 'content-length': String(extra.length) } : {}) };
    const lib = this.base.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request({ method, hostname: this.base.hostname, port: this.base.port || undefined, path, headers: send }, resolve);
      req.on('error', reject);
      if (extra.body) extra.body.on('error', (e) => req.destroy(e)).pipe(req);
      else req.end();
    });
  }

  private async fail(res: http.IncomingMessage, what: string): Promise<never> {
    let text = '';
    for await (const c of res) if (text.length < 2000) text += String(c);
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.statusCode}`;
    throw new AppError('FILE_STORE_ERROR', 502, `对象存储返回错误（${what}：${code}）`, `The object store refused ${what}: ${code}`, undefined, { status: res.statusCode, code });
  }

  async put(body: PutBody, opts?: PutOptions): Promise<PutResult> {
    const { tmpPath, sha256, size } = await spoolToTemp(body, this.opts.tmpDir, opts);
    try {
      if (await this.exists(sha256)) return { sha256, size };
      const res = await this.request('PUT', this.keyOf(sha256), { payloadHash: sha256, length: size, body: fs.createReadStream(tmpPath) });
      if (res.statusCode !== 200) return await this.fail(res, 'PUT');
      res.resume();
      return { sha256, size };
    } finally {
      await fs.promises.rm(tmpPath, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable> {
    const res = await this.request('GET', this.keyOf(sha256));
    if (res.statusCode === 200) return res;
    if (res.statusCode === 404) {
      res.resume();
      throw blobMissing(sha256);
    }
    return this.fail(res, 'GET');
  }

  async exists(sha256: string): Promise<boolean> {
    const res = await this.request('HEAD', this.keyOf(sha256));
    res.resume();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw new AppError('FILE_STORE_ERROR', 502, `对象存储返回错误（HEAD：HTTP ${res.statusCode}）`, `The object store refused HEAD: HTTP ${res.statusCode}`, undefined, { status: res.statusCode });
  }

  async remove(sha256: string): Promise<void> {
    const res = await this.request('DELETE', this.keyOf(sha256));
    if (res.statusCode !== 204 && res.statusCode !== 200) return this.fail(res, 'DELETE');
    res.resume();
  }
}
