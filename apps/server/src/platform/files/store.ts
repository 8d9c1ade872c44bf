/**
 * Content-addressed file store: a blob's name is the SHA-256 of its bytes, so a stored file can never be changed
 * behind a reference, identical uploads are stored once, and anyone holding the bytes can check them against the
 * hash recorded in the ledger. Implementations: LocalDirectoryStore (default) and S3CompatibleStore.
 *
 * Blobs are only added; removal goes through `removeUnreferenced` (service.ts), which refuses a blob any upload
 * row still points at.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, Errors } from '../http/errors';

export interface PutResult {
  sha256: string;
  size: number;
}

export interface PutOptions {
  /** Refuse (PAYLOAD_TOO_LARGE, field 'file') as soon as the stream exceeds this many bytes. */
  maxBytes?: number;
  /**
   * Called once every byte has been received and hashed, before the blob becomes visible. Throw to refuse the file:
   * nothing is stored. `head` is the first bytes (up to 4 KiB) for type sniffing.
   */
  accept?: (info: { sha256: string; size: number; head: Buffer }) => void | Promise<void>;
}

export interface FileStore {
  /** 'local' | 's3' — for health output and the operator. */
  readonly kind: string;
  /** Stream `body` into the store, hashing as it goes (never holding the whole file in memory). */
  put(body: Readable, opts?: PutOptions): Promise<PutResult>;
  /** The blob's bytes; FILE_BLOB_MISSING (500) if the store lost a blob the database knows. */
  get(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Low-level removal; callers go through removeUnreferenced, which checks references first. */
  remove(sha256: string): Promise<void>;
}

export const SHA256_RE = /^[0-9a-f]{64}$/;
export const HEAD_BYTES = 4096;

export function assertSha256(sha256: string): void {
  if (!SHA256_RE.test(sha256)) throw new AppError('FILE_HASH_INVALID', 400, '文件哈希格式错误', 'Malformed file hash', 'sha256');
}

export function blobMissing(sha256: string): AppError {
  return new AppError('FILE_BLOB_MISSING', 500, '文件存储中缺少该文件，请联系运维人员', 'The file store has lost this file; contact the operator', undefined, { sha256 });
}

/**
 * Stream `body` into a new temporary file under `tmpDir`, computing SHA-256, size and the head bytes on the way,
 * fsync it, run `accept`. Returns the temp path (the caller moves or uploads it, then deletes it); on any failure the
 * temp file is removed and the error rethrown.
 */
export async function spoolToTemp(body: Readable, tmpDir: string, opts: PutOptions = {}): Promise<PutResult & { tmpPath: string }> {
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const headChunks: Buffer[] = [];
  let headLen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) return cb(Errors.tooLarge(opts.maxBytes));
      hash.update(chunk);
      if (headLen < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLen));
        headLen += Math.min(chunk.length, HEAD_BYTES - headLen);
      }
      cb(null, chunk);
    },
  });
  try {
    // flush: fsync before close — the bytes are on disk before any row can point at them.
    await pipeline(body, meter, fs.createWriteStream(tmpPath, { flags: 'wx', mode: 0o640, flush: true }));
    const result = { sha256: hash.digest('hex'), size };
    await opts.accept?.({ ...result, head: Buffer.concat(headChunks) });
    return { ...result, tmpPath };
  } catch (e) {
    body.destroy();
    await fs.promises.rm(tmpPath, { force: true });
    throw e;
  }
}
