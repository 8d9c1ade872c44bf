import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor, requireRole } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../../platform/http/schemas';
import { recordLedger } from '../../platform/ledger/append';
import { emitEvent } from '../../platform/outbox/emit';
import { getExpert, getSettings, listForSupervisors, specialtiesOf } from './experts.repo';
import { assertCanRead, expertNotFound, jurisdictionsOf } from './experts.policy';
import { ExpertDetailSchema, ExpertSummarySchema, presentDetail, presentSummary } from './experts.presenter';
import { approve, reject, removeExpert, returnApplication, RETURN_FIELDS, type ReturnReason } from './commands/review';
import { recordAnnualReview, rescheduleAnnualSweep } from './commands/annual';
import { addIncentive, blacklist, liftBlacklist, ratePerformance } from './commands/sanctions';
import { accessOf } from './commands/shared';
import type { ExpertStatus } from './experts.tables';

const STATUSES: readonly ExpertStatus[] = ['submitted', 'returned', 'rejected', 'active', 'suspended', 'exited', 'removed'];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const IdParams = Type.Object({ id: Uuid });
const Reason = Type.String({ minLength: 1, maxLength: 1000 });
const Lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Real calendar days only (no 02-29: the deadline must exist every year). */
function validMonthDay(mmdd: string): boolean {
  const [m, d] = mmdd.split('-').map(Number) as [number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(2023, m, 0)).getUTCDate();
}

