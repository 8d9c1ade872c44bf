/**
 * Rendered first pages of the public list (ADR 0012), keyed by the filters and labelled with the publication
 * version they were read at: the highest publish_seq visible (portal.repo publishedVersion). A published
 * announcement never changes or disappears (migration 0040's trigger), so the list is a function of the set of
 * published rows, and that set is identified by its highest sequence number (assigned in commit order under the
 * ledger head lock). Every request reads the version first, so a publication on any node is seen by the very next
 * request on every node: entries are never stale, only unused.
 *
 * Bounded: least recently used entries beyond `max` are dropped (a first page is at most 50 items, ~20 KB).
 */
export class FirstPageCache {
  readonly #entries = new Map<string, { version: number; body: string }>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, version: number): string | undefined {
    const e = this.#entries.get(key);
    if (!e || e.version !== version) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.body;
  }

  set(key: string, version: number, body: string): void {
    this.#entries.delete(key);
    this.#entries.set(key, { version, body });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.max) break;
      this.#entries.delete(oldest);
    }
  }
}
