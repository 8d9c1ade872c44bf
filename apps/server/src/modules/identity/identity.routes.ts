import { authRateLimit } from '../../platform/auth/plugin';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ProblemSchema, Uuid, encodeCursor } from '../../platform/http/schemas';
import { AppError } from '../../platform/http/errors';
import type { Role } from '@yiwang/contracts';
import { registerEntity } from './commands/register';
import { addOrgAccount } from './commands/accounts';
import { MARKET_ROLES, type RegistrationInput } from './identity.rules';
import { accountsOfOrg, findOrg, searchOrgs, searchOrgsWithRole } from './identity.repo';
import { AccountSchema, nameIdCursor, OrgProfileSchema, presentAccount, presentOrg } from './identity.presenter';
import { requireOrgAdmin, requireOrgMember, requireStaff } from './identity.policy';
import { hasRole, requireActor, requireRole, requireScope } from '../../platform/auth/actor';
import { STAFF_ROLES } from '@yiwang/contracts';

export const Username = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,39}$', description: '3–40 位字母、数字、_ . -，字母开头' });
export const Password = Type.String({ minLength: 1, maxLength: 200 });
const Phone = Type.String({ pattern: '^1[3-9]\\d{9}$', description: '中国大陆手机号 / mainland mobile number' });
const Email = Type.String({ format: 'email', maxLength: 200 });
const MarketRole = Type.Union(MARKET_ROLES.map((r) => Type.Literal(r)));

const RegistrationBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('organisation'), Type.Literal('person')]),
    name: Type.String({ minLength: 2, maxLength: 200 }),
    uscc: Type.Optional(Type.String({ maxLength: 30, description: '统一社会信用代码（单位）' })),
    idNumber: Type.Optional(Type.String({ maxLength: 30, description: '居民身份证号码（自然人；仅保存其 HMAC）' })),
    regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    username: Username,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Phone,
    email: Type.Optional(Email),
    roles: Type.Array(MarketRole, { minItems: 1, maxItems: 4, uniqueItems: true }),
  },
  { additionalProperties: false },
);

const OrgAccountBody = Type.Object(
  {
    username: Username,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    roles: Type.Array(MarketRole, { minItems: 1, maxItems: 4, uniqueItems: true }),
    orgAdmin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export async function identityRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  app.post(
    '/api/identity/registrations',
    {
      config: { rateLimit: authRateLimit(app.ctx.config.authRateLimitPerMinute) },
      schema: {
        tags: ['identity'],
        summary: '市场主体注册 / Register a market entity and its first account',
        body: RegistrationBody,
        response: { 201: Type.Object({ org: OrgProfileSchema, account: AccountSchema }), 400: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      const r = await registerEntity(ctx, req.body as RegistrationInput);
      return reply.status(201).send({ org: presentOrg(r.org, true), account: presentAccount(r.account, r.grants) });
    },
  );

  app.get(
    '/api/identity/orgs/:id',
    {
      schema: {
        tags: ['identity'],
        summary: '市场主体公开信息 / Public profile of a market entity',
        params: Type.Object({ id: Uuid }),
        response: { 200: OrgProfileSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      const org = await findOrg(ctx.db, (req.params as { id: string }).id);
      if (!org) throw new AppError('NOT_FOUND', 404, '单位不存在', 'Organisation not found');
      return presentOrg(org);
    },
  );

  app.get(
    '/api/identity/orgs',
    {
      schema: {
        tags: ['identity'],
        summary:
          '检索市场主体（工作人员；持 identity:read 令牌的系统；代理机构仅可按 role=tenderer 检索招标人） / Search market entities (staff; systems with identity:read; agencies only tenderers via role=tenderer)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            role: Type.Optional(MarketRole),
            cursor: Type.Optional(Type.String({ maxLength: 300 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(OrgProfileSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (req) => {
      const { q, role, cursor, limit = 20 } = req.query as { q?: string; role?: Role; cursor?: string; limit?: number };
      // Staff in the browser, or a third-party system (e.g. a credit platform) holding an 'identity:read' token,
      // search every entity. An agency registering a project on a tenderer's behalf may only look up active
      // organisations holding the tenderer role, and sees their public profile (the same as GET /orgs/:id).
      let full = true;
      if (req.actor?.via === 'token') {
        requireRole(req, 'system');
        requireScope(req, 'identity:read');
      } else {
        const actor = requireActor(req);
        if (!hasRole(actor, ...STAFF_ROLES)) {
          if (!hasRole(actor, 'agency')) requireStaff(req);
          if (role !== 'tenderer')
            throw new AppError(
              'FORBIDDEN_ROLE',
              403,
              '代理机构只能检索招标人单位（role=tenderer）',
              'An agency may only search tenderer organisations (role=tenderer)',
              'role',
            );
          full = false;
        }
      }
      const after = nameIdCursor(cursor);
      const term = q?.trim() || undefined;
      const rows = role ? await searchOrgsWithRole(ctx.db, role, term, after, limit) : await searchOrgs(ctx.db, term, after, limit);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((o) => presentOrg(o, full)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null,
      };
    },
  );

  app.get(
    '/api/identity/orgs/:id/accounts',
    {
      schema: {
        tags: ['identity'],
        summary: '本单位账号列表 / Accounts of my organisation',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(AccountSchema) }), 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      const orgId = (req.params as { id: string }).id;
      requireOrgMember(req, orgId);
      const rows = await accountsOfOrg(ctx.db, orgId);
      return { items: rows.map((r) => presentAccount(r.row, r.grants)) };
    },
  );

  app.post(
    '/api/identity/orgs/:id/accounts',
    {
      schema: {
        tags: ['identity'],
        summary: '为本单位添加账号（单位管理员） / Add an account to my organisation (org admin)',
        params: Type.Object({ id: Uuid }),
        body: OrgAccountBody,
        response: {
          201: AccountSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const orgId = (req.params as { id: string }).id;
      const actor = requireOrgAdmin(req, orgId);
      const body = req.body as {
        username: string;
        password: string;
        displayName: string;
        phone?: string;
        email?: string;
        roles: Role[];
        orgAdmin?: boolean;
      };
      const r = await addOrgAccount(ctx, actor, orgId, body);
      return reply.status(201).send(presentAccount(r.account, r.roles));
    },
  );
}
