import type { ColumnType, Generated } from 'kysely';

/**
 * The database's tables as Kysely sees them. Each module adds its own tables by augmenting this interface
 * (`declare module '../../platform/db/schema.js' { interface Tables { ... } }`) in its own `*.tables.ts`,
 * so no single file becomes everyone's merge conflict.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tables {
  schema_migrations: { version: string; applied_at: ColumnType<Date, Date | string | undefined, never> };
}

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type { Generated };
