import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { CONFLICT_KINDS, EVALUATION_KINDS, MATERIAL_CODES, TITLE_LEVELS } from './experts.rules';
import { getExpertByAccount, getSettings, listSpecialties } from './experts.repo';
import { ExpertDetailSchema, presentDetail } from './experts.presenter';
import { submitApplication, type ApplicationInput } from './commands/apply';
import { declareConflict, declareLeave, endConflict, exitPool, withdrawLeave } from './commands/self';
import type { ConflictInput } from './experts.rules';
import { AppError } from '../../platform/http/errors';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const Lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Day = Type.String({ format: 'date' });
// Codes are checked by their check characters in the rules (INVALID_USCC / INVALID_ID_NUMBER with the reason), not here.
const Uscc = Type.String({ minLength: 1, maxLength: 30 });
const Region = Type.String({ pattern: '^[0-9]{6}$' });

export const ConflictBody = Type.Object(
  {
    kind: Lit(CONFLICT_KINDS),
    orgName: Type.String({ minLength: 1, maxLength: 200 }),
    orgUscc: Uscc,
    relation: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
    startedOn: Type.Optional(Type.Union([Day, Type.Null()])),
    endedOn: Type.Optional(Type.Union([Day, Type.Null()])),
  },
  { additionalProperties: false },
);

const ApplicationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    idNumber: Type.String({ minLength: 1, maxLength: 30 }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
    titleLevel: Lit(TITLE_LEVELS),
    titleName: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
    equivalentLevel: Type.Optional(Type.Boolean()),
    experienceYears: Type.Integer({ minimum: 0, maximum: 70 }),
    employer: Type.Optional(Type.Union([Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), uscc: Uscc }, { additionalProperties: false }), Type.Null()])),
    homeRegion: Region,
    specialties: Type.Array(Type.String({ pattern: '^[A-Z]([0-9]{2}){0,2}$' }), { maxItems: 20 }),
    regions: Type.Array(Region, { maxItems: 20 }),
    kinds: Type.Array(Lit(EVALUATION_KINDS), { maxItems: 3 }),
    conflicts: Type.Optional(Type.Array(ConflictBody, { maxItems: 30 })),
    materials: Type.Array(Type.Object({ code: Lit(MATERIAL_CODES), fileId: Uuid }, { additionalProperties: false }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const SpecialtySchema = Type.Object({ code: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]), level: Type.Integer(), nameZh: Type.String(), nameEn: Type.String(), industry: Type.String() });

/** Public classification, and the expert's own record: application, availability, conflicts, exit. */
export async function expertSelfRoutes(app: FastifyInstance) {
  const ctx = app.ctx;
  const { db, clock } = ctx;
  const tags = ['experts'];

  app.get(
    '/api/experts/specialties',
    {
      schema: {
        tags,
        summary: '评标专家专业分类（大类→中类→小类，公开）/ Specialty classification of experts (public)',
        response: { 200: Type.Object({ items: Type.Array(SpecialtySchema), maxSpecialties: Type.Integer() }) },
      },
    },
    async () => {
      const [rows, settings] = await Promise.all([listSpecialties(db), getSettings(db)]);
      return {
        items: rows.map((r) => ({ code: r.code, parentCode: r.parent_code, level: r.level, nameZh: r.name_zh, nameEn: r.name_en, industry: r.industry })),
        maxSpecialties: settings.max_specialties,
      };
    },
  );

  const mine = async (accountId: string) => {
    const e = await getExpertByAccount(db, accountId);
    if (!e) throw new AppError('EXPERT_NOT_APPLIED', 404, '您还没有申请成为评标专家', 'You have not applied to the expert pool');
    return presentDetail(db, e, clock.now());
  };

  app.get(
    '/api/experts/me',
    { schema: { tags, summary: '我的专家信息与审核状态 / My expert record and its status', response: { 200: ExpertDetailSchema, ...errors } } },
    async (req) => mine(requireActor(req).accountId),
  );

  app.post(
    '/api/experts/me/application',
    {
      schema: {
        tags,
        summary: '在线申请入库（或退回后重新申请）/ Apply to the expert pool (or again after a return)',
        body: ApplicationBody,
        response: { 200: ExpertDetailSchema, 201: ExpertDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const r = await submitApplication(ctx, actor, req.body as ApplicationInput);
      return reply.status(r.created ? 201 : 200).send(await mine(actor.accountId));
    },
  );

  app.post(
    '/api/experts/me/leaves',
    {
      schema: {
        tags,
        summary: '登记请假（期间不被抽取）/ Declare leave (not drawn meanwhile)',
        body: Type.Object(
          { startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }), reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 201: ExpertDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body as { startsAt: string; endsAt: string; reason: string };
      await declareLeave(ctx, actor, { startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), reason: b.reason });
      return reply.status(201).send(await mine(actor.accountId));
    },
  );

  app.delete(
    '/api/experts/me/leaves/:leaveId',
    {
      schema: {
        tags,
        summary: '撤销请假（未开始的取消，进行中的即刻结束）/ Withdraw a leave (cancel, or end now if under way)',
        params: Type.Object({ leaveId: Uuid }),
        response: { 200: ExpertDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await withdrawLeave(ctx, actor, (req.params as { leaveId: string }).leaveId);
      return mine(actor.accountId);
    },
  );

  app.post(
    '/api/experts/me/conflicts',
    {
      schema: { tags, summary: '申报回避关系（任职单位、亲属企业等）/ Declare a conflict (employer, relative’s company…)', body: ConflictBody, response: { 201: ExpertDetailSchema, ...errors } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await declareConflict(ctx, actor, req.body as ConflictInput);
      return reply.status(201).send(await mine(actor.accountId));
    },
  );

  app.post(
    '/api/experts/me/conflicts/:conflictId/end',
    {
      schema: {
        tags,
        summary: '登记回避关系的结束日期（任职类此后仍回避三年）/ Record the end of a relation (employment still avoided for 3 years)',
        params: Type.Object({ conflictId: Uuid }),
        body: Type.Object({ endedOn: Day }, { additionalProperties: false }),
        response: { 200: ExpertDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await endConflict(ctx, actor, (req.params as { conflictId: string }).conflictId, (req.body as { endedOn: string }).endedOn);
      return mine(actor.accountId);
    },
  );

  app.post(
    '/api/experts/me/exit',
    {
      schema: {
        tags,
        summary: '申请退出专家库（或撤回申请）/ Leave the pool (or withdraw the application)',
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: ExpertDetailSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await exitPool(ctx, actor, (req.body as { reason: string }).reason);
      return mine(actor.accountId);
    },
  );
}
