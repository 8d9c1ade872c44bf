import type { ColumnType } from 'kysely';

declare module '../../platform/db/schema' {
  interface Tables {
    ocds_releases: {
      /** The ledger sequence number of the release's entry (commit-ordered, gap-free): the harvest cursor. */
      seq: number;
      ocid: string;
      release_id: string;
      release_date: Date;
      tags: ColumnType<string[], string[], never>;
      /** The release as JSON text, exactly as built. */
      data: ColumnType<unknown, string, never>;
      sha256: string;
    };
  }
}

export {};
