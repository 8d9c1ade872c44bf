import type { Generated } from 'kysely';

declare module '../db/schema' {
  interface Tables {
    files: { sha256: string; size: number; mime: string; created_at: Date };
    file_uploads: {
      id: Generated<string>;
      sha256: string;
      original_name: string;
      uploader_id: string;
      org_id: string | null;
      created_at: Date;
    };
  }
}
