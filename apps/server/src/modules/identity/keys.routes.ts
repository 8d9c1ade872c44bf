import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { issueChallenge, registerKey, revokeKey } from './commands/keys';
import type { KeyAlgorithm } from './identity.keys';
import { keysOf } from './identity.repo';
import { KeySchema, presentKey } from './identity.presenter';

export async function keyRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  app.get(
    '/api/identity/keys/challenge',
    {
      schema: {
        tags: ['identity'],
        summary: '获取公钥登记挑战值 / Get a challenge to prove possession of a signing key',
        response: { 200: Type.Object({ challenge: Type.String(), expiresAt: Type.String() }), 401: ProblemSchema },
      },
    },
    async (req) => issueChallenge(ctx, requireActor(req)),
  );

  app.post(
    '/api/identity/keys',
    {
      schema: {
        tags: ['identity'],
        summary: '登记投标签名公钥（须对挑战值签名） / Register a bid-signing public key with proof of possession',
        description:
          "ed25519/p256: publicKey = SPKI PEM, proof = base64 signature of the UTF-8 challenge (P-256 with SHA-256, DER or r||s). sm2: publicKey = '04' + 128 hex, proof = hex signature (SM3, user id 1234567812345678).",
        body: Type.Object(
          {
            algorithm: Type.Union([Type.Literal('sm2'), Type.Literal('ed25519'), Type.Literal('p256')]),
            publicKey: Type.String({ minLength: 1, maxLength: 2000 }),
            challenge: Type.String({ minLength: 1, maxLength: 200 }),
            proof: Type.String({ minLength: 1, maxLength: 1000 }),
            label: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: KeySchema, 400: ProblemSchema, 401: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const row = await registerKey(
        ctx,
        actor,
        req.body as { algorithm: KeyAlgorithm; publicKey: string; challenge: string; proof: string; label?: string },
      );
      return reply.status(201).send(presentKey(row));
    },
  );

  app.get(
    '/api/identity/keys',
    {
      schema: {
        tags: ['identity'],
        summary: '我的签名公钥 / My signing keys',
        response: { 200: Type.Object({ items: Type.Array(KeySchema) }), 401: ProblemSchema },
      },
    },
    async (req) => ({ items: (await keysOf(ctx.db, requireActor(req).accountId)).map(presentKey) }),
  );

  app.delete(
    '/api/identity/keys/:id',
    {
      schema: {
        tags: ['identity'],
        summary: '吊销签名公钥 / Revoke a signing key',
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await revokeKey(ctx, requireActor(req), (req.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
