/**
 * The seam for submitting a sealed bid over HTTP. The bid-submission endpoints belong to the tendering module and do
 * not exist yet; when they do, implement `SealedBidSubmitter` with fetch (browser and Node 20 alike) and add a
 * `submit` command to the yiwang-bid CLI. What the server needs is all here, so the endpoint can be built against it:
 * - the envelope bytes, streamed (the server runs SealedBidVerifier over them while storing them);
 * - the digest the bidder computed, so the server can refuse an upload that arrives different (expect.digest) and
 *   name it on the receipt (ARCHITECTURE §5: a signed receipt naming the ledger position).
 */
import type { ByteSource } from './bytes';
import type { SealSummary } from './seal';

export interface SealedBidUpload {
  tenderId: string;
  lotIds: string[];
  /** SHA-256 hex of the envelope (SealSummary.digest). */
  digest: string;
  /** Envelope size in bytes (SealSummary.size), for Content-Length and the server's size limit. */
  size: number;
  envelope: Blob | ByteSource;
}

/** Implemented later against the real endpoint; returns whatever receipt the platform issues. */
export type SealedBidSubmitter<Receipt> = (upload: SealedBidUpload) => Promise<Receipt>;

export function uploadOf(summary: SealSummary, envelope: Blob | ByteSource): SealedBidUpload {
  return { tenderId: summary.header.tenderId, lotIds: summary.header.lotIds, digest: summary.digest, size: summary.size, envelope };
}
