import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AnnouncementType } from '@yiwang/contracts';
import { hasRole, requireActor } from '../../platform/auth/actor';
import { Errors } from '../../platform/http/errors';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../../platform/http/schemas';
import { MAX_ATTACHMENTS, MAX_BODY_CHARS } from './announcements.rules';
import { getAnnouncement, listWorkbench } from './announcements.repo';
import { canView, notFound, requireAuthor, requireReviewer } from './announcements.policy';
import { TypeSchema, workbenchView, WorkbenchSchema } from './announcements.presenter';
import { approve, createDraft, reject, submitForReview, updateDraft } from './commands/workflow';

const DraftBody = Type.Object(
  {
    type: TypeSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    categoryCode: Type.String({ minLength: 1, maxLength: 64 }),
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    projectId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    bodyHtml: Type.String({ minLength: 1, maxLength: MAX_BODY_CHARS }),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: MAX_ATTACHMENTS })),
    relatedId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
type DraftBodyT = { type: AnnouncementType; title: string; categoryCode: string; regionCode: string; projectId?: string | null; bodyHtml: string; attachmentIds?: string[]; relatedId?: string | null };

const IdParams = Type.Object({ id: Uuid });
const One = Type.Object({ announcement: WorkbenchSchema });
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

/** 工作台: tenderers and agencies draft and submit; center intake staff review and publish. */
export async function announcementRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const view = async (id: string) => workbenchView((await getAnnouncement(ctx.db, id))!);

  app.post('/api/announcements', {
    schema: { tags: ['announcements'], summary: '起草公告 / Draft an announcement', body: DraftBody, response: { 201: One, ...errors } },
  }, async (req, reply) => {
    const actor = requireAuthor(req);
    const id = await createDraft(ctx, actor, req.body as DraftBodyT);
    return reply.status(201).send({ announcement: await view(id) });
  });

  app.put('/api/announcements/:id', {
    schema: { tags: ['announcements'], summary: '修改草稿 / Edit a draft', params: IdParams, body: DraftBody, response: { 200: One, ...errors } },
  }, async (req) => {
    const actor = requireAuthor(req);
    const { id } = req.params as { id: string };
    await updateDraft(ctx, actor, id, req.body as DraftBodyT);
    return { announcement: await view(id) };
  });

  app.post('/api/announcements/:id/submit', {
    schema: { tags: ['announcements'], summary: '提交审核 / Submit for review', params: IdParams, response: { 200: One, ...errors } },
  }, async (req) => {
    const actor = requireAuthor(req);
    const { id } = req.params as { id: string };
    await submitForReview(ctx, actor, id);
    return { announcement: await view(id) };
  });

  app.post('/api/announcements/:id/approve', {
    schema: { tags: ['announcements'], summary: '审核通过并发布 / Approve and publish', params: IdParams, response: { 200: One, ...errors } },
  }, async (req) => {
    const actor = requireReviewer(req);
    const { id } = req.params as { id: string };
    await approve(ctx, actor, id);
    return { announcement: await view(id) };
  });

  app.post('/api/announcements/:id/reject', {
    schema: {
      tags: ['announcements'], summary: '退回修改 / Reject back to draft', params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: One, ...errors },
    },
  }, async (req) => {
    const actor = requireReviewer(req);
    const { id } = req.params as { id: string };
    await reject(ctx, actor, id, (req.body as { reason: string }).reason);
    return { announcement: await view(id) };
  });

  app.get('/api/announcements/:id', {
    schema: { tags: ['announcements'], summary: '公告（工作台）/ Announcement (workbench)', params: IdParams, response: { 200: One, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    const row = await getAnnouncement(ctx.db, (req.params as { id: string }).id);
    if (!row || !canView(actor, row)) throw notFound();
    return { announcement: workbenchView(row) };
  });

  app.get('/api/announcements', {
    schema: {
      tags: ['announcements'],
      summary: '我的公告 / 待审队列 — My announcements / review queue',
      querystring: Type.Object({
        scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('review')])),
        status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('in_review'), Type.Literal('published')])),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(WorkbenchSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const q = req.query as { scope?: 'mine' | 'review'; status?: string; cursor?: string; limit: number };
    const scope = q.scope ?? (hasRole(actor, 'center_intake') ? 'review' : 'mine');
    if (scope === 'review') requireReviewer(req);
    else requireAuthor(req);
    const c = decodeCursor(q.cursor, 2);
    if (q.cursor && !c) throw Errors.validation('cursor', '分页游标无效', 'The cursor is invalid', 'CURSOR_INVALID');
    const page = await listWorkbench(ctx.db, {
      orgId: scope === 'mine' ? actor.orgId! : undefined,
      reviewQueue: scope === 'review',
      status: scope === 'mine' ? q.status : undefined,
      after: c ? { at: new Date(String(c[0])), id: String(c[1]) } : undefined,
      limit: q.limit,
    });
    const last = page.rows.at(-1);
    return {
      items: page.rows.map(workbenchView),
      nextCursor: page.more && last ? encodeCursor([(scope === 'review' ? last.submitted_at! : last.updated_at).toISOString(), last.id]) : null,
    };
  });
}
