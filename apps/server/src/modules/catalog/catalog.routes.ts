import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { hasRole, requireActor, requireRole } from '../../platform/auth/actor';
import { Errors } from '../../platform/http/errors';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import type { CatalogEntry, ProcedureType } from './catalog.rules';
import { getVersion, getVersionInForce, listComments, listEntries, listVersions } from './catalog.repo';
import { CommentSchema, EntryCodePattern, EntrySchema, MaterialSchema, ProcedureTypeSchema, ThresholdSchema, VersionDetailSchema, VersionSummarySchema, presentComment, presentEntry, presentVersion } from './catalog.presenter';
import { addComment, createDraft, deleteEntry, publish, putEntry } from './commands/versions';

const IdParams = Type.Object({ id: Uuid });
const EntryParams = Type.Object({ id: Uuid, code: Type.String({ pattern: EntryCodePattern, maxLength: 60 }) });
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

const EntryBody = Type.Object(
  {
    parentCode: Type.Union([Type.String({ pattern: EntryCodePattern, maxLength: 60 }), Type.Null()]),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    industry: Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' }),
    thresholds: Type.Array(ThresholdSchema, { maxItems: 10 }),
    procedures: Type.Array(ProcedureTypeSchema, { maxItems: 20 }),
    materials: Type.Array(MaterialSchema, { maxItems: 50 }),
    basis: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export async function catalogRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;

  app.get(
    '/api/catalog',
    { schema: { tags: ['catalog'], summary: '现行交易目录 / Catalog in force', response: { 200: Type.Object({ version: VersionSummarySchema, entries: Type.Array(EntrySchema) }), 404: ProblemSchema } } },
    async () => {
      const now = clock.now();
      const v = await getVersionInForce(db, now);
      if (!v) throw Errors.notFound('Catalog in force', '现行交易目录');
      return { version: presentVersion(v, v.id, now), entries: (await listEntries(db, v.id)).map(presentEntry) };
    },
  );

  app.get(
    '/api/catalog/versions',
    { schema: { tags: ['catalog'], summary: '目录版本列表 / Catalog versions (drafts for administrators only)', response: { 200: Type.Object({ items: Type.Array(VersionSummarySchema) }) } } },
    async (req) => {
      const now = clock.now();
      const isAdmin = hasRole(req.actor, 'admin');
      const versions = (await listVersions(db)).filter((v) => isAdmin || v.status === 'published');
      const inForce = await getVersionInForce(db, now);
      return { items: versions.map((v) => presentVersion(v, inForce?.id, now)) };
    },
  );

  app.get(
    '/api/catalog/versions/:id',
    { schema: { tags: ['catalog'], summary: '目录版本详情（含意见）/ A catalog version with its entries and comments', params: IdParams, response: { 200: VersionDetailSchema, 404: ProblemSchema } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const now = clock.now();
      const v = await getVersion(db, id);
      // Drafts are internal to administrators: to anyone else they do not exist.
      if (!v || (v.status === 'draft' && !hasRole(req.actor, 'admin'))) throw Errors.notFound('Catalog version', '目录版本');
      const inForce = await getVersionInForce(db, now);
      return {
        version: presentVersion(v, inForce?.id, now),
        entries: (await listEntries(db, id)).map(presentEntry),
        comments: (await listComments(db, id)).map(presentComment),
      };
    },
  );

  app.post(
    '/api/catalog/versions',
    {
      schema: {
        tags: ['catalog'],
        summary: '基于现行版本新建草稿 / Create a draft from the version in force',
        body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }), basedOn: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const id = await createDraft(db, actor, req.body as { title: string; basedOn?: string }, clock.now());
      return reply.status(201).send({ id });
    },
  );

  app.put(
    '/api/catalog/versions/:id/entries/:code',
    { schema: { tags: ['catalog'], summary: '新增或修改草稿中的条目 / Create or replace an entry of a draft', params: EntryParams, body: EntryBody, response: { 200: Type.Object({ code: Type.String() }), ...errors } } },
    async (req) => {
      const actor = requireRole(req, 'admin');
      const { id, code } = req.params as { id: string; code: string };
      const b = req.body as Omit<CatalogEntry, 'code' | 'sortOrder' | 'basis' | 'procedures'> & { sortOrder?: number; basis?: string; procedures: ProcedureType[] };
      await putEntry(db, actor, id, { code, parentCode: b.parentCode, sortOrder: b.sortOrder ?? 0, nameZh: b.nameZh, nameEn: b.nameEn, industry: b.industry, thresholds: b.thresholds, procedures: b.procedures, materials: b.materials, basis: b.basis ?? '' }, clock.now());
      return { code };
    },
  );

  app.delete(
    '/api/catalog/versions/:id/entries/:code',
    { schema: { tags: ['catalog'], summary: '删除草稿中的条目 / Delete an entry of a draft', params: EntryParams, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const actor = requireRole(req, 'admin');
      const { id, code } = req.params as { id: string; code: string };
      await deleteEntry(db, actor, id, code, clock.now());
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/catalog/versions/:id/publish',
    {
      schema: {
        tags: ['catalog'],
        summary: '发布征求意见并定生效时间 / Publish for comment with an effective-from instant',
        params: IdParams,
        body: Type.Object({ commentUntil: Type.String({ format: 'date-time' }), effectiveFrom: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: VersionSummarySchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'admin');
      const { id } = req.params as { id: string };
      const b = req.body as { commentUntil: string; effectiveFrom: string };
      const now = clock.now();
      await publish(db, actor, id, { commentUntil: new Date(b.commentUntil), effectiveFrom: new Date(b.effectiveFrom) }, now);
      const inForce = await getVersionInForce(db, now);
      return presentVersion((await getVersion(db, id))!, inForce?.id, now);
    },
  );

  app.post(
    '/api/catalog/versions/:id/comments',
    {
      schema: {
        tags: ['catalog'],
        summary: '对征求意见稿提意见 / Comment on a version during its comment period',
        params: IdParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }), entryCode: Type.Optional(Type.String({ pattern: EntryCodePattern, maxLength: 60 })) }, { additionalProperties: false }),
        response: { 201: CommentSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { id } = req.params as { id: string };
      const commentId = await addComment(db, actor, id, req.body as { body: string; entryCode?: string }, clock.now());
      const c = (await listComments(db, id)).find((x) => x.id === commentId)!;
      return reply.status(201).send(presentComment(c));
    },
  );
}
