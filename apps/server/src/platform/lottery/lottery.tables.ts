// Migration 0100_lottery.sql.
declare module '../db/schema' {
  interface Tables {
    lottery_draws: {
      id: string;
      algorithm: string;
      purpose: string;
      subject: string;
      status: 'committed' | 'executed' | 'revealed';
      secret: boolean;
      commitment: string;
      seed_protection: 'aes-256-gcm' | 'none';
      seed_sealed: string;
      seed_revealed: string | null;
      replaces: string | null;
      replace_reason: string | null;
      reveal_after: Date | null;
      requested_by: string | null;
      committed_at: Date;
      commit_seq: number;
      /** Canonical DrawInputs (JSON text on insert, object when read). */
      inputs: unknown;
      /** Migration 0113: the canonical pool, one '<id> <group>,…' line per candidate (storage.ts); null before 0113. */
      pool_candidates: string | null;
      /** Migration 0113: the exclusions with their openings, JSON text (storage.ts); custodians only; null before 0113. */
      exclusion_openings: string | null;
      pool_size: number | null;
      pool_hash: string | null;
      inputs_hash: string | null;
      /** {selected, assignments} */
      result: unknown;
      result_hash: string | null;
      executed_by: string | null;
      executed_at: Date | null;
      execute_seq: number | null;
      revealed_at: Date | null;
      reveal_seq: number | null;
    };
    lottery_exclusions: {
      draw_id: string;
      commitment: string;
      reason: string;
      excluded_id: string;
      detail: string;
      salt: string;
    };
  }
}
export {};