/** The regulator's side: review queue, decisions, annual review, sanctions; performance ratings; settings. */
export async function expertReviewRoutes(app: FastifyInstance) {
  const ctx = app.ctx;
  const { db, clock } = ctx;
  const tags = ['experts'];

  async function readable(d: DbOrTx, req: Parameters<typeof requireActor>[0], id: string) {
    const actor = requireActor(req);
    const e = await getExpert(d, id);
    if (!e) throw expertNotFound();
    assertCanRead(actor, accessOf(e));
    return presentDetail(d, e, clock.now());
  }

  app.get(
    '/api/experts',
    {
      schema: {
        tags,
        summary: '专家审核队列与辖区专家名录（监管部门）/ Review queue and the experts in one’s jurisdiction (supervisors)',
        querystring: Type.Object(
          {
            status: Type.Optional(Lit(STATUSES)),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ExpertSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'regulator', 'manager', 'auditor');
      const q = req.query as { status?: ExpertStatus; cursor?: string; limit?: number };
      const limit = q.limit ?? 20;
      const after = decodeCursor(q.cursor, 1)?.[0];
      const rows = await listForSupervisors(db, { status: q.status, limit, afterSerial: typeof after === 'number' ? after : undefined, jurisdictions: jurisdictionsOf(actor) });
      const page = rows.slice(0, limit);
      const specs = await specialtiesOf(db, page.map((r) => r.id));
      return {
        items: page.map((r) => presentSummary(r, specs.get(r.id) ?? [])),
        nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.serial_no]) : null,
      };
    },
  );

  app.get(
    '/api/experts/:id',
    { schema: { tags, summary: '专家详情 / An expert record', params: IdParams, response: { 200: ExpertDetailSchema, ...errors } } },
    async (req) => readable(db, req, (req.params as { id: string }).id),
  );

  const decision = (
    path: string,
    summary: string,
    body: Parameters<typeof Type.Object>[0],
    run: (actor: ReturnType<typeof requireActor>, id: string, body: Record<string, unknown>) => Promise<unknown>,
    status = 200,
  ) =>
    app.post(
      `/api/experts/:id/${path}`,
      {
        schema: {
          tags,
          summary,
          params: IdParams,
          body: Type.Object(body, { additionalProperties: false }),
          response: { [status]: ExpertDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const id = (req.params as { id: string }).id;
        await run(actor, id, req.body as Record<string, unknown>);
        const e = (await getExpert(db, id))!;
        // The decider may no longer read it only if it was their own record, which the policy refuses earlier.
        return reply.status(status).send(await presentDetail(db, e, clock.now()));
      },
    );

  decision('approve', '审核通过，入库 / Approve: the expert enters the pool', { comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) }, (a, id, b) =>
    approve(ctx, a, id, (b.comment as string | null | undefined) ?? null),
  );
  decision(
    'return',
    '退回补正（逐项写明理由）/ Return for correction, with reasons per item',
    { reasons: Type.Array(Type.Object({ field: Lit(RETURN_FIELDS), note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }) },
    (a, id, b) => returnApplication(ctx, a, id, b.reasons as ReturnReason[]),
  );
  decision('reject', '不予入库 / Reject', { reason: Reason }, (a, id, b) => reject(ctx, a, id, b.reason as string));
  decision('remove', '取消专家资格（清退）/ Remove from the pool for good', { reason: Reason }, (a, id, b) => removeExpert(ctx, a, id, b.reason as string));
  decision(
    'annual-reviews',
    '登记年度考核结果（不合格即暂停抽取）/ Record the annual review (a fail suspends)',
    { year: Type.Integer({ minimum: 2000, maximum: 2100 }), result: Lit(['pass', 'fail'] as const), comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) },
    (a, id, b) => recordAnnualReview(ctx, a, id, b as { year: number; result: 'pass' | 'fail'; comment?: string | null }),
    201,
  );
  decision(
    'blacklist',
    '列入黑名单（期限内不得抽取；不填结束时间为无限期）/ Blacklist (never drawn during the bar; no end = indefinite)',
    {
      reason: Reason,
      basis: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
      startsAt: Type.Optional(Type.String({ format: 'date-time' })),
      endsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    },
    (a, id, b) =>
      blacklist(ctx, a, id, {
        reason: b.reason as string,
        basis: (b.basis as string | null | undefined) ?? null,
        startsAt: b.startsAt ? new Date(b.startsAt as string) : undefined,
        endsAt: b.endsAt ? new Date(b.endsAt as string) : null,
      }),
    201,
  );
  decision(
    'incentives',
    '登记激励或惩戒分 / Record incentive or penalty points',
    { kind: Lit(['incentive', 'penalty'] as const), points: Type.Integer({ minimum: 1, maximum: 100 }), reason: Reason },
    (a, id, b) => addIncentive(ctx, a, id, b as { kind: 'incentive' | 'penalty'; points: number; reason: string }),
    201,
  );

  app.post(
    '/api/experts/:id/blacklist/:entryId/lift',
    {
      schema: {
        tags,
        summary: '提前解除黑名单 / Lift a bar early',
        params: Type.Object({ id: Uuid, entryId: Uuid }),
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: ExpertDetailSchema, ...errors },
      },
    },
    async (req) => {
      const { id, entryId } = req.params as { id: string; entryId: string };
      await liftBlacklist(ctx, requireActor(req), id, entryId, (req.body as { reason: string }).reason);
      return presentDetail(db, (await getExpert(db, id))!, clock.now());
    },
  );

  app.post(
    '/api/experts/:id/performance',
    {
      schema: {
        tags,
        summary: '评审结束后评价专家表现（1–5 分）/ Rate an expert after an evaluation (1–5)',
        params: IdParams,
        body: Type.Object(
          { evaluationRef: Type.String({ minLength: 1, maxLength: 100 }), rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body as { evaluationRef: string; rating: number; comment?: string | null };
      const id = await ratePerformance(ctx, actor, { expertId: (req.params as { id: string }).id, ...b });
      return reply.status(201).send({ id });
    },
  );

  const SettingsSchema = Type.Object({ maxSpecialties: Type.Integer(), annualReviewDue: Type.String() });
  app.put(
    '/api/experts/settings',
    {
      schema: {
        tags,
        summary: '专家库设置：可选专业数上限、年度考核截止日 / Registry settings: specialties per expert, annual review deadline',
        body: Type.Object(
          { maxSpecialties: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })), annualReviewDue: Type.Optional(Type.String({ pattern: '^[0-9]{2}-[0-9]{2}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: SettingsSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'admin');
      const b = req.body as { maxSpecialties?: number; annualReviewDue?: string };
      if (b.annualReviewDue && !validMonthDay(b.annualReviewDue))
        throw new AppError('VALIDATION_FAILED', 400, '截止日须为每年都有的日期（MM-DD，不含 02-29）', 'The deadline must be a day every year has (MM-DD, not 02-29)', 'annualReviewDue');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const before = await getSettings(trx);
        await trx
          .updateTable('expert_settings')
          .set({ max_specialties: b.maxSpecialties ?? before.max_specialties, annual_review_due: b.annualReviewDue ?? before.annual_review_due, updated_at: now, updated_by: actor.accountId })
          .execute();
        const after = await getSettings(trx);
        if (after.annual_review_due !== before.annual_review_due) await rescheduleAnnualSweep(trx, now);
        const payload = { maxSpecialties: after.max_specialties, annualReviewDue: after.annual_review_due, before: { maxSpecialties: before.max_specialties, annualReviewDue: before.annual_review_due } };
        await recordLedger(trx, { type: 'expert.settings_changed', subjectType: 'expert_settings', subjectId: 'registry', actorId: actor.accountId, payload }, now);
        await emitEvent(trx, { type: 'expert.settings_changed', payload }, now);
        return { maxSpecialties: after.max_specialties, annualReviewDue: after.annual_review_due };
      });
    },
  );
}
