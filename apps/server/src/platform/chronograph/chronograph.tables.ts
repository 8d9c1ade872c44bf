import type { CreatedAt, Generated, Timestamp } from '../db/schema';

declare module '../db/schema' {
  interface Tables {
    scheduled_jobs: {
      id: Generated<number>;
      kind: string;
      subject_id: string;
      due_at: Date;
      payload: unknown;
      status: Generated<'pending' | 'done' | 'failed' | 'cancelled'>;
      attempts: Generated<number>;
      last_error: string | null;
      version: Generated<number>;
      created_at: CreatedAt;
      updated_at: Timestamp;
    };
  }
}
