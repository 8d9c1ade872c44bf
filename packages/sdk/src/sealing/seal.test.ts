import { describe, expect, it } from 'vitest';
import { concat, encodeUtf8, toHex, u32be } from './bytes';
import { unwrapContentKey, combineEscrowShares, unwrapEscrowShare } from './escrow';
import { SealedBidError } from './errors';
import { chunkCount, lotPriceFen, plainChunkSize, signedMessage, TAG_BYTES, type SealedBidHeader } from './format';
import { generateKeyPair, signMessage, type BidKeyPair } from './keys';
import { openSealedBid, readSealedBidHeader, SealedBidVerifier, verifySealedBid, type Sha256Hasher } from './open';
import { ALGS, baseInput, custodians, sealToBytes, textFile } from './testing';
import { createHash } from 'node:crypto';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof SealedBidError ? e.code : `not a SealedBidError: ${String(e)}`;
  }
  return 'no error';
};

/** Byte ranges of an envelope, computed the way a reader of the spec would. */
function layout(bytes: Uint8Array, header: SealedBidHeader) {
  const h = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4);
  const bodyStart = 8 + h;
  const chunks = Array.from({ length: chunkCount(header) }, (_, i) => {
    const start = bodyStart + i * (header.payload.chunkSize + TAG_BYTES);
    return { start, end: start + plainChunkSize(header, i) + TAG_BYTES };
  });
  return { headerStart: 8, headerEnd: bodyStart, chunks, trailerStart: chunks.at(-1)!.end };
}

const flip = (b: Uint8Array, at: number) => {
  const c = b.slice();
  c[at]! ^= 0x01;
  return c;
};

async function sealed(bidderAlg: (typeof ALGS)[number] = 'sm2') {
  const bidder = generateKeyPair(bidderAlg);
  const cust = custodians();
  const { bytes, summary } = await sealToBytes(baseInput(bidder, cust));
  const key = await unwrapContentKey(summary.header, bidder);
  return { bidder, cust, bytes, summary, key, at: layout(bytes, summary.header) };
}

describe.each(ALGS)('a bid sealed with a %s key', (alg) => {
  it('verifies, unwraps and opens to the same price sheet and files', async () => {
    const { bidder, bytes, summary, key } = await sealed(alg);
    expect(summary.header).toMatchObject({
      format: 'yiwang-sealed-bid/1',
      tenderId: 'T-2026-001',
      lotIds: ['L1', 'L2'],
      bidder: { algorithm: alg, fingerprint: bidder.fingerprint },
      payload: { aead: 'AES-256-GCM', chunkSize: 1024 },
    });
    expect(summary.size).toBe(bytes.length);
    expect(summary.digest).toBe(
      createHash('sha256')
        .update(bytes.subarray(0, layout(bytes, summary.header).trailerStart))
        .digest('hex'),
    );
    // No price, no file content in the clear.
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).not.toContain('1234567.89');
    expect(text).not.toContain('商务标内容');
    expect(text).not.toContain('xxxxxxxx');

    const v = await verifySealedBid(bytes, {
      bidderKey: bidder,
      expect: { tenderId: 'T-2026-001', lotIds: ['L1', 'L2', 'L3'], digest: summary.digest },
    });
    const whole = createHash('sha256').update(bytes).digest('hex');
    expect(v).toMatchObject({ digest: summary.digest, size: bytes.length, envelopeSha256: whole, signatureVerified: true });

    const opened = await openSealedBid(bytes, key, { bidderKey: { algorithm: alg, publicKey: bidder.publicKey } });
    expect(opened.signatureVerified).toBe(true);
    expect(opened.digest).toBe(summary.digest);
    expect(opened.envelopeSha256).toBe(whole);
    expect(opened.priceSheet.lots.map(lotPriceFen)).toEqual([123456789n, 98765432n]);
    expect(opened.priceSheet.lots[0]).toMatchObject({ durationDays: 180, quality: '合格', fields: { 项目经理: '张三' } });
    expect(opened.files.map((f) => [f.name, f.mediaType, f.size, new TextDecoder().decode(f.bytes)])).toEqual([
      ['商务标.txt', 'text/plain', 15, '商务标内容'],
      ['技术标.txt', 'text/plain', 5000, 'x'.repeat(5000)],
    ]);
  });
});

