import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../auth/actor';
import { Errors } from '../http/errors';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../http/schemas';
import './notify.tables';

const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Text,
  body: Text,
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The signed-in account's inbox. Only ever the caller's own rows: other accounts' ids answer 404. */
export async function notifyRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;

  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: '我的消息 / My notifications',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(NotificationSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            unreadCount: Type.Integer(),
          }),
          401: ProblemSchema,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { unread, cursor, limit = 20 } = req.query as { unread?: boolean; cursor?: string; limit?: number };
      let q = db
        .selectFrom('notifications')
        .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
        .where('account_id', '=', actor.accountId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (unread) q = q.where('read_at', 'is', null);
      const after = decodeCursor(cursor, 2);
      if (cursor && !after) throw Errors.validation('cursor', '分页游标无效', 'Invalid cursor');
      if (after) {
        const [t, id] = after as [string, string];
        q = q.where((eb) => eb.or([eb('created_at', '<', new Date(t)), eb.and([eb('created_at', '=', new Date(t)), eb('id', '<', id)])]));
      }
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      const count = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', actor.accountId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          kind: r.kind,
          title: r.title,
          body: r.body,
          link: r.link,
          createdAt: r.created_at.toISOString(),
          readAt: r.read_at?.toISOString() ?? null,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
        unreadCount: Number(count.n),
      };
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: '标记已读 / Mark as read',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({ id: Type.String(), readAt: Type.String({ format: 'date-time' }) }),
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { id } = req.params as { id: string };
      const now = clock.now();
      // Keeps the first read time if read twice.
      const row = await db
        .updateTable('notifications')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(now)) }))
        .where('id', '=', id)
        .where('account_id', '=', actor.accountId)
        .returning(['id', 'read_at'])
        .executeTakeFirst();
      if (!row) throw Errors.notFound('Notification', '消息');
      return { id: row.id, readAt: row.read_at!.toISOString() };
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: '全部标记已读 / Mark all as read',
        response: { 200: Type.Object({ updated: Type.Integer() }), 401: ProblemSchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const r = await db
        .updateTable('notifications')
        .set({ read_at: clock.now() })
        .where('account_id', '=', actor.accountId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return { updated: Number(r.numUpdatedRows) };
    },
  );
}
