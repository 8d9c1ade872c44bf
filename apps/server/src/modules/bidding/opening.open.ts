import { lotPriceFen, openSealedBid, type KeyAlgorithm } from '@yiwang/sdk/sealing';
import type { FileStore } from '../../platform/files/store';

/** What the opening reads from a bid's price sheet (开标一览表) — the row for this lot. */
export interface OpenedPrice {
  priceFen: number;
  durationDays: number | null;
  quality: string | null;
  sheet: unknown;
}

/**
 * Open a stored envelope with its content key: authenticates every chunk, checks the bidder's signature again with
 * the key registered at submission and the digest recorded on the receipt, and returns the lot's price-sheet row.
 * The files inside are read and dropped here (they stay sealed in the store; the evaluation opens them later).
 */
export async function openStoredBid(
  files: FileStore,
  bid: { sha256: string; sealed_digest: string; tender_id: string; lot_id: string; key_algorithm: string; public_key: string },
  contentKey: Uint8Array,
): Promise<OpenedPrice> {
  const stream = await files.get(bid.sha256);
  const opened = await openSealedBid(stream as AsyncIterable<Uint8Array>, contentKey, {
    bidderKey: { algorithm: bid.key_algorithm as KeyAlgorithm, publicKey: bid.public_key },
    expect: { tenderId: bid.tender_id, lotIds: [bid.lot_id], digest: bid.sealed_digest },
    onFile: async (_meta, content) => {
      for await (const piece of content) void piece;
    },
  });
  const row = opened.priceSheet.lots.find((l) => l.lotId === bid.lot_id)!;
  const fen = lotPriceFen(row);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('price out of range');
  return { priceFen: Number(fen), durationDays: row.durationDays ?? null, quality: row.quality ?? null, sheet: opened.priceSheet };
}

