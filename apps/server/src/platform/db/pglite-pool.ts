import type { PGlite } from '@electric-sql/pglite';

/**
 * Adapts one PGlite instance to the tiny slice of the `pg` Pool interface that Kysely's PostgresDialect uses.
 * PGlite is a single connection, so "connecting" takes a mutex: a transaction holds it until it ends and no
 * other request's statements can interleave with it. Consequence for callers: inside a transaction use only
 * the transaction handle, never the outer `db` (that would wait for itself). The wait is bounded so such a
 * mistake fails loudly instead of hanging.
 */
export class PgliteMutexPool {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  constructor(
    readonly pglite: PGlite,
    private readonly acquireTimeoutMs = 30_000,
  ) {}

  async connect(): Promise<PgliteClient> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    this.waiting++;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        previous,
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `PGlite connection not free after ${this.acquireTimeoutMs} ms: is the outer db used inside a transaction?`,
                ),
              ),
            this.acquireTimeoutMs,
          );
        }),
      ]);
    } catch (e) {
      // Keep the chain intact: our slot is released once the previous holder finishes.
      void previous.then(release);
      throw e;
    } finally {
      clearTimeout(timer);
      this.waiting--;
    }
    return new PgliteClient(this.pglite, release);
  }

  /** Run a multi-statement script while holding the connection. */
  async exec(script: string): Promise<void> {
    const client = await this.connect();
    try {
      await this.pglite.exec(script);
    } catch (e) {
      await this.pglite.exec('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async end(): Promise<void> {
    await this.tail;
  }
}

export class PgliteClient {
  private released = false;
  constructor(
    private readonly pglite: PGlite,
    private readonly onRelease: () => void,
  ) {}

  async query(sql: string, parameters: readonly unknown[] = []) {
    const result = await this.pglite.query<Record<string, unknown>>(sql, parameters as unknown[]);
    const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
    return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }
}
