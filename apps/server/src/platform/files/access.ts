/**
 * Who may download an upload. By default: the uploader and members of the uploader's organisation. Modules widen
 * this for files they publish (an announcement's attachments are public; a bid file is readable by the evaluation
 * panel after opening) by registering a rule once, at import time of their module:
 *
 *   registerFileAccessRule(async ({ db, file }) => isPublicAttachment(db, file.id));
 *
 * A rule sees the request's actor (null when signed out) and may only grant, never deny; the first rule that grants
 * wins. Rules must be cheap (one indexed query).
 */
import type { Actor } from '../auth/actor';
import type { DbOrTx } from '../db/database';

export interface FileRef {
  id: string;
  sha256: string;
  uploaderId: string;
  orgId: string | null;
}

export type FileAccessRule = (args: { db: DbOrTx; actor: Actor | null; file: FileRef }) => boolean | Promise<boolean>;

const rules = new Set<FileAccessRule>();

/** Grant access to some uploads beyond the uploader's organisation. Registering the same function twice is a no-op. */
export function registerFileAccessRule(rule: FileAccessRule): void {
  rules.add(rule);
}

export async function canReadFile(db: DbOrTx, actor: Actor | null, file: FileRef): Promise<boolean> {
  if (actor && (actor.accountId === file.uploaderId || (actor.orgId !== null && actor.orgId === file.orgId))) return true;
  for (const rule of rules) if (await rule({ db, actor, file })) return true;
  return false;
}
