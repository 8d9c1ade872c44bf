import { randomBytes } from 'node:crypto';
import { bankSignature } from '../deposits.rules';

/**
 * The bank side of the deposit adapter, for the demo and the tests: builds the notifications a bank posts to
 * `POST /api/deposits/banks/:bankCode/notifications` (wire format in adapters/bank.ts) and signs them with the
 * shared secret. `send` posts over HTTP to a listening platform; tests hand the same request to `app.inject`.
 */
export interface BankCredit {
  type: 'credit';
  bankRef: string;
  virtualAccount: string;
  amountFen: number;
  payer: { name: string; accountNo: string; bank?: string };
  creditedAt: string;
}
export interface BankRefund {
  type: 'refund';
  bankRef: string;
  refundId: string;
  amountFen: number;
  interestFen?: number;
  completedAt: string;
}
export type BankNotification = BankCredit | BankRefund;

export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string;
}

export class DemoBank {
  constructor(
    readonly code: string,
    private readonly secret: string,
  ) {}

  /** A signed request. `at` is the bank's clock (Unix seconds are sent); `nonce` defaults to a fresh random one. */
  sign(n: BankNotification, at: Date, opts: { nonce?: string; secret?: string; body?: string } = {}): SignedRequest {
    const payload = opts.body ?? JSON.stringify(n);
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const nonce = opts.nonce ?? randomBytes(12).toString('hex');
    return {
      method: 'POST',
      url: `/api/deposits/banks/${this.code}/notifications`,
      headers: {
        'content-type': 'application/json',
        'x-bank-timestamp': timestamp,
        'x-bank-nonce': nonce,
        'x-bank-signature': `v1=${bankSignature(opts.secret ?? this.secret, timestamp, nonce, payload)}`,
      },
      payload,
    };
  }

  /** Post a notification to a listening platform at `baseUrl`. */
  async send(baseUrl: string, n: BankNotification, at = new Date()): Promise<Response> {
    const r = this.sign(n, at);
    return fetch(new URL(r.url, baseUrl), { method: 'POST', headers: r.headers, body: r.payload });
  }
}
