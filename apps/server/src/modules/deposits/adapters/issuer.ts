import { createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import { Type } from 'typebox';
import Value from 'typebox/value';
import { AppError } from '../../../platform/http/errors';
import type { GuaranteeDocument } from '../deposits.rules';

/**
 * Electronic-guarantee issuer adapter (电子保函). The platform asks the issuer over HTTP; the issuer answers with the
 * guarantee as it knows it, signed with its Ed25519 key registered on the platform. Wire format (version 1):
 *
 *   POST {apiBaseUrl}/v1/guarantees/verify
 *   Content-Type: application/json
 *   {"guaranteeNo": "BH2026…", "nonce": "<32 hex, fresh per query>"}
 *
 *   200 / 404, Content-Type: application/json, X-Issuer-Signature: base64(Ed25519(raw response body bytes))
 *   200: {"nonce": "<echo>", "signedAt": "<ISO>", "guarantee": {guaranteeNo, issuerCode, status: valid|revoked|claimed,
 *         applicant: {name, uscc}, beneficiary: {name, uscc}, tenderId, lotId, amountFen (integer 分),
 *         validFrom, validUntil (ISO instants)}}
 *   404: {"nonce": "<echo>", "signedAt": "<ISO>", "error": "not_found"}
 *
 * The signature covers the exact bytes received (no re-serialisation), and the echoed nonce ties the answer to this
 * query, so neither a forged document nor a replayed old answer (say, from before a revocation) is accepted.
 */
export interface IssuerConfig {
  code: string;
  apiBaseUrl: string;
  publicKeyPem: string;
}

export type IssuerAnswer =
  | { kind: 'found'; document: GuaranteeDocument; raw: string; signature: string }
  | { kind: 'not_found' }
  | { kind: 'untrusted'; reason: 'signature_invalid' | 'nonce_mismatch' };

const Party = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  uscc: Type.Optional(Type.Union([Type.String({ maxLength: 18 }), Type.Null()])),
});
const DocumentSchema = Type.Object({
  guaranteeNo: Type.String({ minLength: 1, maxLength: 64 }),
  issuerCode: Type.String({ minLength: 1, maxLength: 32 }),
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked'), Type.Literal('claimed')]),
  applicant: Party,
  beneficiary: Party,
  tenderId: Type.String({ maxLength: 64 }),
  lotId: Type.String({ maxLength: 64 }),
  amountFen: Type.Integer({ minimum: 0 }),
  validFrom: Type.String({ maxLength: 40 }),
  validUntil: Type.String({ maxLength: 40 }),
});
const AnswerSchema = Type.Object({
  nonce: Type.String(),
  signedAt: Type.String(),
  guarantee: Type.Optional(DocumentSchema),
  error: Type.Optional(Type.Literal('not_found')),
});

export const issuerUnavailable = (code: string, why: string) =>
  new AppError(
    'ISSUER_UNAVAILABLE',
    502,
    `暂时无法向出函机构 ${code} 核验保函，请稍后重试`,
    `Guarantee issuer ${code} cannot be reached to verify the guarantee; try again later`,
    'issuerCode',
    { why },
  );

/** Does `signatureB64` sign `body` under the issuer's registered Ed25519 public key? */
export function issuerSignatureValid(publicKeyPem: string, body: Buffer, signatureB64: string): boolean {
  try {
    const sig = Buffer.from(signatureB64, 'base64');
    if (sig.length !== 64) return false;
    return verifySignature(null, body, createPublicKey(publicKeyPem), sig);
  } catch {
    return false;
  }
}

/** Ask the issuer about a guarantee. Network failures and malformed answers throw ISSUER_UNAVAILABLE (nothing is recorded). */
export async function queryIssuer(issuer: IssuerConfig, guaranteeNo: string, opts: { timeoutMs?: number } = {}): Promise<IssuerAnswer> {
  const nonce = randomBytes(16).toString('hex');
  let res: Response;
  let body: Buffer;
  try {
    res = await fetch(new URL('v1/guarantees/verify', issuer.apiBaseUrl.endsWith('/') ? issuer.apiBaseUrl : `${issuer.apiBaseUrl}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ guaranteeNo, nonce }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      redirect: 'error',
    });
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw issuerUnavailable(issuer.code, e instanceof Error ? e.message : String(e));
  }
  if (res.status !== 200 && res.status !== 404) throw issuerUnavailable(issuer.code, `HTTP ${res.status}`);
  if (body.length > 64 * 1024) throw issuerUnavailable(issuer.code, 'answer too large');
  const signature = res.headers.get('x-issuer-signature') ?? '';
  if (!issuerSignatureValid(issuer.publicKeyPem, body, signature)) return { kind: 'untrusted', reason: 'signature_invalid' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw issuerUnavailable(issuer.code, 'answer is not JSON');
  }
  if (!Value.Check(AnswerSchema, parsed)) throw issuerUnavailable(issuer.code, 'answer does not follow the v1 format');
  if (parsed.nonce !== nonce) return { kind: 'untrusted', reason: 'nonce_mismatch' };
  if (res.status === 404 || parsed.error === 'not_found' || !parsed.guarantee) return { kind: 'not_found' };
  return { kind: 'found', document: parsed.guarantee, raw: body.toString('utf8'), signature };
}
