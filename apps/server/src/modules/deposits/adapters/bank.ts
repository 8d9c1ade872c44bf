import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import type { Tx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { BANK_CLOCK_SKEW_MS, bankSignatureValid, parseBankTimestamp, withinSkew } from '../deposits.rules';
import { getBank, type BankRow } from '../deposits.repo';

/**
 * Bank adapter, inbound side: the bank posts notifications to the platform.
 *
 *   POST /api/deposits/banks/{bankCode}/notifications
 *   Content-Type: application/json
 *   X-Bank-Timestamp: <Unix seconds>           must be within ±5 minutes of the platform clock
 *   X-Bank-Nonce: <16–64 of [A-Za-z0-9_-]>     accepted once per bank (replay protection)
 *   X-Bank-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + nonce + "." + raw body bytes)>
 *
 *   credit: {"type":"credit","bankRef","virtualAccount","amountFen" (integer 分),"payer":{"name","accountNo","bank"?},"creditedAt"}
 *   refund: {"type":"refund","bankRef","refundId","amountFen","interestFen"?,"completedAt"}
 *
 * Answers 200 {"result":"recorded"|"duplicate","id"} — a retry with the same bankRef (new nonce) is a duplicate and
 * changes nothing; the same bankRef with different content is 409 BANK_REF_CONFLICT. Authentication failures are 401
 * with a code saying which check failed (the bank's operators need to know; the secret is never hinted at).
 */
const Ref = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
export const CreditSchema = Type.Object(
  {
    type: Type.Literal('credit'),
    bankRef: Ref,
    virtualAccount: Type.String({ minLength: 6, maxLength: 32, pattern: '^[0-9]+$' }),
    amountFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 }),
    payer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        accountNo: Type.String({ minLength: 4, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' }),
        bank: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    creditedAt: Instant,
  },
  { additionalProperties: false },
);
export const RefundConfirmSchema = Type.Object(
  {
    type: Type.Literal('refund'),
    bankRef: Ref,
    refundId: Type.String({ format: 'uuid' }),
    amountFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 }),
    interestFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 })),
    completedAt: Instant,
  },
  { additionalProperties: false },
);
export const NotificationSchema = Type.Union([CreditSchema, RefundConfirmSchema]);
export type CreditNotification = Static<typeof CreditSchema>;
export type RefundNotification = Static<typeof RefundConfirmSchema>;
export type Notification = CreditNotification | RefundNotification;

const unauthorised = (code: string, zh: string, en: string, field?: string) => new AppError(code, 401, zh, en, field);

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Authenticate a notification inside the transaction that will record it: bank known and active, timestamp fresh,
 * HMAC valid, nonce unused (stored, so a replay inside the window is refused even after a restart or on another
 * node). Then parse and validate the body. Returns the bank and the notification.
 */
export async function authenticateNotification(
  trx: Tx,
  bankCode: string,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  now: Date,
): Promise<{ bank: BankRow; notification: Notification }> {
  const bank = await getBank(trx, bankCode);
  if (!bank || !bank.active) throw unauthorised('BANK_UNKNOWN', `未登记的银行 ${bankCode}`, `Bank ${bankCode} is not registered`);
  const ts = header(headers, 'x-bank-timestamp');
  const nonce = header(headers, 'x-bank-nonce');
  const sig = header(headers, 'x-bank-signature');
  const at = parseBankTimestamp(ts);
  if (!at)
    throw unauthorised(
      'BANK_TIMESTAMP_INVALID',
      'X-Bank-Timestamp 须为 Unix 秒',
      'X-Bank-Timestamp must be Unix seconds',
      'x-bank-timestamp',
    );
  if (!withinSkew(at, now)) {
    throw unauthorised(
      'BANK_TIMESTAMP_SKEW',
      '通知时间与平台时间相差超过 5 分钟（过期或重放）',
      'The notification time is more than 5 minutes from platform time (stale or replayed)',
      'x-bank-timestamp',
    );
  }
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce))
    throw unauthorised('BANK_NONCE_INVALID', 'X-Bank-Nonce 格式不正确', 'X-Bank-Nonce is malformed', 'x-bank-nonce');
  if (!bankSignatureValid(bank.hmac_secret, ts, nonce, raw, sig)) {
    throw unauthorised(
      'BANK_SIGNATURE_INVALID',
      '银行通知签名验证失败',
      'The bank notification signature does not verify',
      'x-bank-signature',
    );
  }
  // Forget nonces older than twice the window: a notification that old is refused by the timestamp check anyway.
  await trx
    .deleteFrom('deposit_bank_nonces')
    .where('bank_code', '=', bank.code)
    .where('seen_at', '<', new Date(now.getTime() - 2 * BANK_CLOCK_SKEW_MS))
    .execute();
  const fresh = await trx
    .insertInto('deposit_bank_nonces')
    .values({ bank_code: bank.code, nonce, seen_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('nonce')
    .executeTakeFirst();
  if (!fresh)
    throw unauthorised(
      'BANK_REPLAY',
      '该通知已处理过（随机数重复，疑似重放）',
      'This notification nonce was already used (replay)',
      'x-bank-nonce',
    );
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('INVALID_JSON', 400, '请求体不是合法的 JSON', 'The request body is not valid JSON');
  }
  if (!Value.Check(NotificationSchema, body)) {
    const first = [...Value.Errors(NotificationSchema, body)][0];
    const field = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
    throw new AppError(
      'VALIDATION_FAILED',
      400,
      `银行通知格式不正确：${field ?? '(请求体)'}`,
      `The bank notification is malformed: ${field ?? '(body)'}`,
      field,
    );
  }
  return { bank, notification: body };
}
