import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { contentDisposition, openUpload } from '../../platform/files/index';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { getLotById, getTender } from '../tendering/index';
import { getAwardLot } from './award.repo';
import { isParty, lotNotFound } from './award.policy';
import { AwardLotSchema, ObjectionSchema, presentLot, presentObjection } from './award.presenter';
import { awardLot } from './commands/award';
import { addPerformance, recordContract } from './commands/contract';
import { endLot } from './commands/ending';
import { enterEvaluationResult } from './commands/evaluation';
import { answerResultObjection, raiseResultObjection } from './commands/objections';
import { publishPublicity } from './commands/publicity';
import { retender } from './commands/retender';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
  503: ProblemSchema,
};
const LotParams = Type.Object({ tenderId: Uuid, lotNo: Type.Integer({ minimum: 1, maximum: 10_000 }) });
const LOT = '/api/award/tenders/:tenderId/lots/:lotNo';
const Instant = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Fen = Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000 });
const Text = Type.String({ minLength: 2, maxLength: 5000 });
const Warnings = Type.Array(
  Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), dueAt: Type.String(), at: Type.String() }),
);
const Refunds = Type.Array(Type.Object({ id: Type.String(), bidderOrgId: Type.String(), amountFen: Type.Integer(), dueAt: Instant }));
const iso = (d: Date) => d.toISOString();

