/**
 * Typed failures of the sealing toolkit. `code` is stable (servers map it to their own error codes and tests assert
 * it); `message` is English for logs; `zh` is the text to show a bidder.
 */
export type SealedBidErrorCode =
  /** Not a sealed bid: bad magic, header not JSON or not of the expected shape, bad trailer. */
  | 'FORMAT_INVALID'
  /** A sealed bid of a format version this code does not know. */
  | 'FORMAT_UNSUPPORTED'
  /** The envelope ended early (declared length not reached, trailer missing). */
  | 'TRUNCATED'
  /** Bytes after the end of the envelope. */
  | 'TRAILING_DATA'
  /** The envelope exceeds the caller's size limit. */
  | 'TOO_LARGE'
  /** The header names another tender or other lots than the caller expects. */
  | 'HEADER_MISMATCH'
  /** The envelope was made by another key than the one the caller holds registered for the bidder. */
  | 'KEY_MISMATCH'
  /** The SHA-256 of the envelope differs from the one recorded in its trailer or expected by the caller. */
  | 'DIGEST_MISMATCH'
  /** The bidder's signature over the digest does not verify under the registered key. */
  | 'SIGNATURE_INVALID'
  /** The content key given does not belong to this envelope (key check value differs). */
  | 'WRONG_CONTENT_KEY'
  /** An encrypted chunk failed authentication: altered, reordered, swapped or cut. */
  | 'CHUNK_AUTH_FAILED'
  /** The decrypted bid package is not well formed. */
  | 'PAYLOAD_INVALID'
  /** A wrapped key or share could not be opened with the private key given. */
  | 'UNWRAP_FAILED'
  /** Too few or inconsistent escrow shares to rebuild the content key. */
  | 'ESCROW_INSUFFICIENT'
  /** The price sheet or bid input is not acceptable (float price, unknown lot, size mismatch…). */
  | 'INPUT_INVALID'
  /** A public key is not in the registry's format for its algorithm. */
  | 'PUBLIC_KEY_INVALID'
  /** A key file is malformed. */
  | 'KEY_FILE_INVALID'
  /** The key file password is wrong (or the file was altered). */
  | 'KEY_FILE_PASSWORD';

const ZH: Record<SealedBidErrorCode, string> = {
  FORMAT_INVALID: '不是有效的密封投标文件',
  FORMAT_UNSUPPORTED: '不支持的密封投标文件格式版本',
  TRUNCATED: '密封投标文件不完整（被截断）',
  TRAILING_DATA: '密封投标文件末尾有多余数据',
  TOO_LARGE: '密封投标文件超过大小限制',
  HEADER_MISMATCH: '密封投标文件的项目或标段与本次投标不符',
  KEY_MISMATCH: '密封投标文件不是用已登记的投标签名密钥制作的',
  DIGEST_MISMATCH: '密封投标文件的摘要不符（文件已被改动）',
  SIGNATURE_INVALID: '投标人签名验证失败',
  WRONG_CONTENT_KEY: '解密密钥与该投标文件不符',
  CHUNK_AUTH_FAILED: '密文校验失败（文件已被改动、截断或重排）',
  PAYLOAD_INVALID: '解密后的投标文件内容格式错误',
  UNWRAP_FAILED: '无法用该私钥解开密钥',
  ESCROW_INSUFFICIENT: '托管密钥份额不足或不一致，无法恢复解密密钥',
  INPUT_INVALID: '投标内容不符合要求',
  PUBLIC_KEY_INVALID: '公钥格式无效',
  KEY_FILE_INVALID: '密钥文件格式无效',
  KEY_FILE_PASSWORD: '密钥文件密码错误或文件已被改动',
};

export class SealedBidError extends Error {
  override readonly name = 'SealedBidError';
  readonly zh: string;
  constructor(
    readonly code: SealedBidErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.zh = ZH[code];
  }
}

export function isSealedBidError(e: unknown, code?: SealedBidErrorCode): e is SealedBidError {
  return e instanceof SealedBidError && (code === undefined || e.code === code);
}
