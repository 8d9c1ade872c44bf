import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor, requireRole } from '../../platform/auth/actor';
import { AppError, Errors } from '../../platform/http/errors';
import { recordLedger } from '../../platform/ledger/append';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { canSupervise } from '../../platform/auth/policies';
import { createTender, updateDraftTender, type CreateTenderInput } from './commands/create';
import { publishTender } from './commands/publish';
import { basePolicy, isTenderingProcedure } from './policies/engine';
import { overrideProblem } from './policies/overrides';
import { TENDERING_PROCEDURES, type TenderingProcedure } from './policies/types';
import { effectivePolicy, getDocuments, getLots, getTender } from './tendering.repo';
import { isCenterStaff, tenderNotFound } from './tendering.policy';
import { presentPublic, PublicTenderSchema, TenderSchema } from './tendering.presenter';
import { tenderDetail } from './tendering.read';

export const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
export const IdParams = Type.Object({ id: Uuid });
const Instant = Type.String({ format: 'date-time' });

const CreateBody = Type.Object(
  {
    projectId: Uuid,
    procedureType: Type.Optional(Type.String({ pattern: '^[a-z][a-z_]{1,40}$' })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    noticeHtml: Type.Optional(Type.String({ maxLength: 100_000 })),
    plannedPublishAt: Type.Optional(Instant),
    lots: Type.Array(
      Type.Object(
        {
          lotNo: Type.Integer({ minimum: 1 }),
          depositFen: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000 }),
          bidDeadline: Instant,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    documentIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }),
    escrow: Type.Object(
      { k: Type.Integer({ minimum: 2, maximum: 20 }), custodianAccountIds: Type.Array(Uuid, { minItems: 3, maxItems: 20 }) },
      { additionalProperties: false },
    ),
    invitedOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Omit(CreateBody, ['projectId'], { additionalProperties: false });

const OverrideBody = Type.Object(
  {
    key: Type.String({ maxLength: 60 }),
    n: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    unit: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('working_day')])),
    flag: Type.Optional(Type.Boolean()),
    basis: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export async function tenderRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;
  const tags = ['tendering'];

  app.get(
    '/api/tendering/policies',
    {
      schema: {
        tags,
        summary: '各交易方式的规则（含本地更严规定及法条依据）/ Procedure policies with their legal basis',
        response: { 200: Type.Array(Type.Unknown()) },
      },
    },
    async () => Promise.all(TENDERING_PROCEDURES.map((p) => effectivePolicy(db, p))),
  );

  app.put(
    '/api/tendering/policies/:procedure/overrides',
    {
      schema: {
        tags,
        summary: '设置本地更严的规则值（管理员）/ Set a stricter local value (admin)',
        params: Type.Object({ procedure: Type.String({ maxLength: 40 }) }),
        body: OverrideBody,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'admin');
      const { procedure } = req.params as { procedure: string };
      if (!isTenderingProcedure(procedure))
        throw Errors.validation(
          'procedure',
          `未知的交易方式 ${procedure}`,
          `Unknown procedure ${procedure}`,
          'TENDER_PROCEDURE_UNSUPPORTED',
        );
      const body = req.body as { key: string; n?: number; unit?: 'day' | 'working_day'; flag?: boolean; basis: string };
      const problem = overrideProblem(basePolicy(procedure), body);
      if (problem) throw new AppError('TENDER_OVERRIDE_LOOSER', 400, problem[0], problem[1], 'key');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const values = {
          n: body.n ?? null,
          unit: body.unit ?? null,
          flag: body.flag ?? null,
          basis: body.basis,
          set_by: actor.accountId,
          set_at: now,
        };
        await trx
          .insertInto('tender_policy_overrides')
          .values({ procedure_type: procedure, key: body.key, ...values })
          .onConflict((oc) => oc.columns(['procedure_type', 'key']).doUpdateSet(values))
          .execute();
        await recordLedger(
          trx,
          {
            type: 'tendering.policy_override_set',
            subjectType: 'procedure_policy',
            subjectId: procedure,
            actorId: actor.accountId,
            payload: { procedure, ...body },
          },
          now,
        );
      });
      return effectivePolicy(db, procedure as TenderingProcedure);
    },
  );

  app.delete(
    '/api/tendering/policies/:procedure/overrides/:key',
    {
      schema: {
        tags,
        summary: '删除本地规则值（管理员）/ Remove a local value (admin)',
        params: Type.Object({ procedure: Type.String({ maxLength: 40 }), key: Type.String({ maxLength: 60 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const { procedure, key } = req.params as { procedure: string; key: string };
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('tender_policy_overrides')
          .where('procedure_type', '=', procedure)
          .where('key', '=', key)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw Errors.notFound('Override', '本地规则值');
        await recordLedger(
          trx,
          {
            type: 'tendering.policy_override_removed',
            subjectType: 'procedure_policy',
            subjectId: procedure,
            actorId: actor.accountId,
            payload: { procedure, key },
          },
          now,
        );
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/tendering/tenders',
    {
      schema: {
        tags,
        summary: '从已受理项目发起招标（草稿）/ Create a tender from an accepted project (draft)',
        body: CreateBody,
        response: { 201: TenderSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const now = clock.now();
      const id = await createTender(db, actor, req.body as CreateTenderInput, now);
      return reply.status(201).send(await tenderDetail(db, actor, id, now));
    },
  );

  app.get(
    '/api/tendering/tenders',
    {
      schema: {
        tags,
        summary: '招标列表：招标人/代理看自己的，中心与监管看已发布的（监管限辖区），投标人看可参加的 / Tenders visible to me',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              title: Type.String(),
              procedureType: Type.String(),
              status: Type.String(),
              publishedAt: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const limit = (req.query as { limit?: number }).limit ?? 50;
      let q = db
        .selectFrom('tenders')
        .select(['id', 'title', 'procedure_type', 'status', 'published_at', 'industry', 'region_code', 'owner_org_id', 'agency_org_id'])
        .orderBy('serial_no', 'desc');
      const market = actor.roles.some((g) => g.role === 'tenderer' || g.role === 'agency');
      if (market && actor.orgId)
        q = q.where((eb) => eb.or([eb('owner_org_id', '=', actor.orgId!), eb('agency_org_id', '=', actor.orgId!)]));
      else if (actor.roles.some((g) => g.role === 'bidder') && actor.orgId) {
        const invitational = TENDERING_PROCEDURES.filter((p) => basePolicy(p).invitational);
        q = q
          .where('status', '=', 'published')
          .where((eb) =>
            eb.or([
              eb('procedure_type', 'not in', invitational),
              eb.exists(
                eb
                  .selectFrom('tender_invitations')
                  .select('org_id')
                  .whereRef('tender_invitations.tender_id', '=', 'tenders.id')
                  .where('tender_invitations.org_id', '=', actor.orgId!),
              ),
            ]),
          );
      } else q = q.where('status', '=', 'published');
      const rows = await q.limit(isCenterStaff(actor) || market ? limit : 500).execute();
      const visible =
        isCenterStaff(actor) || market || actor.roles.some((g) => g.role === 'bidder')
          ? rows
          : rows.filter((r) => canSupervise(actor, { industry: r.industry, region: r.region_code }));
      return visible.slice(0, limit).map((r) => ({
        id: r.id,
        title: r.title,
        procedureType: r.procedure_type,
        status: r.status,
        publishedAt: r.published_at?.toISOString() ?? null,
      }));
    },
  );

  app.get(
    '/api/tendering/tenders/:id',
    { schema: { tags, summary: '招标详情 / A tender', params: IdParams, response: { 200: TenderSchema, ...errors } } },
    async (req) => tenderDetail(db, requireActor(req), (req.params as { id: string }).id, clock.now()),
  );

  app.put(
    '/api/tendering/tenders/:id',
    {
      schema: {
        tags,
        summary: '修改招标草稿 / Replace a draft tender’s settings',
        params: IdParams,
        body: UpdateBody,
        response: { 200: TenderSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const now = clock.now();
      const { id } = req.params as { id: string };
      await updateDraftTender(db, actor, id, req.body as Omit<CreateTenderInput, 'projectId'>, now);
      return tenderDetail(db, actor, id, now);
    },
  );

  app.post(
    '/api/tendering/tenders/:id/publish',
    {
      schema: {
        tags,
        summary: '发布招标公告与招标文件 / Publish the notice and the documents',
        params: IdParams,
        response: { 200: TenderSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const now = clock.now();
      const { id } = req.params as { id: string };
      await publishTender(db, actor, id, now);
      return tenderDetail(db, actor, id, now);
    },
  );

  app.get(
    '/api/tendering/public/tenders/:id',
    {
      schema: {
        tags,
        summary: '公开的招标信息（门户）/ A published tender as the portal shows it',
        params: IdParams,
        response: { 200: PublicTenderSchema, ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const t = await getTender(db, id);
      if (!t || t.status !== 'published' || !isTenderingProcedure(t.procedure_type)) throw tenderNotFound();
      const policy = await effectivePolicy(db, t.procedure_type);
      // Invitational procedures have no public notice: what the portal may show is only what was announced.
      if (!policy.announcements.publish) throw tenderNotFound();
      return presentPublic(t, await getLots(db, id), await getDocuments(db, id), policy);
    },
  );
}
