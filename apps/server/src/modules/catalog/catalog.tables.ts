import type { CreatedAt, Generated } from '../../platform/db/schema';

declare module '../../platform/db/schema' {
  interface Tables {
    catalog_versions: {
      id: Generated<string>;
      version_no: number;
      title: string;
      status: 'draft' | 'published';
      based_on: string | null;
      created_by: string | null;
      created_at: Date;
      published_by: string | null;
      published_at: Date | null;
      comment_until: Date | null;
      effective_from: Date | null;
    };
    catalog_entries: {
      version_id: string;
      code: string;
      parent_code: string | null;
      sort_order: number;
      name_zh: string;
      name_en: string;
      industry: string;
      /** JSON text on insert, parsed array on select. */
      thresholds: unknown;
      procedures: string[];
      materials: unknown;
      basis: string;
    };
    catalog_comments: {
      id: Generated<string>;
      version_id: string;
      entry_code: string | null;
      author_id: string;
      author_name: string;
      org_name: string | null;
      body: string;
      created_at: CreatedAt;
    };
  }
}
