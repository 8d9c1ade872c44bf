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
import { Readable } from 'node:stream';
import { AppError, Errors } from '../http/errors';

export interface PutResult {
  sha256: string;
  size: number;
}

export interface PutOptions {
  /** Refuse (PAYLOAD_TOO_LARGE, field 'file') as soon as the stream exceeds this many bytes. */
  maxBytes?: number;
  /**
   * Hash once: the caller already keeps a SHA-256 over exactly the bytes it streams into `body`, in order (the
   * sealed-bid verifier does, for the digest the bidder signed, which covers a prefix of the same bytes). Called
   * once the body has ended, before `accept`; the store then does not hash the bytes a second time. Throw to refuse the
   * file. A result whose `size` differs from the bytes stored is refused (500): the hash cannot be of those bytes.
   */
  contentHash?: () => PutResult | Promise<PutResult>;
  /**
   * Called once every byte has been received and hashed, before the blob becomes visible. Throw to refuse the file:
   * nothing is stored. `head` is the first bytes (up to 4 KiB) for type sniffing.
   */
  accept?: (info: { sha256: string; size: number; head: Buffer }) => void | Promise<void>;
}

/** A body to store: a Readable, or any async source of byte chunks (Buffers are stored without copying). */
export type PutBody = Readable | AsyncIterable<Uint8Array>;

export interface FileStore {
  /** 'local' | 's3' — for health output and the operator. */
  readonly kind: string;
  /** Stream `body` into the store, hashing as it goes (never holding the whole file in memory). */
  put(body: PutBody, opts?: PutOptions): Promise<PutResult>;
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
 * Bytes written per write. Incoming pieces (64 KiB socket reads, each a fresh Buffer from node's HTTP parser) are
 * copied into one buffer per upload and dropped at once, so most die young and a scavenge frees them. Holding them
 * until a write completes (a pipeline into fs.WriteStream, or gathering them for one writev) lets V8 promote them,
 * and V8 counts external memory allocated since the last full collection against the old-generation limit: with
 * hundreds of MB/s flowing that meant a full collection every few hundred ms (perf, 40 concurrent 20 MB uploads:
 * 32–43 % of the server's CPU in the collector with the pipeline or writev; 2–32 % with the copy, depending on how
 * long writes stall). The copy itself costs far less. One write (a round trip to libuv's thread pool) per 128 KiB;
 * an upload holds this one buffer, so 200 at once hold 25 MB (256 KiB took the server to 373–386 MB RSS in the
 * 200 × 20 MB benchmark, close to its 400 MB limit, for no measurable gain).
 */
const WRITE_BUFFER = 128 * 1024;

/**
 * Stream `body` into a new temporary file under `tmpDir`, computing SHA-256 (unless the caller keeps its own, see
 * PutOptions.contentHash), size and the head bytes on the way, fsync it, run `accept`. Returns the temp path (the
 * caller moves or uploads it, then deletes it); on any failure the temp file is removed and the error rethrown.
 * Back-pressure: the body is not read while a write is in progress.
 */
export async function spoolToTemp(body: PutBody, tmpDir: string, opts: PutOptions = {}): Promise<PutResult & { tmpPath: string }> {
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
  const hash = opts.contentHash ? undefined : createHash('sha256');
  let size = 0;
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  let headLen = 0;
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(tmpPath, 'wx', 0o640);
    let buf: Buffer | undefined;
    let filled = 0;
    for await (const piece of body as AsyncIterable<Uint8Array | string>) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece; // a Readable of strings (object mode)
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) throw Errors.tooLarge(opts.maxBytes);
      hash?.update(chunk);
      if (headLen < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLen);
        head.set(part, headLen);
        headLen += part.length;
      }
      for (let off = 0; off < chunk.length; ) {
        buf ??= Buffer.allocUnsafeSlow(WRITE_BUFFER);
        const n = Math.min(chunk.length - off, WRITE_BUFFER - filled);
        buf.set(off === 0 && n === chunk.length ? chunk : chunk.subarray(off, off + n), filled);
        off += n;
        filled += n;
        if (filled === WRITE_BUFFER) {
          await writeFully(fh, buf, filled);
          filled = 0;
        }
      }
    }
    if (filled) await writeFully(fh, buf!, filled);
    // fsync before close: the bytes are on disk before any row can point at them.
    await fh.sync();
    await fh.close();
    fh = undefined;
    const result = opts.contentHash ? await opts.contentHash() : { sha256: hash!.digest('hex'), size };
    if (result.size !== size || !SHA256_RE.test(result.sha256))
      throw new Error(`file store: the caller's content hash covers ${result.size} bytes, ${size} were stored`);
    await opts.accept?.({ ...result, head: head.subarray(0, headLen) });
    return { sha256: result.sha256, size, tmpPath };
  } catch (e) {
    if (body instanceof Readable) body.destroy();
    await fh?.close().catch(() => {});
    await fs.promises.rm(tmpPath, { force: true });
    throw e;
  }
}

async function writeFully(fh: fs.promises.FileHandle, buf: Buffer, bytes: number): Promise<void> {
  for (let done = 0; done < bytes; ) {
    const { bytesWritten } = await fh.write(buf, done, bytes - done);
    if (bytesWritten === 0) throw new Error(`file store: the file system accepted ${done} of ${bytes} bytes`);
    done += bytesWritten;
  }
}
