/**
 * @yiwang/sdk/sealing — the bidder's sealing toolkit (browser and Node; no Node-only imports here — file and stream
 * helpers are in @yiwang/sdk/sealing/node). Format spec: docs/adr/0008-sealed-bids.md.
 *
 * Bidder (web app or CLI):   generateKeyPair → exportKeyFile (download) → signKeyProof (register)
 *                            importKeyFile → sealBid / sealBidToBlob → upload
 * Server, on upload:         SealedBidVerifier (streaming) / verifySealedBid
 * Opening (不见面开标):       bidder: readSealedBidHeader + unwrapContentKey → send encodeContentKey(key)
 *                            server: openSealedBid(envelope, decodeContentKey(text), { bidderKey })
 * Recovery (escrow):         custodians: unwrapEscrowShare → combineEscrowShares (k of n) → openSealedBid
 */
export { SealedBidError, isSealedBidError, type SealedBidErrorCode } from './errors';
export { iterateSource, toHex, fromHex, toBase64, fromBase64, type ByteSource } from './bytes';
export {
  KEY_ALGORITHMS,
  encodePublicKey,
  fingerprintOf,
  generateKeyPair,
  keyPairFromSecret,
  parsePublicKey,
  signKeyProof,
  signMessage,
  verifyMessage,
  type BidKeyPair,
  type KeyAlgorithm,
  type ParsedPublicKey,
  type PublicKeyRef,
} from './keys';
export { DEFAULT_SCRYPT, KEY_FILE_FORMAT, exportKeyFile, importKeyFile, parseKeyFile, type KeyFile, type ScryptParams } from './keyfile';
export { wrapKey, unwrapKey, type WrappedKey, type WrapPurpose, type WrapScheme } from './wrap';
export {
  BID_PACKAGE_FORMAT,
  CUSTODIAN_KINDS,
  DEFAULT_CHUNK_SIZE,
  SEALED_BID_FORMAT,
  checkPriceSheet,
  lotPriceFen,
  signedMessage,
  type BidFileMeta,
  type BidManifest,
  type CustodianRef,
  type CustodianKind,
  type PriceSheet,
  type PriceSheetLot,
  type SealedBidHeader,
  type SealedBidTrailer,
} from './format';
export { contentKeyMatches } from './aead';
export {
  combineEscrowShares,
  decodeContentKey,
  decodeShare,
  encodeContentKey,
  encodeShare,
  splitKey,
  unwrapContentKey,
  unwrapEscrowShare,
  type EscrowShare,
} from './escrow';
export { sealBid, sealBidToBlob, type BidFileInput, type Custodian, type SealBidInput, type SealSummary } from './seal';
export {
  SealedBidVerifier,
  openSealedBid,
  readSealedBidHeader,
  verifySealedBid,
  type Expectations,
  type OpenOptions,
  type OpenedFile,
  type OpenedSealedBid,
  type Sha256Hasher,
  type VerifiedSealedBid,
  type VerifyOptions,
} from './open';
export { uploadOf, type SealedBidSubmitter, type SealedBidUpload } from './submit';
