import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { LocalDirectoryStore } from './local';

/** A stream of `total` bytes produced in 64 KiB chunks, so nothing holds the whole file. */
function generated(total: number, seed = 1): { stream: Readable; sha256: Promise<string> } {
  const h = createHash('sha256');
  let sent = 0;
  let resolve!: (s: string) => void;
  const sha256 = new Promise<string>((r) => (resolve = r));
  const stream = new Readable({
    read() {
      if (sent >= total) {
        resolve(h.digest('hex'));
        return this.push(null);
      }
      const n = Math.min(65_536, total - sent);
      const chunk = Buffer.alloc(n, (sent / 65_536 + seed) % 251);
      h.update(chunk);
      sent += n;
      this.push(chunk);
    },
  });
  return { stream, sha256 };
}

async function read(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('LocalDirectoryStore', () => {
  let root: string;
  let store: LocalDirectoryStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-store-'));
    store = new LocalDirectoryStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('streams a large file in, hashing on the way, into a sharded path', async () => {
    const g = generated(12 * 1024 * 1024 + 17);
    const r = await store.put(g.stream);
    expect(r).toEqual({ sha256: await g.sha256, size: 12 * 1024 * 1024 + 17 });
    expect(fs.statSync(path.join(root, r.sha256.slice(0, 2), r.sha256.slice(2, 4), r.sha256)).size).toBe(r.size);
    expect(await store.exists(r.sha256)).toBe(true);
    const back = await read(await store.get(r.sha256));
    expect(createHash('sha256').update(back).digest('hex')).toBe(r.sha256);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('stores identical content once, even when written concurrently', async () => {
    const content = randomBytes(300_000);
    const results = await Promise.all([1, 2, 3].map(() => store.put(Readable.from([content]))));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect(fs.readdirSync(path.join(root, results[0]!.sha256.slice(0, 2), results[0]!.sha256.slice(2, 4)))).toHaveLength(1);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('leaves nothing behind when the size limit is exceeded or the content is refused', async () => {
    const big = generated(1_000_000);
    await expect(store.put(big.stream, { maxBytes: 999_999 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    await expect(
      store.put(Readable.from([Buffer.from('MZ...')]), {
        accept: () => {
          throw new AppError('UNSUPPORTED_FILE_TYPE', 415, '不支持', 'unsupported');
        },
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    const all = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(all).toEqual([]);
  });

  it('stores exactly the bytes of an async source whose pieces straddle its write buffer', async () => {
    const content = randomBytes(700_001);
    const sizes = [1, 4095, 4097, 65_536, 131_071, 131_073, 262_145, 100_000]; // across the 4 KiB head and the 128 KiB buffer
    async function* pieces() {
      let at = 0;
      for (let i = 0; at < content.length; i++) {
        const n = Math.min(sizes[i % sizes.length]!, content.length - at);
        yield new Uint8Array(content.subarray(at, at + n)); // fresh copies, as a socket would hand them over
        at += n;
      }
    }
    let head: Buffer | undefined;
    const r = await store.put(pieces(), { accept: (info) => void (head = info.head) });
    expect(r).toEqual({ sha256: createHash('sha256').update(content).digest('hex'), size: content.length });
    expect((await read(await store.get(r.sha256))).equals(content)).toBe(true);
    expect(head!.equals(content.subarray(0, 4096))).toBe(true);
  });

  it('hashes once with the caller’s running hash, and refuses one that did not cover the bytes stored', async () => {
    const content = randomBytes(300_000);
    const h = createHash('sha256');
    async function* hashed() {
      for (let at = 0; at < content.length; at += 65_536) {
        const piece = content.subarray(at, at + 65_536);
        h.update(piece);
        yield piece;
      }
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const r = await store.put(hashed(), { contentHash: () => ({ sha256: h.digest('hex'), size: content.length }) });
    expect(r).toEqual({ sha256, size: content.length });
    expect((await read(await store.get(sha256))).equals(content)).toBe(true);

    await store.remove(sha256);
    await expect(store.put(Readable.from([content]), { contentHash: () => ({ sha256, size: content.length - 1 }) })).rejects.toThrow(/covers 299999 bytes, 300000 were stored/);
    await expect(store.put(Readable.from([content]), { contentHash: () => { throw new AppError('REFUSED', 400, '拒绝', 'refused'); } })).rejects.toMatchObject({ code: 'REFUSED' });
    expect(await store.exists(sha256)).toBe(false);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('reports a lost blob and rejects malformed hashes', async () => {
    await expect(store.get('a'.repeat(64))).rejects.toMatchObject({ code: 'FILE_BLOB_MISSING' });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'FILE_HASH_INVALID' });
    expect(() => store.pathOf('A'.repeat(64))).toThrow(AppError);
  });
});
