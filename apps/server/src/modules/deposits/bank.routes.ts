import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ProblemSchema } from '../../platform/http/schemas';
import { receiveBankNotification } from './commands/cash';

const BODY_LIMIT = 64 * 1024;

/**
 * The bank's callback. The HMAC covers the exact bytes sent, so this route reads the body raw: in its own
 * encapsulated context the JSON parser is replaced by one that hands over the Buffer, and the command parses and
 * validates (TypeBox, adapters/bank.ts) only after the signature has been checked. No session, no CSRF: the bank
 * is not a user, it authenticates with its shared secret.
 */
export async function bankRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.ctx;
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/deposits/banks/:bankCode/notifications',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['deposits'],
          summary: '银行到账/退款通知（HMAC 签名）/ Bank notification of a credit or a refund (HMAC-signed)',
          description:
            'Headers X-Bank-Timestamp (Unix seconds, ±5 min), X-Bank-Nonce (once per bank), X-Bank-Signature: v1=hex(HMAC-SHA256(secret, ' +
            'timestamp + "." + nonce + "." + raw body)). Body: {"type":"credit","bankRef","virtualAccount","amountFen","payer":{"name","accountNo","bank"?},"creditedAt"} ' +
            'or {"type":"refund","bankRef","refundId","amountFen","interestFen"?,"completedAt"}. Idempotent on bankRef.',
          params: Type.Object({ bankCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' }) }),
          response: {
            200: Type.Object({ result: Type.Union([Type.Literal('recorded'), Type.Literal('duplicate')]), id: Type.String() }),
            400: ProblemSchema,
            401: ProblemSchema,
            404: ProblemSchema,
            409: ProblemSchema,
            422: ProblemSchema,
          },
        },
      },
      async (req) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return receiveBankNotification(db, (req.params as { bankCode: string }).bankCode, req.headers, raw, clock.now());
      },
    );
  });
}