describe('the server-side verifier', () => {
  it('accepts the envelope in pieces of any size, and knows the header before the body', async () => {
    const { bidder, bytes, summary } = await sealed('ed25519');
    for (const step of [1, 7, 1000, 4096]) {
      const v = new SealedBidVerifier({
        bidderKey: async (h) => (h.bidder.fingerprint === bidder.fingerprint ? bidder : generateKeyPair('ed25519')),
      });
      const headerEnd = layout(bytes, summary.header).headerEnd;
      for (let i = 0; i < bytes.length; i += step) {
        await v.update(bytes.subarray(i, i + step));
        if (i + step >= headerEnd) expect(v.header?.tenderId).toBe('T-2026-001');
      }
      expect((await v.finish()).digest).toBe(summary.digest);
    }
  });

  it('hashes once with a caller-supplied SHA-256: the sealed digest and the whole envelope’s hash, in pieces of any size', async () => {
    const { bidder, bytes, summary, at } = await sealed('ed25519');
    const whole = createHash('sha256').update(bytes).digest('hex');
    const node = (h = createHash('sha256')): Sha256Hasher => ({ update: (b) => h.update(b), digest: () => h.digest(), clone: () => node(h.copy()) });
    // Cut right at the end of the ciphertext too, where the signed digest is taken and the trailer begins.
    for (const cuts of [[at.trailerStart], [at.trailerStart - 1, at.trailerStart + 1], [1, 9, 1000]]) {
      let hashed = 0;
      const counting = (): Sha256Hasher => {
        const h = node();
        return { update: (b) => ((hashed += b.length), h.update(b)), digest: () => h.digest(), clone: () => h.clone() };
      };
      const v = new SealedBidVerifier({ bidderKey: bidder, hasher: counting });
      let from = 0;
      for (const c of [...cuts, bytes.length]) {
        await v.update(bytes.subarray(from, c));
        from = c;
      }
      expect(await v.finish()).toMatchObject({ digest: summary.digest, envelopeSha256: whole, size: bytes.length, signatureVerified: true });
      expect(hashed).toBe(bytes.length); // every byte once, none twice
    }
  });

  it('refuses a key other than the registered one, another tender, a lot not open, oversize uploads and a foreign escrow early', async () => {
    const { bytes, at, cust } = await sealed('p256');
    const stranger = generateKeyPair('p256');
    const head = bytes.subarray(0, at.headerEnd); // the errors come before any body byte
    const early = async (opts: ConstructorParameters<typeof SealedBidVerifier>[0]) => code(new SealedBidVerifier(opts).update(head));
    expect(await early({ bidderKey: stranger })).toBe('KEY_MISMATCH');
    expect(await early({ bidderKey: generateKeyPair('sm2') })).toBe('KEY_MISMATCH');
    expect(await early({ bidderKey: null, expect: { tenderId: 'T-other' } })).toBe('HEADER_MISMATCH');
    expect(await early({ bidderKey: null, expect: { lotIds: ['L1'] } })).toBe('HEADER_MISMATCH');
    expect(await early({ bidderKey: null, maxBytes: at.trailerStart })).toBe('TOO_LARGE');
    // The escrow must be the tender's: same k, one share per custodian key.
    const tender = cust.map((c) => ({ kind: c.kind, algorithm: c.algorithm, publicKey: c.publicKey }));
    expect(await early({ bidderKey: null, expect: { escrow: { threshold: 2, custodians: [...tender].reverse() } } })).toBe('no error');
    expect(await early({ bidderKey: null, expect: { escrow: { threshold: 3, custodians: tender } } })).toBe('HEADER_MISMATCH');
    expect(await early({ bidderKey: null, expect: { escrow: { threshold: 2, custodians: tender.slice(0, 2) } } })).toBe('HEADER_MISMATCH');
    const swapped = [tender[0]!, tender[1]!, { ...generateKeyPair('sm2'), kind: 'tenderer' as const }];
    expect(await early({ bidderKey: null, expect: { escrow: { threshold: 2, custodians: swapped } } })).toBe('HEADER_MISMATCH');
    const relabelled = [{ ...tender[0]!, kind: 'regulator' as const }, tender[1]!, tender[2]!];
    expect(await early({ bidderKey: null, expect: { escrow: { threshold: 2, custodians: relabelled } } })).toBe('HEADER_MISMATCH');
    expect(await code(verifySealedBid(bytes, { bidderKey: null, maxBytes: bytes.length - 1 }))).toBe('TOO_LARGE');
  });

  it('refuses a signature by another key over the same digest', async () => {
    const { bidder, bytes, summary, at, key } = await sealed('sm2');
    const impostor: BidKeyPair = generateKeyPair('sm2');
    const forgedTrailer = encodeUtf8(
      JSON.stringify({ digest: summary.digest, signature: signMessage(impostor, signedMessage(summary.digest)) }),
    );
    const forged = concat(bytes.subarray(0, at.trailerStart), encodeUtf8('YWSG'), u32be(forgedTrailer.length), forgedTrailer);
    expect(await code(verifySealedBid(forged, { bidderKey: bidder }))).toBe('SIGNATURE_INVALID');
    expect(await code(openSealedBid(forged, key, { bidderKey: bidder }))).toBe('SIGNATURE_INVALID');
    // …and naming the impostor's key does not help: the header names the bidder's key.
    expect(await code(verifySealedBid(forged, { bidderKey: impostor }))).toBe('KEY_MISMATCH');
  });

  it('refuses an envelope that does not hash to the digest the bidder announced', async () => {
    const { bidder, bytes } = await sealed('sm2');
    expect(await code(verifySealedBid(bytes, { bidderKey: bidder, expect: { digest: '00'.repeat(32) } }))).toBe('DIGEST_MISMATCH');
  });
});

