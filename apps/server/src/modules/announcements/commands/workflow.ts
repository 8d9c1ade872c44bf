import type { AppContext } from '../../../platform/context';
import type { Actor } from '../../../platform/auth/actor';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { checkDraft, type DraftInput } from '../announcements.rules';
import { getAnnouncement, insertDraft, setStatus, updateDraftContent, type AnnouncementRow } from '../announcements.repo';
import { canView, isOwner, notFound } from '../announcements.policy';
import { checkReferences, publishRow } from './publish';

/** Draft → in_review → published; a rejection sends it back to draft with the reviewer's reason. */
function assertDraft(row: NonNullable<AnnouncementRow>) {
  if (row.status === 'published') {
    throw Errors.conflict('ANNOUNCEMENT_PUBLISHED_IMMUTABLE', '公告已发布，不能修改；如需更正请发布变更公告', 'The announcement is published and cannot change; publish a change notice instead');
  }
  if (row.status !== 'draft') throw Errors.conflict('ANNOUNCEMENT_NOT_DRAFT', '公告正在审核中，不能修改', 'The announcement is in review and cannot be edited');
}

async function loadOwned(trx: Parameters<typeof getAnnouncement>[0], actor: Actor, id: string) {
  const row = await getAnnouncement(trx, id, { forUpdate: true });
  // Another organisation's announcement: published ones may be seen but not edited (403); unpublished ones do not exist for it.
  if (!row || !canView(actor, row)) throw notFound();
  if (!isOwner(actor, row)) throw Errors.forbidden('只能操作本单位的公告', 'Only announcements of your own organisation can be changed');
  return row;
}

export async function createDraft(ctx: AppContext, actor: Actor & { orgId: string }, input: DraftInput): Promise<string> {
  const now = ctx.clock.now();
  const clean = checkDraft(input);
  return ctx.db.transaction().execute(async (trx) => {
    await checkReferences(trx, { categoryCode: clean.categoryCode, relatedId: clean.relatedId ?? null, type: clean.type, fileIds: clean.fileIds, projectId: clean.projectId }, actor.orgId, now);
    return insertDraft(
      trx,
      {
        type: clean.type, title: clean.title, categoryCode: clean.categoryCode, regionCode: clean.regionCode, projectId: clean.projectId ?? null,
        bodyHtml: clean.bodyHtml, bodyText: clean.bodyText, attachmentIds: clean.attachmentIds ?? [], fileIds: clean.fileIds, publisherOrgId: actor.orgId,
        relatedId: clean.relatedId ?? null, createdBy: actor.accountId,
      },
      now,
    );
  });
}

export async function updateDraft(ctx: AppContext, actor: Actor, id: string, input: DraftInput): Promise<void> {
  const now = ctx.clock.now();
  const clean = checkDraft(input);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    assertDraft(row);
    await checkReferences(trx, { categoryCode: clean.categoryCode, relatedId: clean.relatedId ?? null, type: clean.type, fileIds: clean.fileIds, projectId: clean.projectId }, row.publisher_org_id, now);
    if (clean.relatedId === id) throw Errors.validation('relatedId', '公告不能关联自身', 'An announcement cannot relate to itself');
    await updateDraftContent(
      trx,
      id,
      {
        type: clean.type, title: clean.title, categoryCode: clean.categoryCode, regionCode: clean.regionCode, projectId: clean.projectId ?? null,
        bodyHtml: clean.bodyHtml, bodyText: clean.bodyText, attachmentIds: clean.attachmentIds ?? [], fileIds: clean.fileIds, relatedId: clean.relatedId ?? null,
      },
      now,
    );
  });
}

export async function submitForReview(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    assertDraft(row);
    await setStatus(trx, id, 'draft', { status: 'in_review', submittedAt: now }, now);
    await recordLedger(trx, { type: 'announcement.submitted', subjectType: 'announcement', subjectId: id, actorId: actor.accountId, payload: { title: row.title } }, now);
  });
}

async function loadInReview(trx: Parameters<typeof getAnnouncement>[0], actor: Actor, id: string) {
  const row = await getAnnouncement(trx, id, { forUpdate: true });
  if (!row || !canView(actor, row)) throw notFound();
  if (row.status !== 'in_review') throw Errors.conflict('ANNOUNCEMENT_NOT_IN_REVIEW', '公告不在待审核状态', 'The announcement is not awaiting review');
  return row;
}

export async function approve(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadInReview(trx, actor, id);
    // The related announcement could not have changed (published rows never do), but the catalog could have.
    await checkReferences(trx, { categoryCode: row.category_code, relatedId: row.related_id, type: row.type as never, fileIds: row.file_ids, projectId: row.project_id }, row.publisher_org_id, now);
    return publishRow(trx, row, actor.accountId, now);
  });
}

export async function reject(ctx: AppContext, actor: Actor, id: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  const why = reason.trim();
  if (!why) throw new AppError('FIELD_REQUIRED', 400, '退回须说明理由', 'A rejection needs a reason', 'reason');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadInReview(trx, actor, id);
    await setStatus(trx, id, 'in_review', { status: 'draft', rejectReason: why, reviewedBy: actor.accountId }, now);
    await recordLedger(trx, { type: 'announcement.rejected', subjectType: 'announcement', subjectId: id, actorId: actor.accountId, payload: { reason: why } }, now);
    await emitEvent(trx, { type: 'announcement.rejected', payload: { id, title: row.title, publisherOrgId: row.publisher_org_id, reason: why } }, now);
  });
}
