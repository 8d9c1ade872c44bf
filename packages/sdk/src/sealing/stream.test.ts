import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { unwrapContentKey } from './escrow';
import { generateKeyPair } from './keys';
import { openSealedBid, verifySealedBid } from './open';
import { baseInput, custodians } from './testing';
import { sealBidToFile } from './node';

// A real collector lets us measure live memory rather than garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const live = () => {
  gc();
  gc(); // the second collection finishes the first one's background sweep of ArrayBuffers
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const SIZE = 20 * 1024 * 1024;
const PIECE = 64 * 1024;

/** 20 MB of deterministic bytes, produced piece by piece (never held whole), hashed as they go out. */
function bigFile(hash: ReturnType<typeof createHash>) {
  return (async function* () {
    for (let off = 0; off < SIZE; off += PIECE) {
      const piece = new Uint8Array(PIECE);
      for (let i = 0; i < PIECE; i += 4) new DataView(piece.buffer).setUint32(i, (off + i) * 2654435761, false);
      hash.update(piece);
      yield piece;
    }
  })();
}

describe('a 20 MB bid', () => {
  it('seals to a file, verifies and opens as streams with bounded memory', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'yiwang-seal-'));
    try {
      const bidder = generateKeyPair('sm2');
      const out = path.join(dir, 'big.sealed');
      const inHash = createHash('sha256');
      let peak = 0;
      let seen = 0;
      const sample = (n: number) => {
        seen += n;
        if (seen >= 2 * 1024 * 1024) {
          seen = 0;
          peak = Math.max(peak, live() - base);
        }
      };
      const base = live();
      const source = bigFile(inHash);
      const summary = await sealBidToFile(
        baseInput(bidder, custodians(), {
          chunkSize: 1024 * 1024,
          files: [
            {
              name: 'tech.bin',
              mediaType: 'application/octet-stream',
              size: SIZE,
              content: (async function* () {
                for await (const p of source) {
                  sample(p.length);
                  yield p;
                }
              })(),
            },
          ],
        }),
        out,
      );
      const sealPeak = peak;
      expect((await stat(out)).size).toBe(summary.size);
      expect(summary.size).toBeGreaterThan(SIZE);

      peak = 0;
      const v = await verifySealedBid(
        (async function* () {
          for await (const p of createReadStream(out)) {
            sample((p as Buffer).length);
            yield p as Buffer;
          }
        })(),
        { bidderKey: bidder },
      );
      expect(v.digest).toBe(summary.digest);
      const verifyPeak = peak;

      peak = 0;
      const outHash = createHash('sha256');
      let got = 0;
      const opened = await openSealedBid(createReadStream(out), await unwrapContentKey(summary.header, bidder), {
        bidderKey: bidder,
        onFile: async (meta, content) => {
          expect(meta).toEqual({ name: 'tech.bin', mediaType: 'application/octet-stream', size: SIZE });
          for await (const p of content) {
            outHash.update(p);
            got += p.length;
            sample(p.length);
          }
        },
      });
      const openPeak = peak;
      expect(got).toBe(SIZE);
      expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
      expect(opened.files).toEqual([{ name: 'tech.bin', mediaType: 'application/octet-stream', size: SIZE }]);
      expect(opened.signatureVerified).toBe(true);

      // Live memory stays at a few chunks (1 MiB each), far below the 20 MB that passed through.
      const MB = 1024 * 1024;
      console.info(
        `live memory growth: seal ${(sealPeak / MB).toFixed(1)} MB, verify ${(verifyPeak / MB).toFixed(1)} MB, open ${(openPeak / MB).toFixed(1)} MB`,
      );
      for (const p of [sealPeak, verifyPeak, openPeak]) expect(p).toBeLessThan(8 * MB);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
