/**
 * Verify a platform draw (expert draw, seat assignment, remote secondary venue, tie-break) from its public record,
 * trusting nothing the platform says about the result: the record's revealed seed must match the commitment published
 * before the draw, the candidates must hash to the pool hash, and the result is recomputed with yiwang-draw/1
 * (docs/adr/0015-verifiable-lottery.md). Runs in browsers and Node alike (no Node APIs).
 *
 *   const record = await fetchDrawRecord('https://ggzy.example.cn', drawId);
 *   const v = verifyDrawRecord(record);   // { ok, problems, pending, checks, recomputed }
 */
import { verifyDrawRecord, type DrawRecord, type DrawVerification } from '@yiwang/contracts/lottery';

export {
  verifyDrawRecord,
  runDraw,
  drawCommitment,
  poolHash,
  exclusionCommitment,
  DRAW_ALGORITHM,
  DRAW_PURPOSES,
  EXCLUSION_REASONS,
  DRAW_CHECK_LABELS,
  type DrawRecord,
  type DrawVerification,
  type DrawCheck,
  type DrawCheckName,
  type DrawInputs,
  type DrawSelection,
  type DrawAssignment,
  type Sha256,
} from '@yiwang/contracts/lottery';

/** GET /api/lottery/draws/:id/record from a platform (public; no session needed). */
export async function fetchDrawRecord(baseUrl: string, drawId: string, init?: RequestInit): Promise<DrawRecord> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/lottery/draws/${encodeURIComponent(drawId)}/record`, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  if (!res.ok) throw new Error(`draw record ${drawId}: HTTP ${res.status}`);
  return (await res.json()) as DrawRecord;
}

/** Parse a record from text (a file or a paste) and verify it; malformed JSON is reported as a failed format check. */
export function verifyDrawRecordText(text: string): DrawVerification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      ok: false,
      problems: [{ check: 'format', status: 'fail', zh: '不是合法的 JSON', en: 'Not valid JSON' }],
      pending: [],
      checks: [{ check: 'format', status: 'fail', zh: '不是合法的 JSON', en: 'Not valid JSON' }],
    };
  }
  return verifyDrawRecord(parsed as DrawRecord);
}
