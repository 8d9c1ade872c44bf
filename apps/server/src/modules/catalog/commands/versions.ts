import type { Db } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import type { Actor } from '../../../platform/auth/actor';
import { entryProblems, type CatalogEntry } from '../catalog.rules';
import { getVersion, getVersionInForce, latestEffectiveFrom, listEntries, nextVersionNo, type VersionRow } from '../catalog.repo';
import { entryRow } from '../catalog.seed';

const notFound = () => Errors.notFound('Catalog version', '目录版本');
const published = () =>
  Errors.conflict('CATALOG_VERSION_PUBLISHED', '已发布的目录版本不能修改，请基于现行版本新建草稿', 'A published catalog version never changes; create a new draft from the version in force');

async function draftForUpdate(trx: Db, id: string): Promise<VersionRow> {
  const v = await getVersion(trx, id, true);
  if (!v) throw notFound();
  if (v.status !== 'draft') throw published();
  return v;
}

/** A new draft: a copy of the version in force (or of `basedOn`), edited until published. */
export async function createDraft(db: Db, actor: Actor, input: { title: string; basedOn?: string }, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const base = input.basedOn ? await getVersion(trx, input.basedOn) : await getVersionInForce(trx, now);
    if (!base) throw input.basedOn ? notFound() : Errors.conflict('CATALOG_NOT_SEEDED', '尚无现行目录', 'No catalog is in force yet');
    const versionNo = await nextVersionNo(trx);
    const v = await trx
      .insertInto('catalog_versions')
      .values({ version_no: versionNo, title: input.title, status: 'draft', based_on: base.id, created_by: actor.accountId, created_at: now, published_by: null, published_at: null, comment_until: null, effective_from: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const entries = await listEntries(trx, base.id);
    if (entries.length) await trx.insertInto('catalog_entries').values(entries.map((x) => entryRow(v.id, x))).execute();
    await recordLedger(trx, { type: 'catalog.draft_created', subjectType: 'catalog_version', subjectId: v.id, actorId: actor.accountId, payload: { versionNo, basedOn: base.id, title: input.title } }, now);
    return v.id;
  });
}

/** Create or replace one entry of a draft. The whole entry is recorded in the ledger, so every edit is traceable. */
export async function putEntry(db: Db, actor: Actor, versionId: string, entry: CatalogEntry, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await draftForUpdate(trx, versionId);
    const all = (await listEntries(trx, versionId)).filter((x) => x.code !== entry.code);
    const problems = entryProblems(entry, [...all, entry]);
    if (problems.length) {
      const [field, zh, en] = problems[0]!;
      throw Errors.validation(field, zh, en, 'CATALOG_ENTRY_INVALID');
    }
    // A category that has sub-categories cannot become a sub-category itself (two levels only).
    if (entry.parentCode && all.some((x) => x.parentCode === entry.code)) {
      throw Errors.validation('parentCode', '该分类下有子类，不能再设上级', 'This entry has sub-categories and cannot get a parent', 'CATALOG_ENTRY_INVALID');
    }
    await trx.deleteFrom('catalog_entries').where('version_id', '=', versionId).where('code', '=', entry.code).execute();
    await trx.insertInto('catalog_entries').values(entryRow(versionId, entry)).execute();
    await recordLedger(trx, { type: 'catalog.entry_put', subjectType: 'catalog_version', subjectId: versionId, actorId: actor.accountId, payload: { entry: { ...entry } } }, now);
  });
}

export async function deleteEntry(db: Db, actor: Actor, versionId: string, code: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await draftForUpdate(trx, versionId);
    const all = await listEntries(trx, versionId);
    if (!all.some((x) => x.code === code)) throw Errors.notFound('Catalog entry', '目录条目');
    if (all.some((x) => x.parentCode === code)) {
      throw Errors.conflict('CATALOG_ENTRY_HAS_CHILDREN', '请先删除或移走该分类下的子类', 'Remove or move its sub-categories first', 'code');
    }
    await trx.deleteFrom('catalog_entries').where('version_id', '=', versionId).where('code', '=', code).execute();
    await recordLedger(trx, { type: 'catalog.entry_deleted', subjectType: 'catalog_version', subjectId: versionId, actorId: actor.accountId, payload: { code } }, now);
  });
}

