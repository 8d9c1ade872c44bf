import { createHash } from 'node:crypto';
import { CompiledQuery, type Compilable } from 'kysely';
import type { DbHandle } from './database';

/**
 * A hot read query built and compiled by Kysely once per shape instead of on every request, and on PostgreSQL
 * optionally run as a named prepared statement (parsed once per pooled connection; after five executions
 * PostgreSQL may keep a generic plan and skip planning, which for an ORDER BY … LIMIT over a table with many
 * partial indexes costs more than executing the query).
 *
 * Parameters are bound by name: the builder is given `param(name)` placeholders, which end up in the compiled
 * query's parameter list and are replaced by the request's values on each execution.
 *
 * Only mark a shape `generic` when its best plan does not depend on the parameter values. A generic plan chosen
 * while common values are being queried is kept for rare ones too (e.g. a region range: an ordered scan that is
 * right for a big city is 100× too slow for a small county, where the custom plan sorts a few thousand rows).
 */
export class ShapeCache<Shape extends string, R> {
  readonly #compiled = new Map<string, { sql: string; slots: (string | { value: unknown })[]; name: string | undefined }>();

  constructor(
    private readonly prefix: string,
    /** Upper bound on the number of distinct shapes kept (they are finite by construction; this is a guard). */
    private readonly max = 1000,
  ) {}

  async execute(
    handle: DbHandle,
    shape: Shape,
    build: (param: <T>(name: string) => T) => Compilable<R>,
    values: Record<string, unknown>,
    opts: { generic: boolean },
  ): Promise<R[]> {
    let c = this.#compiled.get(shape);
    if (!c) {
      const marker = `\u0000${this.prefix}:`;
      const compiled = build(<T>(name: string) => `${marker}${name}` as T).compile();
      const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(marker) ? p.slice(marker.length) : { value: p }));
      const name = opts.generic ? `${this.prefix}_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 16)}` : undefined;
      c = { sql: compiled.sql, slots, name };
      if (this.#compiled.size < this.max) this.#compiled.set(shape, c);
    }
    const params = c.slots.map((s) => (typeof s === 'string' ? values[s] : s.value));
    if (handle.pgPool) {
      // Without a name pg sends an unnamed statement: planned for these values every time (as Kysely would).
      const r = await handle.pgPool.query(c.name ? { name: c.name, text: c.sql, values: params } : { text: c.sql, values: params });
      return r.rows as R[];
    }
    // PGlite: one embedded connection; the compile saving still applies.
    return (await handle.db.executeQuery<R>(CompiledQuery.raw(c.sql, params) as CompiledQuery<R>)).rows;
  }
}
