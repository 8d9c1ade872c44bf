import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Errors } from '../../platform/http/errors';
import { decodeCursor, encodeCursor, ProblemSchema } from '../../platform/http/schemas';
import { recordPackage, releasePackageFrame, type PackageMeta } from './ocds.package';
import { releasesOf, releaseTextsAfter } from './opendata.repo';

const PAGE_ROWS = 2000;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
const OCID = '^ocds-[A-Za-z0-9]{6}-[A-Za-z0-9-]{1,100}$';

/** Release cursor: a release's ledger sequence number, opaque to clients; 'start' is before the first release. */
function parseAfter(after: string | undefined): number {
  if (after === undefined || after === 'start') return 0;
  const c = decodeCursor(after, 2);
  if (!c || c[0] !== 'r' || !Number.isSafeInteger(c[1])) throw Errors.validation('after', '数据游标无效', 'The release cursor is invalid', 'CURSOR_INVALID');
  return c[1] as number;
}
const releaseCursor = (seq: number) => encodeCursor(['r', seq]);
const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/**
 * 开放数据: OCDS release packages (every change, in publication order, harvestable with a stable cursor) and record
 * packages (all releases of one process plus the compiled release). Public: releases only ever carry what the
 * trading modules have made public (ocds.types.ts).
 */
export async function opendataRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const meta = (uri: string): PackageMeta => ({ uri, publishedDate: ctx.clock.now(), publisherName: '一网交易 公共资源交易平台' });

  app.get('/api/opendata/releases', {
    schema: {
      tags: ['opendata'],
      summary: 'OCDS 发布包（按发布顺序，游标分页）/ OCDS release package in publication order, cursor-paged',
      querystring: Type.Object(
        {
          after: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
          ocid: Type.Optional(Type.String({ pattern: OCID })),
        },
        { additionalProperties: false },
      ),
      response: { 400: ProblemSchema },
    },
  }, async (req, reply) => {
    const query = req.query as { after?: string; limit?: number; ocid?: string };
    const after = parseAfter(query.after);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const ocid = query.ocid;
    const self = `${baseUrl(req)}${req.url}`;
    // The first page is read before answering, so a database error is a clean 500 rather than a cut-off body.
    let requested = Math.min(PAGE_ROWS, limit);
    const first = await releaseTextsAfter(ctx.db, after, requested, ocid);
    async function* body() {
      let sent = 0;
      let last = after;
      let page = first;
      const params = new URLSearchParams();
      if (ocid) params.set('ocid', ocid);
      params.set('limit', String(limit));
      // `links` is written after the releases (the next cursor is known only then); member order is free in JSON.
      yield releasePackageFrame(meta(self)).head;
      while (page.length) {
        yield (sent ? ',' : '') + page.map((r) => r.text).join(',');
        sent += page.length;
        last = page[page.length - 1]!.seq;
        const want = Math.min(PAGE_ROWS, limit - sent);
        if (want <= 0 || page.length < requested) break;
        requested = want;
        page = await releaseTextsAfter(ctx.db, last, requested, ocid);
      }
      params.set('after', releaseCursor(last));
      const next = `${baseUrl(req)}/api/opendata/releases?${params}`;
      yield `],"links":${JSON.stringify({ next, cursor: releaseCursor(last), full: sent >= limit })}}`;
    }
    return reply.type('application/json; charset=utf-8').send(Readable.from(body()));
  });

  app.get('/api/opendata/records/:ocid', {
    schema: {
      tags: ['opendata'],
      summary: 'OCDS 记录包：一个交易过程的全部发布与汇总 / OCDS record package: every release of one process and the compiled release',
      params: Type.Object({ ocid: Type.String({ pattern: OCID }) }),
      response: { 404: ProblemSchema },
    },
  }, async (req) => {
    const { ocid } = req.params as { ocid: string };
    const releases = await releasesOf(ctx.db, ocid);
    if (!releases.length) throw Errors.notFound('Contracting process', '交易过程');
    return recordPackage(meta(`${baseUrl(req)}${req.url}`), new Map([[ocid, releases]]));
  });
}
