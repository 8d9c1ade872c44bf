/**
 * Verify a platform draw (expert draw, seat assignment, remote secondary venue, tie-break) from its public record,
 * trusting nothing the platform says about the result: the record's revealed seed must match the commitment published
 * before the draw, the candidates must hash to the pool hash, and the result is recomputed with yiwang-draw/1
 * (docs/adr/0015-verifiable-lottery.md). Runs in browsers and Node alike (no Node APIs).
 *
 *   const record = await fetchDrawRecord('https://ggzy.example.cn', drawId);
 *   const v = verifyDrawRecord(record);   // { ok, problems, pending, checks, recomputed }
 */
import { verifyDrawRecord, type DrawLedgerEntry, type DrawRecord, type DrawVerification } from '@yiwang/contracts/lottery';
import { verifyEntryProof, type LedgerEntryProof } from './ledger';

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
  type DrawLedgerEntry,
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

export type AnchorStatus = 'anchored' | 'not_checkpointed' | 'mismatch' | 'unavailable';

export interface DrawAnchors {
  /** Every ledger entry of the record is in a checkpoint signed with the platform's key. */
  ok: boolean;
  entries: { seq: number; type: DrawLedgerEntry['type']; status: AnchorStatus; treeSize?: number }[];
}

/**
 * The online half of verifying a record: each ledger entry the record names (verifyDrawRecord has already checked
 * that the record's hashes give these entry hashes) must be in the platform's signed ledger — an audit path to a
 * checkpoint signed with the platform's Ed25519 key (ADR 0003). A record forged consistently from end to end fails
 * here, because its recomputed entry hashes are not in the signed tree. Pass `publicKeyHex` to pin a key obtained
 * out of band; otherwise the one published at GET /api/ledger/public-key is used.
 */
export async function verifyDrawAnchors(baseUrl: string, record: DrawRecord, opts: { publicKeyHex?: string; fetch?: typeof fetch } = {}): Promise<DrawAnchors> {
  const f = opts.fetch ?? fetch;
  const base = baseUrl.replace(/\/$/, '');
  const entries = Array.isArray(record.ledger) ? record.ledger : [];
  let key = opts.publicKeyHex;
  if (!key) {
    const r = await f(`${base}/api/ledger/public-key`, { headers: { accept: 'application/json' } });
    if (!r.ok) return { ok: false, entries: entries.map((e) => ({ seq: e.seq, type: e.type, status: 'unavailable' as const })) };
    key = ((await r.json()) as { publicKeyHex: string }).publicKeyHex;
  }
  const out: DrawAnchors['entries'] = [];
  for (const e of entries) {
    const r = await f(`${base}/api/ledger/entries/${encodeURIComponent(String(e.seq))}/proof`, { headers: { accept: 'application/json' } });
    if (r.status === 409) {
      out.push({ seq: e.seq, type: e.type, status: 'not_checkpointed' });
      continue;
    }
    if (!r.ok) {
      out.push({ seq: e.seq, type: e.type, status: 'unavailable' });
      continue;
    }
    const proof = (await r.json()) as LedgerEntryProof;
    const v = verifyEntryProof(proof, key, e.entryHash);
    out.push({ seq: e.seq, type: e.type, status: v.ok ? 'anchored' : 'mismatch', treeSize: proof.treeSize });
  }
  return { ok: out.length > 0 && out.every((x) => x.status === 'anchored'), entries: out };
}
