/**
 * Byte helpers and byte sources shared by the sealing code. Browser-safe: no Node APIs (Buffer, fs, stream).
 * Everything is a plain Uint8Array backed by an ArrayBuffer, which is what WebCrypto accepts in every runtime.
 */
import { SealedBidError } from './errors';

export type Bytes = Uint8Array<ArrayBuffer>;

/** Anything the sealing functions can read bytes from: Node streams and file handles are AsyncIterables. */
export type ByteSource = Uint8Array | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(b: Uint8Array): string {
  return utf8Strict.decode(b);
}

export function encodeUtf8(s: string): Bytes {
  return utf8.encode(s) as Bytes;
}

/** A copy backed by its own ArrayBuffer (WebCrypto and typed-array generics want one). */
export function own(b: Uint8Array): Bytes {
  const out = new Uint8Array(b.byteLength);
  out.set(b);
  return out;
}

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s +=
      B64[(n >> 18) & 63]! +
      B64[(n >> 12) & 63]! +
      (i + 1 < b.length ? B64[(n >> 6) & 63]! : '=') +
      (i + 2 < b.length ? B64[n & 63]! : '=');
  }
  return s;
}

export function fromBase64(s: string): Bytes {
  const clean = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new TypeError('not base64');
  const body = clean.replace(/=+$/, '');
  if (body.length % 4 === 1) throw new TypeError('not base64');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of body) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function u32be(n: number): Bytes {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

/** WebCrypto's SubtleCrypto; browsers expose it only in secure contexts (HTTPS or localhost). */
export function subtle(): typeof globalThis.crypto.subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is unavailable: browsers offer it only on HTTPS pages or localhost');
  return s;
}

export function randomBytes(n: number): Bytes {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as ReadableStream).getReader === 'function';
}

/**
 * Iterate any ByteSource as Uint8Array pieces. ReadableStream goes through getReader() because Safari's streams
 * are not async-iterable; Blobs are read through their stream so a large file is never held whole.
 */
export async function* iterateSource(src: ByteSource): AsyncGenerator<Uint8Array> {
  if (src instanceof Uint8Array) {
    yield src;
    return;
  }
  if (typeof Blob !== 'undefined' && src instanceof Blob) {
    yield* iterateSource(src.stream() as ReadableStream<Uint8Array>);
    return;
  }
  if (isReadableStream(src)) {
    const reader = src.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (Symbol.asyncIterator in (src as object)) {
    for await (const piece of src as AsyncIterable<Uint8Array>) yield piece;
    return;
  }
  for (const piece of src as Iterable<Uint8Array>) yield piece;
}

/**
 * Reads exact byte counts from a source, holding at most one source piece plus the requested amount. The envelope
 * reader asks for the header, then one encrypted chunk at a time, so memory stays bounded by the chunk size.
 */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Uint8Array = new Uint8Array(0);
  private ended = false;
  /** Total bytes handed out so far. */
  consumed = 0;

  constructor(src: ByteSource) {
    this.it = iterateSource(src)[Symbol.asyncIterator]();
  }

  private async fill(min: number): Promise<void> {
    if (this.buf.length >= min || this.ended) return;
    const parts: Uint8Array[] = this.buf.length > 0 ? [this.buf] : [];
    let have = this.buf.length;
    while (have < min) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      if (r.value.length === 0) continue;
      parts.push(r.value);
      have += r.value.length;
    }
    this.buf = parts.length === 0 ? new Uint8Array(0) : parts.length === 1 ? parts[0]! : concat(...parts);
  }

  /** Exactly n bytes, or a TRUNCATED error naming what was being read. */
  async read(n: number, what: string): Promise<Bytes> {
    await this.fill(n);
    if (this.buf.length < n) throw new SealedBidError('TRUNCATED', `the envelope ended inside ${what} (${this.buf.length} of ${n} bytes)`);
    const out = own(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** Up to `max` bytes as soon as any are available; empty at the end of the source. */
  async readSome(max: number): Promise<Bytes> {
    await this.fill(1);
    const n = Math.min(max, this.buf.length);
    const out = own(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.buf.length === 0;
  }

  /** Stop reading the source early (e.g. after an error). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}
