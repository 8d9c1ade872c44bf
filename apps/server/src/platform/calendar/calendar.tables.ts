import type { Generated } from 'kysely';

declare module '../db/schema' {
  interface Tables {
    calendar_years: {
      year: number;
      source: 'builtin' | 'import';
      generation: Generated<string>;
      created_at: Date;
      updated_at: Date;
      updated_by: string | null;
    };
    calendar_days: {
      /** 'YYYY-MM-DD' (date columns are parsed to strings on both engines). */
      date: string;
      year: number;
      is_off_day: boolean;
      name: string;
      source: 'official' | 'admin';
      updated_at: Date;
    };
  }
}
