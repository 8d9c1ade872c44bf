import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor, requireRole } from '../../platform/auth/actor';
import { ProblemSchema } from '../../platform/http/schemas';
import { registerBank, registerIssuer } from './commands/setup';
import { listBanks, listIssuers } from './deposits.repo';

/** Banks and issuers: public lists for signed-in users; registration by administrators. */
const tags = ['deposits'];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' });
const Named = Type.Array(Type.Object({ code: Type.String(), name: Type.String() }));

export async function setupRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.ctx;

  app.get(
    '/api/deposits/banks',
    { schema: { tags, summary: '可缴纳保证金的银行 / Banks taking deposits', response: { 200: Named, ...errors } } },
    async (req) => {
      requireActor(req);
      return (await listBanks(db)).map((b) => ({ code: b.code, name: b.name }));
    },
  );

  app.get(
    '/api/deposits/issuers',
    { schema: { tags, summary: '已接入的电子保函出函机构 / Registered guarantee issuers', response: { 200: Named, ...errors } } },
    async (req) => {
      requireActor(req);
      return (await listIssuers(db)).map((i) => ({ code: i.code, name: i.name }));
    },
  );

  app.put(
    '/api/deposits/admin/banks/:code',
    {
      schema: {
        tags,
        summary: '登记或修改保证金银行（管理员）/ Register or update a deposit bank (admin)',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            masterAccountName: Type.String({ minLength: 1, maxLength: 200 }),
            masterAccountNo: Type.String({ minLength: 4, maxLength: 40, pattern: '^[0-9]+$' }),
            subAccountPrefix: Type.String({ pattern: '^[0-9]{4,12}$' }),
            hmacSecret: Type.String({ minLength: 32, maxLength: 200 }),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const body = req.body as Omit<Parameters<typeof registerBank>[2], 'code'>;
      await registerBank(db, actor.accountId, { ...body, code: (req.params as { code: string }).code }, clock.now());
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/deposits/admin/issuers/:code',
    {
      schema: {
        tags,
        summary: '登记或修改电子保函出函机构（管理员）/ Register or update a guarantee issuer (admin)',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            apiBaseUrl: Type.String({ minLength: 8, maxLength: 300 }),
            publicKeyPem: Type.String({ minLength: 40, maxLength: 2000 }),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const body = req.body as Omit<Parameters<typeof registerIssuer>[2], 'code'>;
      await registerIssuer(db, actor.accountId, { ...body, code: (req.params as { code: string }).code }, clock.now());
      return reply.status(204).send();
    },
  );
}
