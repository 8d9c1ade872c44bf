/**
 * The byte encodings of yiwang-draw/1 (specification in lottery.ts): length-prefixed strings, big-endian integers,
 * domain tags. Split from lottery.ts; not part of the package's public surface.
 */
export const DRAW_ALGORITHM = 'yiwang-draw/1';

const encoder = new TextEncoder();

/** Growable byte buffer for the length-prefixed encodings of lottery.ts (str, list, tag). ASCII identifiers are written without TextEncoder. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;
  private ensure(n: number) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u32(n: number): this {
    this.ensure(4);
    const b = this.buf;
    b[this.len++] = (n >>> 24) & 0xff;
    b[this.len++] = (n >>> 16) & 0xff;
    b[this.len++] = (n >>> 8) & 0xff;
    b[this.len++] = n & 0xff;
    return this;
  }
  bytes(x: Uint8Array): this {
    this.ensure(x.length);
    this.buf.set(x, this.len);
    this.len += x.length;
    return this;
  }
  /** str(s) for text that may be non-ASCII (UTF-8 written in place: TextEncoder.encode per short string was most of
   * the cost of hashing hundreds of exclusions). */
  str(s: string): this {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n && ascii; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
    if (ascii) return this.id(s);
    this.ensure(4 + 3 * n); // UTF-8 needs at most 3 bytes per UTF-16 code unit
    const at = this.len;
    const { written } = encoder.encodeInto(s, this.buf.subarray(at + 4));
    this.len = at;
    this.u32(written);
    this.len += written;
    return this;
  }
  /** Bytes given as lowercase or uppercase hex (a hash, a salt), already checked by the caller's pattern. */
  hex(h: string): this {
    const n = h.length >>> 1;
    this.ensure(n);
    const b = this.buf;
    for (let i = 0; i < n; i++) b[this.len++] = (nibble(h.charCodeAt(2 * i)) << 4) | nibble(h.charCodeAt(2 * i + 1));
    return this;
  }
  /** str(s) for an identifier already checked against ID_PATTERN (ASCII: one byte per character). */
  id(s: string): this {
    this.u32(s.length);
    this.ensure(s.length);
    const b = this.buf;
    for (let i = 0; i < s.length; i++) b[this.len++] = s.charCodeAt(i);
    return this;
  }
  tag(t: string): this {
    return this.str(`${DRAW_ALGORITHM}:${t}`);
  }
  out(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** One hex digit's value (0–9, a–f, A–F). */
const nibble = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);

export function u64(i: number): Uint8Array {
  const b = new Uint8Array(8);
  const hi = Math.floor(i / 2 ** 32);
  const lo = i >>> 0;
  b[0] = hi >>> 24;
  b[1] = (hi >>> 16) & 0xff;
  b[2] = (hi >>> 8) & 0xff;
  b[3] = hi & 0xff;
  b[4] = lo >>> 24;
  b[5] = (lo >>> 16) & 0xff;
  b[6] = (lo >>> 8) & 0xff;
  b[7] = lo & 0xff;
  return b;
}

