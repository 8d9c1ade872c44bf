import type { Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import type { Db, DbOrTx } from '../db/database';
import { AppError, Errors } from '../http/errors';
import { canReadFile, type FileRef } from './access';
import { classify, sanitizeFilename } from './names';
import type { FileStore } from './store';
import './files.tables';

export interface UploadView {
  id: string;
  sha256: string;
  size: number;
  name: string;
  mime: string;
  createdAt: Date;
}

/**
 * Store an uploaded stream and record the upload. The bytes are hashed while streaming; the type is sniffed from the
 * first bytes against the allow-list; anything refused leaves nothing behind. The blob is durable before the row
 * that references it commits; if the transaction fails the blob stays unreferenced (harmless: identical content
 * reuses it, and removeUnreferenced can collect it).
 */
export async function saveUpload(
  deps: { db: Db; files: FileStore; now: () => Date },
  actor: Actor,
  input: { stream: Readable; filename: string; maxBytes: number; truncated?: () => boolean },
): Promise<UploadView> {
  const name = sanitizeFilename(input.filename);
  let mime = '';
  const stored = await deps.files.put(input.stream, {
    maxBytes: input.maxBytes,
    accept: ({ head }) => {
      // The multipart parser stops at its own limit and marks the part truncated rather than erroring.
      if (input.truncated?.()) throw Errors.tooLarge(input.maxBytes);
      mime = classify(name, head);
    },
  });
  const now = deps.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('files').values({ sha256: stored.sha256, size: stored.size, mime, created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    return trx
      .insertInto('file_uploads')
      .values({ sha256: stored.sha256, original_name: name, uploader_id: actor.accountId, org_id: actor.orgId, created_at: now })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
  });
  return { id: row.id, sha256: stored.sha256, size: stored.size, name, mime, createdAt: row.created_at };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An upload's metadata, or undefined. */
export async function findUpload(db: DbOrTx, id: string): Promise<(UploadView & FileRef) | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  const r = await db
    .selectFrom('file_uploads as u')
    .innerJoin('files as f', 'f.sha256', 'u.sha256')
    .select(['u.id', 'u.sha256', 'u.original_name', 'u.uploader_id', 'u.org_id', 'u.created_at', 'f.size', 'f.mime'])
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return { id: r.id, sha256: r.sha256, size: r.size, name: r.original_name, mime: r.mime, createdAt: r.created_at, uploaderId: r.uploader_id, orgId: r.org_id };
}

/**
 * Metadata and bytes of an upload the actor may read. Refusals do not reveal whether the id exists: signed out →
 * 401 (signing in may help), signed in → 404.
 */
export async function openUpload(deps: { db: Db; files: FileStore }, actor: Actor | null, id: string): Promise<{ meta: UploadView; body: Readable }> {
  const meta = await findUpload(deps.db, id);
  if (!meta || !(await canReadFile(deps.db, actor, meta))) {
    if (!actor) throw Errors.unauthenticated();
    throw Errors.notFound('File', '文件');
  }
  return { meta, body: await deps.files.get(meta.sha256) };
}

/**
 * Remove a blob no upload references any more (administrative clean-up). Refuses a referenced blob. Run it on blobs
 * that have been unreferenced for a while: an upload of the same bytes that is between storing its blob and
 * committing its row is not visible here.
 */
export async function removeUnreferenced(deps: { db: Db; files: FileStore }, sha256: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const f = await trx.selectFrom('files').select('sha256').where('sha256', '=', sha256).forUpdate().executeTakeFirst();
    const ref = await trx.selectFrom('file_uploads').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
    if (ref) throw new AppError('FILE_REFERENCED', 409, '文件仍被引用，不能删除', 'The file is still referenced and cannot be deleted', undefined, { sha256 });
    if (f) await trx.deleteFrom('files').where('sha256', '=', sha256).execute();
  });
  await deps.files.remove(sha256);
}
