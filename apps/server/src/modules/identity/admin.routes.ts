import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ROLES, type Role } from '@yiwang/contracts';
import { ProblemSchema, Uuid, encodeCursor } from '../../platform/http/schemas';
import { AppError } from '../../platform/http/errors';
import { SCOPE_PATTERN } from '../../platform/auth/tokens';
import { createAccountByAdmin, resetTotp, setRoles } from './commands/accounts';
import { createToken, revokeToken } from './commands/tokens';
import type { GrantInput } from './identity.rules';
import { findAccount, grantsOf, listAccounts, tokensOf } from './identity.repo';
import { AccountListItemSchema, AccountSchema, nameIdCursor, presentAccount, presentToken, TokenSchema } from './identity.presenter';
import { requireAdmin } from './identity.policy';
import { Password, Username } from './identity.routes';

const Grant = Type.Object(
  {
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    industries: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\*|[a-z][a-z0-9_]{0,39})$' }), {
        maxItems: 50,
        uniqueItems: true,
        description: "行业代码，'*' 为全部行业",
      }),
    ),
    regions: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\d{2,6}$' }), {
        maxItems: 100,
        uniqueItems: true,
        description: 'GB/T 2260 行政区划代码或其前缀',
      }),
    ),
  },
  { additionalProperties: false },
);
const Grants = Type.Array(Grant, { maxItems: ROLES.length });
const IdParams = Type.Object({ id: Uuid });

export async function adminRoutes(app: FastifyInstance) {
  const ctx = app.ctx;

  app.post(
    '/api/admin/accounts',
    {
      schema: {
        tags: ['admin'],
        summary: '创建工作人员/系统账号并授权 / Create a staff or system account with roles',
        body: Type.Object(
          {
            username: Username,
            password: Type.Optional(Password),
            displayName: Type.String({ minLength: 1, maxLength: 100 }),
            phone: Type.Optional(Type.String({ maxLength: 30 })),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
            orgId: Type.Optional(Uuid),
            roles: Grants,
          },
          { additionalProperties: false },
        ),
        response: { 201: AccountSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req);
      const r = await createAccountByAdmin(ctx, actor, req.body as Parameters<typeof createAccountByAdmin>[2]);
      return reply.status(201).send(presentAccount(r.account, r.roles));
    },
  );

  app.get(
    '/api/admin/accounts',
    {
      schema: {
        tags: ['admin'],
        summary: '账号列表（按用户名、姓名或单位名称检索，按角色筛选） / Accounts (search username, name or organisation; filter by role)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))),
            cursor: Type.Optional(Type.String({ maxLength: 300 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AccountListItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (req) => {
      requireAdmin(req);
      const { q, role, cursor, limit = 20 } = req.query as { q?: string; role?: Role; cursor?: string; limit?: number };
      const after = nameIdCursor(cursor);
      const rows = await listAccounts(ctx.db, { q: q?.trim() || undefined, role, after, limit });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({ ...presentAccount(r.row, r.grants), orgName: r.row.org_name })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.row.username_key, last.row.id]) : null,
      };
    },
  );

  app.get(
    '/api/admin/accounts/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '账号详情 / Account details',
        params: IdParams,
        response: { 200: AccountSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      requireAdmin(req);
      const id = (req.params as { id: string }).id;
      const a = await findAccount(ctx.db, id);
      if (!a) throw new AppError('NOT_FOUND', 404, '账号不存在', 'Account not found');
      return presentAccount(a, await grantsOf(ctx.db, id));
    },
  );

  app.put(
    '/api/admin/accounts/:id/roles',
    {
      schema: {
        tags: ['admin'],
        summary: '设置账号角色及管辖范围 / Set an account’s roles and jurisdiction',
        params: IdParams,
        body: Type.Object({ roles: Grants }, { additionalProperties: false }),
        response: { 200: AccountSchema, 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => {
      const actor = requireAdmin(req);
      const r = await setRoles(ctx, actor, (req.params as { id: string }).id, (req.body as { roles: GrantInput[] }).roles);
      return presentAccount(r.account, r.roles);
    },
  );

  app.delete(
    '/api/admin/accounts/:id/totp',
    {
      schema: {
        tags: ['admin'],
        summary: '重置动态口令（设备丢失） / Reset TOTP (lost device)',
        params: IdParams,
        response: { 204: Type.Null(), 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req);
      await resetTotp(ctx, actor, (req.params as { id: string }).id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/admin/accounts/:id/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: '为系统账号签发 API 令牌（仅显示一次） / Issue an API token to a system account (shown once)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Type.String({ pattern: SCOPE_PATTERN }), { minItems: 1, maxItems: 50 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), info: TokenSchema }),
          400: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req);
      const body = req.body as { name: string; scopes: string[]; expiresInDays?: number };
      const r = await createToken(ctx, actor, (req.params as { id: string }).id, {
        name: body.name,
        scopes: body.scopes,
        expiresInDays: body.expiresInDays ?? 90,
      });
      return reply.status(201).send({ token: r.token, info: presentToken(r.row) });
    },
  );

  app.get(
    '/api/admin/accounts/:id/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: '系统账号的令牌 / Tokens of a system account',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), 403: ProblemSchema },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { items: (await tokensOf(ctx.db, (req.params as { id: string }).id)).map(presentToken) };
    },
  );

  app.delete(
    '/api/admin/tokens/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '吊销令牌 / Revoke a token',
        params: IdParams,
        response: { 204: Type.Null(), 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req);
      await revokeToken(ctx, actor, (req.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