describe('tampering', () => {
  it('one byte of any chunk: the digest no longer matches; opening fails on that chunk', async () => {
    const { bidder, bytes, key, at } = await sealed('sm2');
    expect(at.chunks.length).toBeGreaterThan(4);
    for (const [i, c] of at.chunks.entries()) {
      for (const pos of [c.start, c.end - 1]) {
        const bad = flip(bytes, pos);
        expect(await code(verifySealedBid(bad, { bidderKey: bidder }))).toBe('DIGEST_MISMATCH');
        const e = await openSealedBid(bad, key).catch((x: unknown) => x as SealedBidError);
        expect(e).toBeInstanceOf(SealedBidError);
        expect((e as SealedBidError).code).toBe('CHUNK_AUTH_FAILED');
        expect((e as SealedBidError).message).toContain(`chunk ${i} `);
      }
    }
  });

  it('one byte of the header: refused by the verifier; every chunk is bound to the header', async () => {
    const { bidder, bytes, key, at, summary } = await sealed('ed25519');
    const json = Buffer.from(bytes.subarray(at.headerStart, at.headerEnd)).toString('utf8');
    // Change the tender id (the JSON stays valid) and the creation time.
    for (const needle of ['T-2026-001', summary.header.createdAt]) {
      const bad = flip(bytes, at.headerStart + Buffer.byteLength(json.slice(0, json.indexOf(needle))) + needle.length - 1);
      expect(await code(verifySealedBid(bad, { bidderKey: bidder }))).toBe('DIGEST_MISMATCH');
      expect(await code(openSealedBid(bad, key))).toBe('CHUNK_AUTH_FAILED');
    }
    // Breaking the JSON or the magic: not a sealed bid.
    expect(await code(verifySealedBid(flip(bytes, at.headerStart), { bidderKey: bidder }))).toBe('FORMAT_INVALID');
    expect(await code(verifySealedBid(flip(bytes, 0), { bidderKey: bidder }))).toBe('FORMAT_INVALID');
    expect(await code(openSealedBid(flip(bytes, 1), key))).toBe('FORMAT_INVALID');
  });

  it('a trailer digest edited to match the altered body: the signature no longer verifies', async () => {
    const { bidder, bytes, at } = await sealed('p256');
    const body = flip(bytes, at.chunks[1]!.start + 3).subarray(0, at.trailerStart);
    const digest = createHash('sha256').update(body).digest('hex');
    const old = JSON.parse(Buffer.from(bytes.subarray(at.trailerStart + 8)).toString('utf8')) as { signature: string };
    const t = encodeUtf8(JSON.stringify({ digest, signature: old.signature }));
    const bad = concat(body, encodeUtf8('YWSG'), u32be(t.length), t);
    expect(await code(verifySealedBid(bad, { bidderKey: bidder }))).toBe('SIGNATURE_INVALID');
  });

  it('truncation anywhere is detected, on upload and at opening', async () => {
    const { bidder, bytes, key, at } = await sealed('sm2');
    for (const cut of [4, at.headerEnd - 1, at.headerEnd, at.chunks[2]!.end, at.chunks.at(-1)!.start, at.trailerStart, bytes.length - 1]) {
      const short = bytes.subarray(0, cut);
      expect(await code(verifySealedBid(short, { bidderKey: bidder }))).toBe('TRUNCATED');
      expect(await code(openSealedBid(short, key))).toBe('TRUNCATED');
    }
    // Dropping whole chunks but keeping the trailer: the reader runs into the trailer where a chunk should be.
    const dropped = concat(bytes.subarray(0, at.chunks.at(-2)!.start), bytes.subarray(at.chunks.at(-1)!.start));
    expect(await code(verifySealedBid(dropped, { bidderKey: bidder }))).toBe('TRUNCATED');
    expect(await code(openSealedBid(dropped, key))).toBe('TRUNCATED');
    expect(await code(verifySealedBid(concat(bytes, new Uint8Array([0])), { bidderKey: bidder }))).toBe('TRAILING_DATA');
    expect(await code(openSealedBid(concat(bytes, new Uint8Array([0])), key))).toBe('TRAILING_DATA');
  });

  it('reordered chunks and chunks swapped in from another bid fail authentication', async () => {
    const a = await sealed('sm2');
    const [c1, c2] = [a.at.chunks[1]!, a.at.chunks[2]!];
    const swapped = concat(
      a.bytes.subarray(0, c1.start),
      a.bytes.subarray(c2.start, c2.end),
      a.bytes.subarray(c1.start, c1.end),
      a.bytes.subarray(c2.end),
    );
    expect(await code(openSealedBid(swapped, a.key))).toBe('CHUNK_AUTH_FAILED');
    expect(await code(verifySealedBid(swapped, { bidderKey: a.bidder }))).toBe('DIGEST_MISMATCH');
    // Same bidder, same tender, same sizes: chunk 1 of bid B spliced into bid A.
    const b = await sealToBytes(baseInput(a.bidder, a.cust));
    const bAt = layout(b.bytes, b.summary.header);
    const spliced = concat(
      a.bytes.subarray(0, c1.start),
      b.bytes.subarray(bAt.chunks[1]!.start, bAt.chunks[1]!.end),
      a.bytes.subarray(c1.end),
    );
    expect(await code(openSealedBid(spliced, a.key))).toBe('CHUNK_AUTH_FAILED');
  });

  it('a wrong content key is told apart from tampering, before any decryption', async () => {
    const { bytes, key } = await sealed('ed25519');
    const other = await sealed('ed25519');
    expect(await code(openSealedBid(bytes, other.key))).toBe('WRONG_CONTENT_KEY');
    expect(await code(openSealedBid(bytes, key.subarray(0, 16)))).toBe('WRONG_CONTENT_KEY');
    expect(toHex(key)).toHaveLength(64);
  });
});

