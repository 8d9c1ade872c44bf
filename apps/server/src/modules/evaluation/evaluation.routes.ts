import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { Errors } from '../../platform/http/errors';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { isTenderParty } from '../tendering/index';
import { answerClarification, askClarification, clarificationsForBidder } from './commands/clarify';
import { nominateRepresentative } from './commands/committee';
import { produceReport, signReport } from './commands/report';
import { workspace } from './commands/shared';
import { setTemplate, type TemplateBody } from './commands/template';
import { committeeScores, enterScores, resolveFlag, reviewBid, submitReview, submitScores } from './commands/workspace';
import { evalErrors, loadLot, templateOf } from './evaluation.repo';
import { parseCenti } from './evaluation.rules';
import { presentTemplate, presentWorkspace } from './evaluation.presenter';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };
const tags = ['evaluation'];
const LOT = '/api/evaluation/lots/:lotId';
const LotParams = Type.Object({ lotId: Uuid });
const body = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
const Points = Type.String({ pattern: '^[0-9]{1,7}(\\.[0-9]{1,2})?$' });
const Stage = Type.Object({ stage: Type.String() }, { additionalProperties: true });
const Any = Type.Any();

const TemplateSchema = Type.Union([
  body({ method: Type.Literal('lowest_price') }),
  body({
    method: Type.Literal('comprehensive'),
    items: Type.Array(body({ code: Type.String({ minLength: 1, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), category: Type.Union([Type.Literal('technical'), Type.Literal('commercial')]), min: Points, max: Points }), { minItems: 1, maxItems: 50 }),
    price: Type.Union([
      body({ benchmark: Type.Literal('lowest'), max: Points }),
      body({ benchmark: Type.Literal('average'), max: Points, coefficient: Type.String({ maxLength: 6 }), abovePerPercent: Points, belowPerPercent: Points }),
    ]),
    trimmed: Type.Boolean(),
    deviationPercent: Type.Number({ minimum: 1, maximum: 100, multipleOf: 0.01 }),
  }),
]);

function points(field: string, s: string): number {
  const v = parseCenti(s);
  if (v == null) throw Errors.validation(field, '分值须为非负数，最多两位小数', 'Points must be non-negative with at most two decimals', 'EVAL_POINTS_INVALID');
  return v;
}

export async function evaluationRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const lotId = (req: FastifyRequest) => (req.params as { lotId: string }).lotId;

  app.put(`${LOT}/template`, { schema: { tags, summary: '设置评标办法（开标前，依招标文件）/ Set the lot’s scoring template (before the opening)', params: LotParams, body: TemplateSchema, response: { 200: Any, ...errors } } }, async (req) =>
    presentTemplate(await setTemplate(ctx, requireActor(req), lotId(req), req.body as TemplateBody)),
  );

  app.get(`${LOT}/template`, { schema: { tags, summary: '评标办法 / The lot’s scoring template', params: LotParams, response: { 200: Any, ...errors } } }, async (req) => {
    const actor = requireActor(req);
    const { tender } = await loadLot(ctx.db, lotId(req));
    const member = await workspace(ctx.db, lotId(req), actor).then(() => true, () => false);
    if (!member && !isTenderParty(actor, { ownerOrgId: tender.owner_org_id, agencyOrgId: tender.agency_org_id })) throw evalErrors.lotNotFound();
    return presentTemplate(await templateOf(ctx.db, lotId(req)));
  });

  app.post(`${LOT}/representatives`, { schema: { tags, summary: '提名招标人代表进入评标委员会 / Nominate a tenderer representative for the committee', params: LotParams, body: body({ accountId: Uuid }), response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await nominateRepresentative(ctx, requireActor(req), lotId(req), (req.body as { accountId: string }).accountId);
    return reply.status(204).send();
  });

  app.get(`${LOT}/workspace`, { schema: { tags, summary: '评标工作区（委员会成员）/ The committee member’s workspace', params: LotParams, response: { 200: Any, ...errors } } }, async (req) =>
    presentWorkspace(ctx.db, await workspace(ctx.db, lotId(req), requireActor(req))),
  );

  app.put(`${LOT}/reviews/:bidId`, { schema: { tags, summary: '资格审查：通过/不通过及理由 / Qualification review of one bid', params: Type.Object({ lotId: Uuid, bidId: Uuid }), body: body({ pass: Type.Boolean(), reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])) }), response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const b = req.body as { pass: boolean; reason?: string | null };
    await reviewBid(ctx, requireActor(req), lotId(req), { bidId: (req.params as { bidId: string }).bidId, ...b });
    return reply.status(204).send();
  });

  app.post(`${LOT}/reviews/submit`, { schema: { tags, summary: '提交资格审查结论 / Submit one’s review', params: LotParams, response: { 200: Stage, ...errors } } }, async (req) => submitReview(ctx, requireActor(req), lotId(req)));

  app.put(`${LOT}/scores`, { schema: { tags, summary: '录入本人评分（提交前可改）/ Enter one’s own scores', params: LotParams, body: body({ scores: Type.Array(body({ bidId: Uuid, item: Type.String({ minLength: 1, maxLength: 32 }), score: Points }), { minItems: 1, maxItems: 2000 }) }), response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const b = req.body as { scores: { bidId: string; item: string; score: string }[] };
    await enterScores(ctx, requireActor(req), lotId(req), b.scores.map((s, k) => ({ bidId: s.bidId, item: s.item, centi: points(`scores.${k}.score`, s.score) })));
    return reply.status(204).send();
  });

  app.post(`${LOT}/scores/submit`, { schema: { tags, summary: '提交本人评分 / Submit one’s scores', params: LotParams, response: { 200: Stage, ...errors } } }, async (req) => submitScores(ctx, requireActor(req), lotId(req)));

  app.get(`${LOT}/scores`, { schema: { tags, summary: '委员会全部评分（本人提交后）/ The committee’s scores (after submitting one’s own)', params: LotParams, response: { 200: Any, ...errors } } }, async (req) => ({
    scores: (await committeeScores(ctx.db, requireActor(req), lotId(req))).map((s) => ({ ...s, score: (s.centi / 100).toFixed(2), centi: undefined })),
  }));

  app.post(`${LOT}/flags/resolve`, { schema: { tags, summary: '确认或更正偏离评分 / Confirm or correct a deviating score', params: LotParams, body: body({ bidId: Uuid, item: Type.String({ minLength: 1, maxLength: 32 }), action: Type.Union([Type.Literal('confirm'), Type.Literal('correct')]), score: Type.Optional(Points), note: Type.String({ minLength: 2, maxLength: 1000 }) }), response: { 200: Stage, ...errors } } }, async (req) => {
    const b = req.body as { bidId: string; item: string; action: 'confirm' | 'correct'; score?: string; note: string };
    return resolveFlag(ctx, requireActor(req), lotId(req), { ...b, centi: b.score == null ? undefined : points('score', b.score) });
  });

  app.post(`${LOT}/clarifications`, { schema: { tags, summary: '向投标人发出澄清要求（主任）/ Ask a bidder to clarify (chair)', params: LotParams, body: body({ bidderOrgId: Uuid, question: Type.String({ minLength: 2, maxLength: 5000 }) }), response: { 201: Type.Object({ id: Type.String() }), ...errors } } }, async (req, reply) =>
    reply.status(201).send({ id: await askClarification(ctx, requireActor(req), lotId(req), req.body as { bidderOrgId: string; question: string }) }),
  );

  app.get('/api/evaluation/clarifications', { schema: { tags, summary: '本单位收到的澄清要求（投标人）/ Clarifications asked of my organisation', response: { 200: Any, ...errors } } }, async (req) =>
    (await clarificationsForBidder(ctx.db, requireActor(req))).map((q) => ({ id: q.id, tenderId: q.tender_id, lotId: q.lot_id, question: q.question, askedAt: q.asked_at.toISOString(), answer: q.answer, answeredAt: q.answered_at?.toISOString() ?? null })),
  );

  app.post('/api/evaluation/clarifications/:id/answer', { schema: { tags, summary: '答复澄清（投标人）/ Answer a clarification', params: Type.Object({ id: Uuid }), body: body({ answer: Type.String({ minLength: 1, maxLength: 10_000 }) }), response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await answerClarification(ctx, requireActor(req), (req.params as { id: string }).id, (req.body as { answer: string }).answer);
    return reply.status(204).send();
  });

  app.post(`${LOT}/report`, { schema: { tags, summary: '生成评标报告 PDF（主任）/ Produce the evaluation report PDF (chair)', params: LotParams, response: { 200: Type.Object({ reportSha256: Type.String(), fileId: Type.String() }), ...errors } } }, async (req) => produceReport(ctx, requireActor(req), lotId(req)));

  app.post(`${LOT}/report/sign`, { schema: { tags, summary: '签署评标报告（每位成员）/ Sign the report (every member)', params: LotParams, body: body({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }), response: { 200: Type.Object({ stage: Type.String(), ledgerSeq: Type.Integer(), handedOver: Type.Boolean() }), ...errors } } }, async (req) =>
    signReport(ctx, requireActor(req), lotId(req), (req.body as { sha256: string }).sha256),
  );
}
