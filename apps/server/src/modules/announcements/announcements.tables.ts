import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../platform/db/schema';

declare module '../../platform/db/schema' {
  interface Tables {
    announcements: {
      id: Generated<string>;
      type: string;
      title: string;
      category_code: string;
      category_root: ColumnType<string, never, never>;
      region_code: string;
      project_id: string | null;
      body_html: string;
      body_text: string;
      attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
      file_ids: ColumnType<string[], string[] | undefined, string[]>;
      publisher_org_id: string;
      related_id: string | null;
      status: ColumnType<'draft' | 'in_review' | 'published', 'draft' | 'in_review' | 'published' | undefined, 'draft' | 'in_review' | 'published'>;
      reject_reason: string | null;
      created_by: string | null;
      created_at: CreatedAt;
      updated_at: Date;
      submitted_at: Date | null;
      reviewed_by: string | null;
      published_at: Date | null;
      content_hash: string | null;
      publish_seq: number | null;
      /** Written as `array_to_tsvector(...)`; read back only as text for diagnostics. */
      search_tokens: ColumnType<string, unknown, unknown>;
    };
  }
}
