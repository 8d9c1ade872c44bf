import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor, requireRole } from '../../platform/auth/actor';
import { Errors } from '../../platform/http/errors';
import { Uuid } from '../../platform/http/schemas';
import { answerObjection, raiseObjection } from './commands/objections';
import { askQuestion, publishClarification, type ClarificationInput } from './commands/clarify';
import { obtainDocuments } from './commands/obtain';
import { getClarifications, getObjection, getObjections, getQuestions, listObtains } from './tendering.repo';
import { secretUntilDeadline } from './tendering.policy';
import { ClarificationSchema, ObjectionSchema, presentObjection, QuestionSchema } from './tendering.presenter';
import { readTender } from './tendering.read';
import { errors, IdParams } from './tendering.routes';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export async function participationRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;
  const tags = ['tendering'];

  app.post(
    '/api/tendering/tenders/:id/obtain',
    {
      schema: {
        tags,
        summary: '在线获取招标文件（投标人）/ Obtain the documents (bidder)',
        params: IdParams,
        response: { 200: Type.Object({ obtainedAt: Type.String(), first: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'bidder');
      const r = await obtainDocuments(db, actor, (req.params as { id: string }).id, clock.now());
      return { obtainedAt: r.obtainedAt.toISOString(), first: r.first };
    },
  );

  app.get(
    '/api/tendering/tenders/:id/obtains',
    {
      schema: {
        tags,
        summary: '获取招标文件的单位及数量（投标截止后）/ Who obtained the documents, and how many (after the bid deadline)',
        params: IdParams,
        response: {
          200: Type.Object({
            count: Type.Integer(),
            items: Type.Array(
              Type.Object({
                orgId: Type.String(),
                name: Type.String(),
                uscc: Type.Union([Type.String(), Type.Null()]),
                obtainedAt: Type.String(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const now = clock.now();
      const { id } = req.params as { id: string };
      const r = await readTender(db, requireActor(req), id, now);
      // 招标投标法 第二十二条 / DOMAIN §7: before the deadline nobody — tenderer, agency, staff, supervisors, bidders.
      if (!r.secretsOpen)
        throw secretUntilDeadline({ zh: '获取招标文件的潜在投标人名称和数量', en: 'Who obtained the documents, and how many,' });
      if (r.kind === 'bidder')
        throw Errors.forbidden('投标人不能查看其他单位获取招标文件的情况', 'Bidders cannot see who else obtained the documents');
      const items = await listObtains(db, id);
      return {
        count: items.length,
        items: items.map((o) => ({ orgId: o.org_id, name: o.name, uscc: o.uscc, obtainedAt: o.obtained_at.toISOString() })),
      };
    },
  );

  app.post(
    '/api/tendering/tenders/:id/questions',
    {
      schema: {
        tags,
        summary: '匿名提问（已获取文件的投标人）/ Ask an anonymous question',
        params: IdParams,
        body: Type.Object({ text: Text(5000) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'bidder');
      const id = await askQuestion(db, actor, (req.params as { id: string }).id, (req.body as { text: string }).text, clock.now());
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/tendering/tenders/:id/questions',
    {
      schema: {
        tags,
        summary: '问题（不显示提问人）/ Questions (askers never shown)',
        params: IdParams,
        response: { 200: Type.Array(QuestionSchema), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { id } = req.params as { id: string };
      const r = await readTender(db, actor, id, clock.now());
      const rows = await getQuestions(db, id);
      // Bidders see only their own questions (the clarifications answer everyone); the others see all, unattributed.
      const shown = r.kind === 'bidder' ? rows.filter((q) => q.asker_org_id === actor.orgId) : rows;
      return shown.map((q) => ({
        id: q.id,
        text: q.body_text,
        askedAt: q.asked_at.toISOString(),
        clarificationId: q.clarification_id,
        mine: q.asker_org_id === actor.orgId,
      }));
    },
  );

  app.post(
    '/api/tendering/tenders/:id/clarifications',
    {
      schema: {
        tags,
        summary:
          '发布澄清/修改（招标人或代理）；晚于法定时限则顺延截止并发变更公告 / Publish a clarification; a late one moves the deadline',
        params: IdParams,
        body: Type.Object(
          {
            text: Text(20_000),
            questionIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
            fileIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
            newBidDeadline: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ClarificationSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const { id } = req.params as { id: string };
      const cid = await publishClarification(db, actor, id, req.body as ClarificationInput, clock.now());
      const c = (await getClarifications(db, id)).find((x) => x.id === cid)!;
      return reply.status(201).send(presentClarification(c));
    },
  );

  app.get(
    '/api/tendering/tenders/:id/clarifications',
    {
      schema: {
        tags,
        summary: '澄清（招标人、已获取文件的投标人、中心与监管）/ Clarifications',
        params: IdParams,
        response: { 200: Type.Array(ClarificationSchema), ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const r = await readTender(db, requireActor(req), id, clock.now());
      if (r.kind === 'bidder' && !r.obtainedAt) throw Errors.forbidden('须先获取招标文件', 'Obtain the documents first');
      return (await getClarifications(db, id)).map(presentClarification);
    },
  );

  app.post(
    '/api/tendering/tenders/:id/objections',
    {
      schema: {
        tags,
        summary: '对招标文件提出异议（已获取文件的投标人）/ Object to the documents',
        params: IdParams,
        body: Type.Object({ text: Text(20_000), lotNo: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 201: ObjectionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'bidder');
      const { id } = req.params as { id: string };
      const now = clock.now();
      const oid = await raiseObjection(db, actor, id, req.body as { text: string; lotNo?: number }, now);
      return reply
        .status(201)
        .send(presentObjection((await getObjection(db, oid))!, now, { myOrgId: actor.orgId, secretsOpen: false, objectorName: null }));
    },
  );

  app.get(
    '/api/tendering/tenders/:id/objections',
    {
      schema: {
        tags,
        summary: '异议（异议人在投标截止前不公开）/ Objections (objector hidden until the deadline)',
        params: IdParams,
        response: { 200: Type.Array(ObjectionSchema), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const now = clock.now();
      const { id } = req.params as { id: string };
      const r = await readTender(db, actor, id, now);
      let rows = await getObjections(db, id);
      if (r.kind === 'bidder') rows = rows.filter((o) => o.objector_org_id === actor.orgId);
      const names =
        r.secretsOpen && rows.length
          ? await db
              .selectFrom('organisations')
              .select(['id', 'name'])
              .where(
                'id',
                'in',
                rows.map((o) => o.objector_org_id),
              )
              .execute()
          : [];
      return rows.map((o) =>
        presentObjection(o, now, {
          myOrgId: actor.orgId,
          secretsOpen: r.secretsOpen,
          objectorName: names.find((n) => n.id === o.objector_org_id)?.name ?? null,
        }),
      );
    },
  );

  app.post(
    '/api/tendering/objections/:id/answer',
    {
      schema: {
        tags,
        summary: '答复异议（招标人或代理）/ Answer an objection',
        params: IdParams,
        body: Type.Object({ text: Text(20_000) }, { additionalProperties: false }),
        response: { 200: ObjectionSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'tenderer', 'agency');
      const { id } = req.params as { id: string };
      const now = clock.now();
      await answerObjection(db, actor, id, (req.body as { text: string }).text, now);
      return presentObjection((await getObjection(db, id))!, now, { myOrgId: actor.orgId, secretsOpen: false, objectorName: null });
    },
  );
}

function presentClarification(c: Awaited<ReturnType<typeof getClarifications>>[number]) {
  return {
    id: c.id,
    seq: c.seq,
    text: c.body_text,
    publishedAt: c.published_at.toISOString(),
    deadlineChanges: c.deadline_changes,
    changeNoticeId: c.change_notice_id,
  };
}
