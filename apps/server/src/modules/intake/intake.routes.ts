import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ROLE_FAMILY } from '@yiwang/contracts';
import { requireActor, requireRole, type Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../../platform/http/schemas';
import { listEntries } from '../catalog/index';
import { getLots, getMaterials, getPending, getProject, getReturns, listMine, listQueue } from './intake.repo';
import { assertCanRead, isCenterStaff, projectNotFound } from './intake.policy';
import { ProjectDetailSchema, ProjectSummarySchema, presentDetail, presentSummary } from './intake.presenter';
import { registerProject, updateProject, type RegistrationInput } from './commands/register';
import { accept, acceptGreen, returnProject, submit, supply } from './commands/transitions';
import type { ProjectStatus } from './intake.tables';

const STATUSES = ['draft', 'submitted', 'returned', 'accepted', 'accepted_green'] as const;
const IdParams = Type.Object({ id: Uuid });
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const MaterialCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' });

const registration = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  catalogCode: Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?$', maxLength: 60 }),
  procedureType: Type.String({ pattern: '^[a-z][a-z_]{1,40}$' }),
  subject: Type.Optional(Type.Union([Type.Literal('works'), Type.Literal('goods'), Type.Literal('services'), Type.Null()])),
  regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
  estimateFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 }),
  lots: Type.Array(
    Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), estimateFen: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 }) }, { additionalProperties: false }),
    { minItems: 1, maxItems: 200 },
  ),
  materials: Type.Optional(Type.Array(Type.Object({ code: MaterialCode, fileId: Uuid }, { additionalProperties: false }), { maxItems: 50 })),
  greenChannelReason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
};
const CreateBody = Type.Object({ ...registration, tendererOrgId: Type.Optional(Uuid) }, { additionalProperties: false });
const UpdateBody = Type.Object(registration, { additionalProperties: false });

async function detail(db: DbOrTx, id: string, now: Date) {
  const p = await getProject(db, id);
  if (!p) throw projectNotFound();
  const entry = (await listEntries(db, p.catalog_version_id)).find((x) => x.code === p.catalog_code);
  const [lots, materials, returns, pending] = await Promise.all([getLots(db, id), getMaterials(db, id), getReturns(db, id), getPending(db, id)]);
  return { row: p, view: presentDetail(p, { entry, lots, materials, returns, pending }, now) };
}

async function readable(db: DbOrTx, actor: Actor, id: string, now: Date) {
  const d = await detail(db, id, now);
  assertCanRead(actor, { status: d.row.status, ownerOrgId: d.row.owner_org_id, agencyOrgId: d.row.agency_org_id, industry: d.row.industry, regionCode: d.row.region_code });
  return d.view;
}