describe('escrow recovery opens the bid', () => {
  it('k custodian shares give the key that opens it', async () => {
    const { bytes, summary, cust } = await sealed('p256');
    const header = await readSealedBidHeader(bytes);
    const key = await combineEscrowShares(header, [await unwrapEscrowShare(header, cust[2]!), await unwrapEscrowShare(header, cust[0]!)]);
    expect((await openSealedBid(bytes, key)).digest).toBe(summary.digest);
  });
});

describe('sealing input', () => {
  it('refuses float prices, unknown or missing lots, unsafe file names and wrong sizes', async () => {
    const bidder = generateKeyPair('sm2');
    const cust = custodians();
    const lots = (l: object[]) => ({ currency: 'CNY' as const, lots: l as never });
    const cases: Array<Parameters<typeof baseInput>[2]> = [
      {
        priceSheet: lots([
          { lotId: 'L1', priceFen: 1.5 },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      {
        priceSheet: lots([
          { lotId: 'L1', priceYuan: 1234.5 },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      {
        priceSheet: lots([
          { lotId: 'L1', priceYuan: '1234.567' },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      {
        priceSheet: lots([
          { lotId: 'L1', priceYuan: '1', priceFen: 100 },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      { priceSheet: lots([{ lotId: 'L1', priceFen: 1 }]) },
      {
        priceSheet: lots([
          { lotId: 'L1', priceFen: 1 },
          { lotId: 'L2', priceFen: 1 },
          { lotId: 'L9', priceFen: 1 },
        ]),
      },
      {
        priceSheet: lots([
          { lotId: 'L1', priceFen: 1, price: 3 },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      {
        priceSheet: lots([
          { lotId: 'L1', priceFen: 1, durationDays: 1.5 },
          { lotId: 'L2', priceFen: 1 },
        ]),
      },
      { files: [textFile('../etc/passwd', 'x')] },
      { files: [textFile('a.txt', 'x'), textFile('a.txt', 'y')] },
      { files: [{ ...textFile('a.txt', 'abc'), size: 2 }] },
      { files: [{ ...textFile('a.txt', 'abc'), size: 4 }] },
      { chunkSize: 100 },
    ];
    for (const over of cases) expect(await code(sealToBytes(baseInput(bidder, cust, over))), JSON.stringify(over)).toBe('INPUT_INVALID');
  });

  it('seals a bid with no attached files, and an empty file', async () => {
    const bidder = generateKeyPair('ed25519');
    const { bytes, summary } = await sealToBytes(baseInput(bidder, custodians(), { files: [textFile('empty.txt', '')] }));
    const opened = await openSealedBid(bytes, await unwrapContentKey(summary.header, bidder));
    expect(opened.files).toEqual([{ name: 'empty.txt', mediaType: 'text/plain', size: 0, bytes: new Uint8Array(0) }]);
    const none = await sealToBytes(baseInput(bidder, custodians(), { files: [] }));
    expect((await openSealedBid(none.bytes, await unwrapContentKey(none.summary.header, bidder))).files).toEqual([]);
  });
});
