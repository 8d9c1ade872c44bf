import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { decodeCursor, encodeCursor, ProblemSchema, Uuid } from '../../platform/http/schemas';
import { completeRefund } from './commands/refunds';
import { listRefunds, orgNames } from './deposits.repo';
import { assertFinance } from './deposits.policy';
import { RefundSchema, presentRefund } from './deposits.presenter';

/** The finance desk's refund tasks (center_finance). Tasks of lots still sealed are never listed. */
const tags = ['deposits'];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };

export async function refundRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.ctx;

  app.get(
    '/api/deposits/refunds',
    {
      schema: {
        tags,
        summary: '保证金退还任务（交易中心财务）/ Refund tasks (center finance)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('overdue')])),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(RefundSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (req) => {
      assertFinance(requireActor(req));
      const q = req.query as { status?: 'open' | 'done' | 'overdue'; cursor?: string; limit?: number };
      const limit = q.limit ?? 50;
      const c = decodeCursor(q.cursor, 2);
      const after = c && typeof c[0] === 'string' && typeof c[1] === 'string' ? { dueAt: c[0], id: c[1] } : undefined;
      const rows = await listRefunds(db, { status: q.status, now: clock.now(), limit, after });
      const page = rows.slice(0, limit);
      const names = await orgNames(db, [...new Set(page.map((r) => r.bidder_org_id))]);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => presentRefund(r, { bidderName: names.get(r.bidder_org_id) })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.due_at.toISOString(), last.id]) : null,
      };
    },
  );

  app.post(
    '/api/deposits/refunds/:id/complete',
    {
      schema: {
        tags,
        summary: '登记保证金已退还（交易中心财务）/ Record a refund as paid (center finance)',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            bankRef: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
            interestFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RefundSchema, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { id } = req.params as { id: string };
      await completeRefund(db, actor, id, req.body as { bankRef: string; interestFen?: number }, clock.now());
      const rows = await db.selectFrom('deposit_refunds').selectAll().where('id', '=', id).execute();
      return presentRefund(rows[0]!);
    },
  );
}
