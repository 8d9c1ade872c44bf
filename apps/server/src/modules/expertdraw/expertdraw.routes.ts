import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../platform/auth/actor';
import { Type } from 'typebox';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { AppError, Errors } from '../../platform/http/errors';
import { recordLedger } from '../../platform/ledger/append';
import { executeFirst } from './commands/draw';
import { requestDraw, type RequestInput } from './commands/request';
import { checkIn, confirm, decline, retrySeating, retryVacancies } from './commands/respond';
import { assertCenterOperator, assertExpert, assertRequester, viewerOf } from './expertdraw.policy';
import { InvitationView, presentInvitations, presentRequest, RequestView } from './expertdraw.presenter';
import * as repo from './expertdraw.repo';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const Params = Type.Object({ id: Uuid });
const Kind = Type.Union([Type.Literal('works'), Type.Literal('government_procurement'), Type.Literal('other')]);
const Region = Type.String({ pattern: '^[0-9]{2,6}$' });
const Settings = Type.Object({
  daysBefore: Type.Integer({ minimum: 0, maximum: 7 }),
  maxPerTenderer: Type.Integer({ minimum: 1, maximum: 100 }),
  frequencyDays: Type.Integer({ minimum: 1, maximum: 3660 }),
  confirmMinutes: Type.Integer({ minimum: 5, maximum: 2880 }),
  /** How drawn experts are told besides the inbox: SMS and/or a voice call (语音通知). */
  inviteChannels: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('voice')]), { minItems: 1, maxItems: 2, uniqueItems: true }),
});
const SettingsBody = Type.Object({ ...Settings.properties, inviteChannels: Type.Optional(Settings.properties.inviteChannels) }, { additionalProperties: false });
const presentSettings = (s: Awaited<ReturnType<typeof repo.settings>>) => ({
  daysBefore: s.days_before,
  maxPerTenderer: s.max_per_tenderer,
  frequencyDays: s.frequency_days,
  confirmMinutes: s.confirm_minutes,
  inviteChannels: s.invite_channels as ('sms' | 'voice')[],
});

