import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../platform/auth/actor';
import { ProblemSchema } from '../../../platform/http/schemas';
import { registerBank, registerIssuer } from '../commands/setup';
import { getBank, getIssuer, getRequirement, orgById } from '../deposits.repo';
import { assertBidder, lotUnknown } from '../deposits.policy';
import type { GuaranteeDocument } from '../deposits.rules';
import { DemoBank } from './demo-bank';

/**
 * Demo adapters inside a running platform (`YIWANG_DEMO_ADAPTERS=1`; never in production): a demo guarantee issuer
 * and a demo bank that speak the real wire formats over HTTP to this same server, so the demo city can show a
 * bidder buying a guarantee and paying a deposit end to end. The keys are fixed and public — they prove nothing —
 * which is why this is off unless asked for. On listening, the server registers (or re-points) `demo_bank` and
 * `demo_issuer` at its own address.
 */
export const DEMO_BANK_SECRET = 'yiwang-demo-bank-secret-NOT-FOR-PRODUCTION';
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const issuerKey = createPrivateKey({
  key: Buffer.concat([ED25519_PKCS8_PREFIX, createHash('sha256').update('yiwang demo guarantee issuer').digest()]),
  format: 'der',
  type: 'pkcs8',
});
const issuerPublicPem = createPublicKey(issuerKey).export({ type: 'spki', format: 'pem' }).toString();

export function demoAdaptersEnabled(): boolean {
  return process.env.YIWANG_DEMO_ADAPTERS === '1';
}

export async function demoAdapterRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.ctx;
  const guarantees = new Map<string, GuaranteeDocument>();
  let serial = 0;
  const tags = ['deposits-demo'];
  const selfUrl = () => {
    const a = app.server.address() as AddressInfo | null;
    return `http://127.0.0.1:${a?.port ?? app.ctx.config.port}`;
  };

  app.addHook('onListen', async () => {
    const base = selfUrl();
    const now = clock.now();
    const issuer = await getIssuer(db, 'demo_issuer');
    const url = `${base}/api/demo/guarantee-issuer`;
    if (!issuer || issuer.api_base_url !== url || issuer.public_key_pem !== issuerPublicPem) {
      await registerIssuer(
        db,
        null,
        { code: 'demo_issuer', name: '示范电子保函平台（演示）', apiBaseUrl: url, publicKeyPem: issuerPublicPem },
        now,
      );
    }
    if (!(await getBank(db, 'demo_bank'))) {
      await registerBank(
        db,
        null,
        {
          code: 'demo_bank',
          name: '示范银行（演示）',
          masterAccountName: '公共资源交易中心保证金专户',
          masterAccountNo: '3501000000000001',
          subAccountPrefix: '35019999',
          hmacSecret: DEMO_BANK_SECRET,
        },
        now,
      );
    }
  });

  // The issuer's public API, as adapters/issuer.ts expects it: the exact response bytes are signed.
  app.post(
    '/api/demo/guarantee-issuer/v1/guarantees/verify',
    {
      schema: {
        tags,
        summary: '演示出函机构：核验保函 / Demo issuer: verify a guarantee',
        body: Type.Object(
          { guaranteeNo: Type.String({ maxLength: 64 }), nonce: Type.String({ maxLength: 64 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { guaranteeNo, nonce } = req.body as { guaranteeNo: string; nonce: string };
      const doc = guarantees.get(guaranteeNo);
      const body = Buffer.from(
        JSON.stringify({ nonce, signedAt: clock.now().toISOString(), ...(doc ? { guarantee: doc } : { error: 'not_found' }) }),
        'utf8',
      );
      return reply
        .status(doc ? 200 : 404)
        .type('application/json')
        .header('x-issuer-signature', sign(null, body, issuerKey).toString('base64'))
        .send(body);
    },
  );

  const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
  app.post(
    '/api/deposits/demo/guarantees',
    {
      schema: {
        tags,
        summary: '演示：向示范出函机构申请保函 / Demo: buy a guarantee for a lot from the demo issuer (bidder)',
        body: Type.Object({ tenderId: Key, lotId: Key }, { additionalProperties: false }),
        response: {
          201: Type.Object({ issuerCode: Type.String(), guaranteeNo: Type.String() }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const orgId = assertBidder(requireActor(req));
      const lot = req.body as { tenderId: string; lotId: string };
      const [r, org] = await Promise.all([getRequirement(db, lot), orgById(db, orgId)]);
      if (!r || !org) throw lotUnknown();
      const now = clock.now();
      const guaranteeNo = `DEMO${now.getTime()}${String(++serial).padStart(3, '0')}`;
      guarantees.set(guaranteeNo, {
        guaranteeNo,
        issuerCode: 'demo_issuer',
        status: 'valid',
        applicant: { name: org.name, uscc: org.uscc?.trim() ?? null },
        beneficiary: { name: r.beneficiary_name, uscc: r.beneficiary_uscc },
        tenderId: r.tender_id,
        lotId: r.lot_id,
        amountFen: r.required_fen,
        validFrom: now.toISOString(),
        validUntil: new Date(r.bid_valid_until.getTime() + 30 * 86_400_000).toISOString(),
      });
      return reply.status(201).send({ issuerCode: 'demo_issuer', guaranteeNo });
    },
  );

  app.post(
    '/api/deposits/demo/bank-transfers',
    {
      schema: {
        tags,
        summary: '演示：从本单位账户向虚拟子账号转账 / Demo: transfer from the bidder’s account to a virtual sub-account',
        body: Type.Object(
          {
            virtualAccount: Type.String({ pattern: '^[0-9]{6,32}$' }),
            amountFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 }),
            payerAccountNo: Type.Optional(Type.String({ pattern: '^[0-9]{4,40}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ status: Type.Integer(), answer: Type.Unknown() }), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req) => {
      const orgId = assertBidder(requireActor(req));
      const org = await orgById(db, orgId);
      const b = req.body as { virtualAccount: string; amountFen: number; payerAccountNo?: string };
      const bank = new DemoBank('demo_bank', DEMO_BANK_SECRET);
      const now = clock.now();
      // Over HTTP to this server's own callback, exactly as a bank would post it.
      const res = await bank.send(
        selfUrl(),
        {
          type: 'credit',
          bankRef: `DEMO${now.getTime()}${String(++serial).padStart(3, '0')}`,
          virtualAccount: b.virtualAccount,
          amountFen: b.amountFen,
          payer: {
            name: org?.name ?? '',
            accountNo:
              b.payerAccountNo ??
              `6222${orgId
                .replace(/[^0-9]/g, '')
                .slice(0, 12)
                .padEnd(12, '0')}`,
          },
          creditedAt: now.toISOString(),
        },
        now,
      );
      return { status: res.status, answer: (await res.json()) as unknown };
    },
  );
}