export async function intakeRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;
  const tags = ['intake'];

  app.post(
    '/api/projects',
    { schema: { tags, summary: '登记项目（草稿）/ Register a project (draft)', body: CreateBody, response: { 201: ProjectDetailSchema, ...errors } } },
    async (req, reply) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const now = clock.now();
      const id = await registerProject(db, actor, req.body as RegistrationInput & { tendererOrgId?: string }, now);
      return reply.status(201).send((await detail(db, id, now)).view);
    },
  );

  app.get(
    '/api/projects',
    {
      schema: {
        tags,
        summary: '项目列表：登记方看自己的，窗口看受理队列，监管看辖区 / My projects, the intake queue, or a supervisor’s jurisdiction',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
            overdue: Type.Optional(Type.Boolean()),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ProjectSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const q = req.query as { status?: ProjectStatus; overdue?: boolean; cursor?: string; limit?: number };
      const now = clock.now();
      const limit = q.limit ?? 20;
      const after = decodeCursor(q.cursor, 1)?.[0];
      const afterSerial = typeof after === 'number' ? after : undefined;
      const filter = { status: q.status, overdueAt: q.overdue ? now : undefined, afterSerial, limit };
      const families = new Set(actor.roles.map((g) => ROLE_FAMILY[g.role]));
      let rows;
      if (isCenterStaff(actor)) rows = await listQueue(db, filter);
      else if (families.has('supervision')) {
        const jurisdictions = actor.roles
          .filter((g) => g.role === 'regulator' || g.role === 'manager' || g.role === 'auditor')
          .map((g) => ({ industries: g.industries, regions: g.regions, anyIndustry: g.role !== 'regulator' || g.industries.includes('*') }));
        rows = await listQueue(db, { ...filter, jurisdictions });
      } else if (actor.orgId && actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency')) {
        rows = await listMine(db, actor.orgId, filter);
      } else {
        throw new AppError('FORBIDDEN_ROLE', 403, '此操作需要以下角色之一：tenderer、agency、center_intake、regulator', 'This needs one of the roles: tenderer, agency, center staff, supervisor');
      }
      const page = rows.slice(0, limit);
      return { items: page.map((r) => presentSummary(r, now)), nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.serial_no]) : null };
    },
  );

  app.get(
    '/api/projects/:id',
    { schema: { tags, summary: '项目详情 / A project', params: IdParams, response: { 200: ProjectDetailSchema, ...errors } } },
    async (req) => readable(db, requireActor(req), (req.params as { id: string }).id, clock.now()),
  );

  app.put(
    '/api/projects/:id',
    { schema: { tags, summary: '修改登记（仅草稿或被退回）/ Replace a draft or returned registration', params: IdParams, body: UpdateBody, response: { 200: ProjectDetailSchema, ...errors } } },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await updateProject(db, actor, id, req.body as RegistrationInput, now);
      return (await detail(db, id, now)).view;
    },
  );

  app.post(
    '/api/projects/:id/submit',
    { schema: { tags, summary: '提交（或补正后重新提交）受理 / Submit (or resubmit) to the intake window', params: IdParams, response: { 200: ProjectDetailSchema, ...errors } } },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await submit(db, actor, id, now);
      return (await detail(db, id, now)).view;
    },
  );

  app.post(
    '/api/projects/:id/accept',
    { schema: { tags, summary: '受理 / Accept', params: IdParams, response: { 200: ProjectDetailSchema, ...errors } } },
    async (req) => {
      const actor = requireRole(req, 'center_intake');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await accept(db, actor, id, now);
      return (await detail(db, id, now)).view;
    },
  );

  app.post(
    '/api/projects/:id/return',
    {
      schema: {
        tags,
        summary: '退回并一次性告知 / Return with one complete list of items (tell once)',
        params: IdParams,
        body: Type.Object(
          { items: Type.Array(Type.Object({ code: Type.String({ minLength: 1, maxLength: 60 }), note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: ProjectDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'center_intake');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await returnProject(db, actor, id, (req.body as { items: { code: string; note: string }[] }).items, now);
      return (await detail(db, id, now)).view;
    },
  );

  app.post(
    '/api/projects/:id/accept-green',
    {
      schema: {
        tags,
        summary: '绿色通道容缺受理 / Accept through the green channel with items pending',
        params: IdParams,
        body: Type.Object(
          { pending: Type.Array(Type.Object({ code: MaterialCode, dueDate: Type.String({ format: 'date' }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: ProjectDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'center_intake');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await acceptGreen(db, actor, id, (req.body as { pending: { code: string; dueDate: string }[] }).pending, now);
      return (await detail(db, id, now)).view;
    },
  );

  app.post(
    '/api/projects/:id/supply',
    {
      schema: {
        tags,
        summary: '补交容缺材料 / Supply a pending item',
        params: IdParams,
        body: Type.Object({ code: MaterialCode, fileId: Uuid }, { additionalProperties: false }),
        response: { 200: ProjectDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await supply(db, actor, id, req.body as { code: string; fileId: string }, now);
      return (await detail(db, id, now)).view;
    },
  );
}