export async function expertDrawRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tags = ['expertdraw'];

  /** Custodian or party of the request's tender, else 404 (bidders and strangers learn nothing, not even that it exists). */
  async function visible(req: { actor: Parameters<typeof viewerOf>[0] }, id: string) {
    const r = await repo.getRequest(ctx.db, id);
    if (!r) throw repo.notFound();
    const viewer = viewerOf(req.actor, await repo.tenderOf(ctx.db, r.tender_id));
    if (!viewer) throw req.actor ? repo.notFound() : Errors.unauthenticated();
    return viewer;
  }

  app.post(
    '/api/expert-draws',
    {
      schema: {
        tags,
        summary: '申请抽取评标专家（按专业人数、本地或异地、评标时间）；申请时即承诺抽取种子 / Request a lot’s experts; the draw seed is committed now',
        body: Type.Object(
          {
            tenderId: Uuid,
            lotNo: Type.Integer({ minimum: 1 }),
            quotas: Type.Array(Type.Object({ code: Type.String({ pattern: '^[A-Z][0-9]{0,4}$' }), count: Type.Integer({ minimum: 1, maximum: 49 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 40 }),
            regions: Type.Optional(Type.Array(Region, { maxItems: 20 })),
            remote: Type.Optional(Type.Boolean()),
            kinds: Type.Optional(Type.Array(Kind, { maxItems: 3 })),
            evaluationAt: Type.String({ format: 'date-time' }),
            evaluationEndsAt: Type.Optional(Type.String({ format: 'date-time' })),
            confirmMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 2880 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: RequestView, ...errors },
      },
    },
    async (req, reply) => {
      const actor = assertRequester(req.actor);
      const now = ctx.clock.now();
      const id = await ctx.db.transaction().execute((trx) => requestDraw(trx, actor, req.body as RequestInput, now));
      return reply.status(201).send(await presentRequest(ctx.db, id, 'party'));
    },
  );

  app.get(
    '/api/expert-draws',
    {
      schema: {
        tags,
        summary: '某标段的专家抽取申请 / The expert draw of a lot',
        querystring: Type.Object({ tenderId: Uuid, lotNo: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const q = req.query as { tenderId: string; lotNo: number };
      const row = await ctx.db.selectFrom('expert_draw_requests').select('id').where('tender_id', '=', q.tenderId).where('lot_no', '=', q.lotNo).executeTakeFirst();
      if (!row) {
        if (!req.actor) throw Errors.unauthenticated();
        throw repo.notFound();
      }
      return presentRequest(ctx.db, row.id, await visible(req, row.id));
    },
  );

  app.get(
    '/api/expert-draws/:id',
    {
      schema: {
        tags,
        summary: '专家抽取详情：交易中心与监管可见姓名，招标人仅见人数与状态（结果公布前） / An expert draw: names to custodians only until published',
        params: Params,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return presentRequest(ctx.db, id, await visible(req, id));
    },
  );

  app.post(
    '/api/expert-draws/:id/execute',
    {
      schema: {
        tags,
        summary: '执行专家抽取（交易中心）：回避后按专业抽取并通知专家 / Run the draw (center staff): avoidance, lottery, notifications',
        params: Params,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const actor = assertCenterOperator(req.actor);
      const { id } = req.params as { id: string };
      const now = ctx.clock.now();
      await ctx.db.transaction().execute(async (trx) => {
        const r = await repo.lockRequest(trx, id);
        if (!r) throw repo.notFound();
        await executeFirst(trx, r, actor.accountId, now);
      });
      return presentRequest(ctx.db, id, 'custodian');
    },
  );

  /** A center-staff retry on a request; answers with the custodian's view of it. */
  const centerRetry = (path: string, summary: string, run: (trx: Parameters<typeof retrySeating>[0], actor: Actor, id: string, now: Date) => Promise<unknown>) =>
    app.post(path, { schema: { tags, summary, params: Params, response: { 200: RequestView, ...errors } } }, async (req) => {
      const actor = assertCenterOperator(req.actor);
      const { id } = req.params as { id: string };
      const now = ctx.clock.now();
      await ctx.db.transaction().execute((trx) => run(trx, actor, id, now));
      return presentRequest(ctx.db, id, 'custodian');
    });
  centerRetry('/api/expert-draws/:id/replacements', '重新补抽空缺席位（交易中心，补抽因人数不足未成时） / Retry filling vacant seats after a shortage', retryVacancies);
  centerRetry('/api/expert-draws/:id/seat', '重新组建评标委员会（交易中心，自动组建未成时） / Retry seating the committee after a failed attempt', retrySeating);

  app.get(
    '/api/expert-draws/invitations/mine',
    { schema: { tags, summary: '我的抽取通知（专家） / My draw invitations (expert)', response: { 200: Type.Array(InvitationView), ...errors } } },
    async (req) => presentInvitations(ctx.db, assertExpert(req.actor).accountId),
  );

  const MemberParams = Type.Object({ id: Uuid });
  app.post(
    '/api/expert-draws/invitations/:id/confirm',
    { schema: { tags, summary: '确认参加评标 / Confirm attendance', params: MemberParams, response: { 200: Type.Array(InvitationView), ...errors } } },
    async (req) => {
      const actor = assertExpert(req.actor);
      const now = ctx.clock.now();
      await ctx.db.transaction().execute((trx) => confirm(trx, actor, (req.params as { id: string }).id, now));
      return presentInvitations(ctx.db, actor.accountId);
    },
  );

  app.post(
    '/api/expert-draws/invitations/:id/decline',
    {
      schema: {
        tags,
        summary: '拒绝参加评标（将补抽） / Decline (a replacement is drawn)',
        params: MemberParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(InvitationView), ...errors },
      },
    },
    async (req) => {
      const actor = assertExpert(req.actor);
      const now = ctx.clock.now();
      await ctx.db.transaction().execute((trx) => decline(trx, actor, (req.params as { id: string }).id, (req.body as { reason: string }).reason.trim(), now));
      return presentInvitations(ctx.db, actor.accountId);
    },
  );

  app.post(
    '/api/expert-draws/invitations/:id/check-in',
    {
      schema: {
        tags,
        summary: '评标签到；如申报回避则作废并补抽 / Check in; declaring a conflict voids the seat and draws a replacement',
        params: MemberParams,
        body: Type.Object({ conflict: Type.Union([Type.Null(), Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false })]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ voided: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const actor = assertExpert(req.actor);
      const now = ctx.clock.now();
      const body = req.body as { conflict: { reason: string } | null };
      const r = await ctx.db.transaction().execute((trx) => checkIn(trx, actor, (req.params as { id: string }).id, body.conflict, now));
      return { voided: r.voided };
    },
  );

  app.get(
    '/api/expert-draws/settings',
    { schema: { tags, summary: '专家抽取政策参数 / Draw policy values', response: { 200: Settings, ...errors } } },
    async (req) => {
      if (!req.actor) throw Errors.unauthenticated();
      return presentSettings(await repo.settings(ctx.db));
    },
  );

  app.put(
    '/api/expert-draws/settings',
    { schema: { tags, summary: '修改专家抽取政策参数（平台管理员） / Change the draw policy values (administrator)', body: SettingsBody, response: { 200: Settings, ...errors } } },
    async (req) => {
      if (!req.actor) throw Errors.unauthenticated();
      if (!req.actor.roles.some((g) => g.role === 'admin')) throw Errors.forbidden();
      const b = req.body as { daysBefore: number; maxPerTenderer: number; frequencyDays: number; confirmMinutes: number; inviteChannels?: ('sms' | 'voice')[] };
      const now = ctx.clock.now();
      const actorId = req.actor.accountId;
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('expert_draw_settings')
          .set({ days_before: b.daysBefore, max_per_tenderer: b.maxPerTenderer, frequency_days: b.frequencyDays, confirm_minutes: b.confirmMinutes, updated_at: now, updated_by: actorId })
          .execute();
        if (b.inviteChannels) await trx.updateTable('expert_draw_settings').set({ invite_channels: [...b.inviteChannels].sort() }).execute();
        await recordLedger(trx, { type: 'expertdraw.settings_changed', subjectType: 'expert_draw_settings', subjectId: 'settings', actorId, payload: b }, now);
      });
      return presentSettings(await repo.settings(ctx.db));
    },
  );

  app.put(
    '/api/expert-draws/invitations/preference',
    {
      schema: {
        tags,
        summary: '抽取通知是否同时语音呼叫（专家本人） / Whether draw invitations also call me (the expert)',
        body: Type.Object({ voice: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Object({ voice: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const actor = assertExpert(req.actor);
      const { voice } = req.body as { voice: boolean };
      const hit = await ctx.db.updateTable('experts').set({ invite_by_voice: voice }).where('account_id', '=', actor.accountId).returning('invite_by_voice').executeTakeFirst();
      if (!hit) throw new AppError('EXPERT_NOT_FOUND', 404, '没有您的专家记录', 'You have no expert record');
      return { voice: hit.invite_by_voice };
    },
  );
}