/**
 * Publish a draft for comment: from now until `commentUntil` anyone signed in may comment (目录的制定和调整前，
 * 公开征求意见); it takes effect at `effectiveFrom`, which must follow the comment period and every version
 * already published, so versions take effect in the order they were published.
 */
export async function publish(db: Db, actor: Actor, versionId: string, input: { commentUntil: Date; effectiveFrom: Date }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const v = await draftForUpdate(trx, versionId);
    if (input.commentUntil.getTime() <= now.getTime()) {
      throw Errors.validation('commentUntil', '征求意见截止时间必须晚于现在', 'The comment period must end in the future', 'CATALOG_COMMENT_PERIOD_INVALID');
    }
    if (input.effectiveFrom.getTime() < input.commentUntil.getTime()) {
      throw Errors.validation('effectiveFrom', '生效时间不得早于征求意见截止时间', 'The version cannot take effect before the comment period ends', 'CATALOG_EFFECTIVE_BEFORE_COMMENT_END');
    }
    const last = await latestEffectiveFrom(trx);
    if (last && input.effectiveFrom.getTime() <= last.getTime()) {
      throw Errors.validation('effectiveFrom', `生效时间必须晚于已发布版本的生效时间 ${last.toISOString()}`, `Must take effect after the last published version (${last.toISOString()})`, 'CATALOG_EFFECTIVE_NOT_AFTER_LAST');
    }
    const entries = await listEntries(trx, versionId);
    if (!entries.length) throw new AppError('CATALOG_EMPTY', 409, '空目录不能发布', 'An empty catalog cannot be published');
    await trx
      .updateTable('catalog_versions')
      .set({ status: 'published', published_by: actor.accountId, published_at: now, comment_until: input.commentUntil, effective_from: input.effectiveFrom })
      .where('id', '=', versionId)
      .execute();
    await recordLedger(
      trx,
      { type: 'catalog.published', subjectType: 'catalog_version', subjectId: versionId, actorId: actor.accountId, payload: { versionNo: v.versionNo, commentUntil: input.commentUntil.toISOString(), effectiveFrom: input.effectiveFrom.toISOString(), entries: entries.length } },
      now,
    );
    await emitEvent(trx, { type: 'catalog.published', payload: { versionId, versionNo: v.versionNo, title: v.title, commentUntil: input.commentUntil.toISOString(), effectiveFrom: input.effectiveFrom.toISOString() } }, now);
  });
}

export async function addComment(db: Db, actor: Actor, versionId: string, input: { body: string; entryCode?: string }, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const v = await getVersion(trx, versionId);
    if (!v || v.status === 'draft') throw notFound(); // drafts are not public
    if (!v.commentUntil || now.getTime() >= v.commentUntil.getTime()) {
      throw Errors.conflict('CATALOG_COMMENT_CLOSED', '该版本的征求意见期已结束', 'The comment period of this version has ended');
    }
    if (input.entryCode && !(await listEntries(trx, versionId)).some((x) => x.code === input.entryCode)) {
      throw Errors.validation('entryCode', `目录条目 ${input.entryCode} 不在该版本中`, `Entry ${input.entryCode} is not in this version`, 'CATALOG_ENTRY_UNKNOWN');
    }
    const c = await trx
      .insertInto('catalog_comments')
      .values({ version_id: versionId, entry_code: input.entryCode ?? null, author_id: actor.accountId, author_name: actor.displayName, org_name: actor.orgName, body: input.body, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordLedger(trx, { type: 'catalog.comment_added', subjectType: 'catalog_version', subjectId: versionId, actorId: actor.accountId, payload: { commentId: c.id, entryCode: input.entryCode ?? null, body: input.body } }, now);
    return c.id;
  });
}
