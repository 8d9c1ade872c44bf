import { Value } from 'typebox/value';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { verifyDrawRecord, type DrawRecord } from '@yiwang/contracts/lottery';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { commitDraw, drawRequester, drawsOfSubject, executeDraw, getDrawRecord, lotteryErrors, nodeSha256, revealDraw } from '../../platform/lottery/index';
import { assertCenterDraw, assertCenterOperator, CENTER_PURPOSES, CENTER_SUBJECT_PREFIX, isCustodian } from './lottery.policy';
import { DrawRecordBody, DrawRecordSchema, DrawSummarySchema, VerificationSchema } from './lottery.schemas';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema, 422: ProblemSchema };
const Params = Type.Object({ id: Uuid });
const Id = Type.String({ minLength: 1, maxLength: 128 });
/** Draws run by hand through these routes live in their own subject namespace, apart from the business modules'. */
const subjectOf = (s: string) => `${CENTER_SUBJECT_PREFIX}${s.trim()}`;
/** A record of a 100,000-candidate pool is ~6 MB of JSON. */
const RECORD_BODY_LIMIT = 16 * 1024 * 1024;

export async function lotteryRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tags = ['lottery'];

  app.post(
    '/api/lottery/draws',
    {
      schema: {
        tags,
        summary: '承诺一次抽取（工位分配、远程异地评标副场、同分抽签）：先公布种子承诺，再提交候选 / Commit to a draw before its inputs exist',
        body: Type.Object(
          {
            purpose: Type.Union(CENTER_PURPOSES.map((p) => Type.Literal(p))),
            subject: Type.String({ minLength: 1, maxLength: 190 }),
            revealAfter: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
            replaces: Type.Optional(Type.Object({ drawId: Uuid, reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        response: { 201: DrawRecordSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = assertCenterOperator(req.actor);
      const body = req.body as { purpose: string; subject: string; revealAfter?: string | null; replaces?: { drawId: string; reason: string } };
      const now = ctx.clock.now();
      const d = await ctx.db.transaction().execute((trx) =>
        commitDraw(
          trx,
          {
            purpose: body.purpose,
            subject: subjectOf(body.subject),
            secret: false,
            revealAfter: body.revealAfter ? new Date(body.revealAfter) : null,
            replaces: body.replaces ?? null,
            actorId: actor.accountId,
          },
          now,
        ),
      );
      return reply.status(201).send(await getDrawRecord(ctx.db, d.id, { custodian: true }));
    },
  );

  app.post(
    '/api/lottery/draws/:id/execute',
    {
      bodyLimit: RECORD_BODY_LIMIT,
      // Checked with TypeBox, not the app's Ajv: with coerceTypes 'array', Ajv's first anyOf branch (null) turns a
      // one-element array into its element in place, and the array branch then fails — a replacement draw, which
      // selects one expert, was refused with "execution must be null". A record is checked exactly as submitted.
      validatorCompiler: ({ schema }) => (data: unknown) => {
        if (Value.Check(schema as TSchema, data)) return { value: data };
        const first = [...Value.Errors(schema as TSchema, data)].slice(0, 1);
        return { error: Object.assign(new Error(first[0]?.message ?? 'invalid'), { validation: first, statusCode: 400 }) };
      },
      schema: {
        tags,
        summary: '执行已承诺的抽取（仅一次）/ Execute a committed draw (once)',
        params: Params,
        body: Type.Object(
          {
            candidates: Type.Array(Type.Union([Id, Type.Object({ id: Id, groups: Type.Optional(Type.Array(Id, { maxItems: 100 })) }, { additionalProperties: false })]), {
              minItems: 1,
              maxItems: 100_000,
            }),
            count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            strata: Type.Optional(
              Type.Array(Type.Object({ group: Id, count: Type.Integer({ minimum: 1, maximum: 100_000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
            ),
            assignTo: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100_000 })),
            exclusions: Type.Optional(
              Type.Array(
                Type.Object({ id: Id, reason: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }), detail: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
                { maxItems: 10_000 },
              ),
            ),
            entropy: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DrawRecordSchema, ...errors },
      },
    },
    async (req) => {
      const actor = assertCenterOperator(req.actor);
      const { id } = req.params as { id: string };
      const body = req.body as {
        candidates: (string | { id: string; groups?: string[] })[];
        count?: number;
        strata?: { group: string; count: number }[];
        assignTo?: string[];
        exclusions?: { id: string; reason: string; detail: string }[];
        entropy?: string;
      };
      const who = await drawRequester(ctx.db, id);
      if (!who) throw lotteryErrors.notFound();
      assertCenterDraw(who);
      const strata = body.strata ?? [{ group: '*', count: body.count ?? body.assignTo?.length ?? 1 }];
      const now = ctx.clock.now();
      await ctx.db.transaction().execute((trx) =>
        executeDraw(
          trx,
          id,
          {
            candidates: body.candidates.map((c) => (typeof c === 'string' ? { id: c, groups: [] } : { id: c.id, groups: c.groups ?? [] })),
            strata,
            assignTo: body.assignTo ?? null,
            exclusions: body.exclusions ?? [],
            entropy: body.entropy ?? '',
            actorId: actor.accountId,
          },
          now,
        ),
      );
      return getDrawRecord(ctx.db, id, { custodian: true });
    },
  );

  app.post(
    '/api/lottery/draws/:id/reveal',
    {
      schema: { tags, summary: '保密期结束后揭示种子 / Reveal the seed once the secrecy period has ended', params: Params, response: { 200: DrawRecordSchema, ...errors } },
    },
    async (req) => {
      const actor = assertCenterOperator(req.actor);
      const { id } = req.params as { id: string };
      const who = await drawRequester(ctx.db, id);
      if (!who) throw lotteryErrors.notFound();
      assertCenterDraw(who);
      const now = ctx.clock.now();
      await ctx.db.transaction().execute((trx) => revealDraw(trx, id, now, actor.accountId));
      return getDrawRecord(ctx.db, id, { custodian: true });
    },
  );

  app.get(
    '/api/lottery/draws/:id/record',
    {
      schema: {
        tags,
        summary: '抽取记录（公开；种子在保密期后公布）/ The public draw record (the seed after the secrecy period)',
        params: Params,
        response: { 200: DrawRecordSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const who = await drawRequester(ctx.db, id);
      if (!who) throw lotteryErrors.notFound();
      return getDrawRecord(ctx.db, id, { custodian: isCustodian(req.actor, who.requestedBy) });
    },
  );

  app.get(
    '/api/lottery/draws',
    {
      schema: {
        tags,
        summary: '某事项的全部抽取（含补抽），按先后 / Every draw of a subject, re-draws included, in order',
        querystring: Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DrawSummarySchema) }), 400: ProblemSchema },
      },
    },
    async (req) => ({ items: await drawsOfSubject(ctx.db, (req.query as { subject: string }).subject) }),
  );

  app.post(
    '/api/lottery/verify',
    {
      bodyLimit: RECORD_BODY_LIMIT,
      // Checked with TypeBox, not the app's Ajv: with coerceTypes 'array', Ajv's first anyOf branch (null) turns a
      // one-element array into its element in place, and the array branch then fails — a replacement draw, which
      // selects one expert, was refused with "execution must be null". A record is checked exactly as submitted.
      validatorCompiler: ({ schema }) => (data: unknown) => {
        if (Value.Check(schema as TSchema, data)) return { value: data };
        const first = [...Value.Errors(schema as TSchema, data)].slice(0, 1);
        return { error: Object.assign(new Error(first[0]?.message ?? 'invalid'), { validation: first, statusCode: 400 }) };
      },
      schema: {
        tags,
        summary: '验证抽取记录（公开；按记录重算结果）/ Verify a draw record (public; recomputes the result from the record)',
        body: DrawRecordBody,
        response: { 200: VerificationSchema, 400: ProblemSchema, 413: ProblemSchema },
      },
    },
    async (req) => verifyDrawRecord(req.body as DrawRecord, nodeSha256),
  );
}