export async function awardRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tags = ['award'];
  /** Lots are addressed as the tender's lot number (标段号), as in the tendering and bidding routes. */
  const lotOf = async (req: { params: unknown }) => {
    const { tenderId, lotNo } = req.params as { tenderId: string; lotNo: number };
    const l = await ctx.db
      .selectFrom('tender_lots')
      .select('id')
      .where('tender_id', '=', tenderId)
      .where('lot_no', '=', lotNo)
      .executeTakeFirst();
    if (!l) throw lotNotFound();
    return l.id;
  };
  const view = async (req: { actor: Parameters<typeof presentLot>[1]; params: unknown }) =>
    presentLot(ctx.db, req.actor, await lotOf(req), ctx.clock.now());

  app.get(
    LOT,
    {
      schema: {
        tags,
        summary: '标段开标后的评标结果、公示、异议、定标、合同 / A lot after its opening',
        params: LotParams,
        response: { 200: AwardLotSchema, ...errors },
      },
    },
    async (req) => {
      requireActor(req);
      return view(req);
    },
  );

  app.post(
    `${LOT}/evaluation-result`,
    {
      schema: {
        tags,
        summary:
          '录入评标结果（专家评标系统接入前由招标人/代理机构录入）/ Enter the evaluation result (until expert evaluation is connected)',
        params: LotParams,
        body: Type.Object(
          {
            reportFileId: Uuid,
            reportReceivedAt: Type.Optional(Instant),
            candidates: Type.Array(
              Type.Object(
                {
                  rank: Type.Integer({ minimum: 1, maximum: 3 }),
                  bidderOrgId: Uuid,
                  score: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1000 }), Type.Null()])),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 3 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: AwardLotSchema, ...errors },
      },
    },
    async (req) => {
      await enterEvaluationResult(ctx, requireActor(req), await lotOf(req), req.body as never);
      return view(req);
    },
  );

  app.post(
    `${LOT}/publicity`,
    {
      schema: {
        tags,
        summary: '发布中标候选人公示（招标投标法实施条例第五十四条）/ Publish the candidate publicity',
        params: LotParams,
        body: Type.Object(
          { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })), note: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ noticeId: Type.String(), startsAt: Instant, endsAt: Instant, warnings: Warnings }), ...errors },
      },
    },
    async (req) => {
      const r = await publishPublicity(ctx, requireActor(req), await lotOf(req), (req.body ?? {}) as never);
      return { ...r, startsAt: iso(r.startsAt), endsAt: iso(r.endsAt) };
    },
  );

  app.post(
    `${LOT}/objections`,
    {
      schema: {
        tags,
        summary: '对评标/中标结果提出异议或质疑（投标人）/ Object to the result (bidders)',
        params: LotParams,
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 201: ObjectionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const o = await raiseResultObjection(ctx, actor, await lotOf(req), req.body as { text: string });
      return reply.status(201).send(presentObjection(o, actor, false, new Map(), ctx.clock.now()));
    },
  );

  app.post(
    '/api/award/objections/:id/answer',
    {
      schema: {
        tags,
        summary: '答复对结果的异议/质疑 / Answer an objection to the result',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 200: Type.Object({ ...ObjectionSchema.properties, late: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const o = await answerResultObjection(ctx, actor, (req.params as { id: string }).id, req.body as { text: string });
      return { ...presentObjection(o, actor, true, new Map(), ctx.clock.now()), late: o.late };
    },
  );

  app.post(
    `${LOT}/award`,
    {
      schema: {
        tags,
        summary: '定标：中标结果公告、中标通知书 / Award: result announcement and notice of award',
        params: LotParams,
        body: Type.Object(
          { winnerOrgId: Type.Optional(Uuid), reason: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            resultNoticeId: Type.String(),
            notice: Type.Object({
              noticeNo: Type.String(),
              fileId: Type.String(),
              sha256: Type.String(),
              contentSha256: Type.String(),
              ledgerSeq: Type.Integer(),
              pdfLedgerSeq: Type.Integer(),
            }),
            contractDueAt: Instant,
            warnings: Warnings,
            refunds: Refunds,
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await awardLot(ctx, requireActor(req), await lotOf(req), (req.body ?? {}) as never);
      return { ...r, contractDueAt: iso(r.contractDueAt), refunds: r.refunds.map((x) => ({ ...x, dueAt: iso(x.dueAt) })) };
    },
  );

  app.get(
    `${LOT}/notice.pdf`,
    {
      schema: {
        tags,
        summary: '下载中标通知书（中标人、招标人及其代理机构）/ Download the notice of award (winner, tenderer, agency)',
        params: LotParams,
        response: { 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const lot = await getLotById(ctx.db, await lotOf(req));
      const tender = lot && (await getTender(ctx.db, lot.tender_id));
      const a = lot && (await getAwardLot(ctx.db, lot.id));
      if (!tender || !a?.notice_file_id || !(isParty(actor, tender) || (actor.orgId && actor.orgId === a.winner_org_id)))
        throw lotNotFound();
      const { meta, body } = await openUpload({ db: ctx.db, files: ctx.files }, actor, a.notice_file_id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-length', String(meta.size))
        .header('content-disposition', contentDisposition(meta.name))
        .header('x-content-type-options', 'nosniff')
        .header('repr-digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`)
        .send(body);
    },
  );

  app.post(
    `${LOT}/contract`,
    {
      schema: {
        tags,
        summary: '登记并公告合同（招标投标法第四十六条；政府采购法实施条例第五十条）/ Record and publish the contract',
        params: LotParams,
        body: Type.Object(
          {
            fileId: Uuid,
            publicFileId: Type.Optional(Uuid),
            valueFen: Fen,
            signedAt: Instant,
            periodStart: Type.Optional(Day),
            periodEnd: Type.Optional(Day),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            contractId: Type.String(),
            noticeId: Type.Union([Type.String(), Type.Null()]),
            warnings: Warnings,
            refunds: Refunds,
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const r = await recordContract(ctx, requireActor(req), await lotOf(req), req.body as never);
      return reply.status(201).send({
        contractId: r.contract.id,
        noticeId: r.contract.notice_id,
        warnings: r.warnings,
        refunds: r.refunds.map((x) => ({ ...x, dueAt: iso(x.dueAt) })),
      });
    },
  );

  app.post(
    `${LOT}/performance`,
    {
      schema: {
        tags,
        summary: '登记履约信息（付款、里程碑）/ Record performance (payments, milestones)',
        params: LotParams,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('payment'), Type.Literal('milestone')]),
            occurredOn: Day,
            amountFen: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_000_000_000_000_000 })),
            description: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ id: (await addPerformance(ctx, requireActor(req), await lotOf(req), req.body as never)).id }),
  );

  for (const [path, kind, summary] of [
    ['terminate', 'terminated', '终止招标（招标投标法实施条例第三十一条）/ Terminate the lot'],
    ['fail', 'failed', '流标/废标 / Declare the lot failed'],
  ] as const) {
    app.post(
      `${LOT}/${path}`,
      {
        schema: {
          tags,
          summary,
          params: LotParams,
          body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ noticeId: Type.Union([Type.String(), Type.Null()]), refunds: Refunds }), ...errors },
        },
      },
      async (req) => {
        const r = await endLot(ctx, requireActor(req), await lotOf(req), { kind, reason: (req.body as { reason: string }).reason });
        return { noticeId: r.noticeId, refunds: r.refunds.map((x) => ({ ...x, dueAt: iso(x.dueAt) })) };
      },
    );
  }

  app.post(
    `${LOT}/retender`,
    {
      schema: {
        tags,
        summary: '重新招标（新招标记录 retender_of）/ Re-tender a failed or terminated lot',
        params: LotParams,
        body: Type.Object(
          {
            procedureType: Type.Optional(Type.String({ pattern: '^[a-z][a-z_]{1,40}$' })),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            noticeHtml: Type.Optional(Type.String({ maxLength: 100_000 })),
            plannedPublishAt: Type.Optional(Instant),
            depositFen: Fen,
            bidDeadline: Instant,
            documentIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }),
            escrow: Type.Object(
              { k: Type.Integer({ minimum: 2, maximum: 20 }), custodianAccountIds: Type.Array(Uuid, { minItems: 3, maxItems: 20 }) },
              { additionalProperties: false },
            ),
            invitedOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ tenderId: Type.String(), lotId: Type.String() }), ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await retender(ctx, requireActor(req), await lotOf(req), req.body as never)),
  );
}
