import type { Actor } from '../../../platform/auth/actor';
import { shanghaiDate, workingDayDeadline } from '../../../platform/calendar/index';
import type { Db, DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { requiredMaterials, listEntries } from '../../catalog/index';
import { duplicateCode, FIELD_ITEM_CODES, newItemsBeyondFirstList, nextStatus, type ReturnItem, type Transition } from '../intake.rules';
import { getLots, getMaterials, getPending, getProject, getReturns, type ProjectRow } from '../intake.repo';
import { assertParty, projectNotFound } from '../intake.policy';
import { assertFilesUsable } from '../intake.files';
import { checkRegistration } from './register';
import { eventPayload } from './shared';

const access = (p: ProjectRow) => ({ status: p.status, ownerOrgId: p.owner_org_id, agencyOrgId: p.agency_org_id, industry: p.industry, regionCode: p.region_code });

function assertTransition(p: ProjectRow, t: Transition) {
  const to = nextStatus(p.status, t);
  if (!to) {
    throw Errors.conflict('INTAKE_INVALID_TRANSITION', `项目当前状态为 ${p.status}，不能执行 ${t}`, `The project is ${p.status}; ${t} is not possible`, 'status');
  }
  return to;
}

/** Staff never see drafts (the registrant's own), so a draft id is as unknown to them as any other. */
async function loadForUpdate(trx: DbOrTx, id: string, asStaff = false): Promise<ProjectRow> {
  const p = await getProject(trx, id, true);
  if (!p || (asStaff && p.status === 'draft')) throw projectNotFound();
  return p;
}

async function record(trx: DbOrTx, actor: Actor, p: ProjectRow, type: string, extra: Record<string, unknown>, now: Date) {
  const row = (await getProject(trx, p.id))!;
  const payload = { ...eventPayload(row, await getLots(trx, p.id)), ...extra };
  await recordLedger(trx, { type, subjectType: 'project', subjectId: p.id, actorId: actor.accountId, payload }, now);
  await emitEvent(trx, { type, payload }, now);
}

async function missingRequired(trx: DbOrTx, p: ProjectRow): Promise<string[]> {
  const entry = (await listEntries(trx, p.catalog_version_id)).find((x) => x.code === p.catalog_code);
  const given = new Set((await getMaterials(trx, p.id)).map((m) => m.code));
  return requiredMaterials(entry ?? { materials: [] }, p.agency_org_id !== null).map((m) => m.code).filter((c) => !given.has(c));
}

/**
 * Submit (or resubmit after a return) to the window. Checked again against the catalog in force; every required
 * material must be there unless the registrant asks for the green channel (容缺受理, decided by the window). The
 * window must act within 1 working day (赤峰 措施一: 1个工作日内): the due instant is stored and drives the overdue flag.
 */
export async function submit(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await loadForUpdate(trx, id);
    assertParty(actor, access(p));
    const to = assertTransition(p, 'submit');
    const lots = await getLots(trx, id);
    const materials = await getMaterials(trx, id);
    const d = await checkRegistration(
      trx,
      {
        name: p.name,
        catalogCode: p.catalog_code,
        procedureType: p.procedure_type,
        subject: p.subject,
        regionCode: p.region_code,
        estimateFen: p.estimate_fen,
        lots: lots.map((l) => ({ name: l.name, estimateFen: l.estimate_fen })),
        materials: materials.map((m) => ({ code: m.code, fileId: m.file_id })),
      },
      now,
    );
    // Follow the catalog version in force now: it decides materials, mandatory entry and the supervising industry.
    await trx
      .updateTable('projects')
      .set({ catalog_version_id: d.versionId, mandatory: d.mandatory, threshold_fen: d.thresholdFen, industry: d.entry.industry })
      .where('id', '=', id)
      .execute();
    const missing = await missingRequired(trx, { ...p, catalog_version_id: d.versionId });
    if (missing.length && !p.green_channel_requested) {
      throw new AppError('INTAKE_MATERIALS_MISSING', 409, `缺少必需材料：${missing.join('、')}`, `Required materials are missing: ${missing.join(', ')}`, 'materials', { missing });
    }
    const dueAt = await workingDayDeadline(trx, now, 1);
    await trx
      .updateTable('projects')
      .set({ status: to, submitted_at: now, due_at: dueAt, submit_count: p.submit_count + 1, updated_at: now })
      .where('id', '=', id)
      .execute();
    await record(trx, actor, p, 'project.submitted', { resubmission: p.status === 'returned', dueAt: dueAt.toISOString(), missingMaterials: missing }, now);
  });
}

/** Accept (受理): every required material is present. */
export async function accept(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await loadForUpdate(trx, id, true);
    const to = assertTransition(p, 'accept');
    const missing = await missingRequired(trx, p);
    if (missing.length) {
      throw new AppError('INTAKE_MATERIALS_MISSING', 409, `缺少必需材料：${missing.join('、')}；可退回，或经绿色通道容缺受理`, `Required materials are missing: ${missing.join(', ')}; return the project or accept it through the green channel`, 'materials', { missing });
    }
    await trx.updateTable('projects').set({ status: to, decided_at: now, decided_by: actor.accountId, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor, p, 'project.accepted', { green: false, pending: [] }, now);
  });
}

/**
 * Return (退回) with one complete list (一次告知). Item codes are material codes of the project's catalog entry or
 * registration fields (FIELD_ITEM_CODES). A later return may only repeat items of the first list.
 */
export async function returnProject(db: Db, actor: Actor, id: string, items: ReturnItem[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await loadForUpdate(trx, id, true);
    const to = assertTransition(p, 'return');
    const entry = (await listEntries(trx, p.catalog_version_id)).find((x) => x.code === p.catalog_code);
    const valid = new Set<string>([...(entry?.materials.map((m) => m.code) ?? []), ...FIELD_ITEM_CODES]);
    items.forEach((it, i) => {
      if (!valid.has(it.code)) {
        throw new AppError('INTAKE_RETURN_ITEM_UNKNOWN', 400, `退回事项 ${it.code} 既不是该项目的材料也不是登记字段`, `Item ${it.code} is neither a material of this project nor a registration field`, `items.${i}.code`, { allowed: [...valid] });
      }
    });
    const dup = duplicateCode(items);
    if (dup) throw new AppError('INTAKE_RETURN_ITEM_DUPLICATE', 400, `退回事项 ${dup} 重复`, `Item ${dup} is listed twice`, 'items');
    const returns = await getReturns(trx, id);
    const newCodes = newItemsBeyondFirstList(returns[0]?.items, items);
    if (newCodes.length) {
      throw new AppError(
        'INTAKE_SECOND_RETURN_NEW_ITEMS',
        409,
        `一次告知：首次退回时未告知的事项不得再提出（${newCodes.join('、')}）`,
        `Tell-once rule: items not on the first return's list cannot be raised now (${newCodes.join(', ')})`,
        'items',
        { newCodes, firstList: returns[0]!.items.map((x) => x.code) },
      );
    }
    const round = returns.length + 1;
    await trx.insertInto('project_returns').values({ project_id: id, round, items: JSON.stringify(items), returned_by: actor.accountId, returned_at: now }).execute();
    await trx.updateTable('projects').set({ status: to, decided_at: now, decided_by: actor.accountId, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor, p, 'project.returned', { round, items }, now);
  });
}

/**
 * Green channel (绿色通道, 容缺受理, 赤峰 措施一): accept with items pending, each due by a date. Every required material
 * still missing must be among the pending items, so nothing is silently waived.
 */
export async function acceptGreen(db: Db, actor: Actor, id: string, pending: { code: string; dueDate: string }[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await loadForUpdate(trx, id, true);
    const to = assertTransition(p, 'accept_green');
    const entry = (await listEntries(trx, p.catalog_version_id)).find((x) => x.code === p.catalog_code);
    const codes = new Set(entry?.materials.map((m) => m.code) ?? []);
    const today = shanghaiDate(now);
    pending.forEach((it, i) => {
      if (!codes.has(it.code)) {
        throw new AppError('INTAKE_PENDING_ITEM_UNKNOWN', 400, `容缺事项 ${it.code} 不是该项目的材料`, `Pending item ${it.code} is not a material of this project`, `pending.${i}.code`, { allowed: [...codes] });
      }
      if (it.dueDate < today) throw new AppError('INTAKE_PENDING_DUE_PAST', 400, `补正期限 ${it.dueDate} 已过`, `Due date ${it.dueDate} is in the past`, `pending.${i}.dueDate`);
    });
    const dup = duplicateCode(pending);
    if (dup) throw new AppError('INTAKE_PENDING_ITEM_DUPLICATE', 400, `容缺事项 ${dup} 重复`, `Pending item ${dup} is listed twice`, 'pending');
    const missing = await missingRequired(trx, p);
    const uncovered = missing.filter((c) => !pending.some((x) => x.code === c));
    if (uncovered.length) {
      throw new AppError('INTAKE_PENDING_INCOMPLETE', 400, `缺少的材料必须列为容缺事项：${uncovered.join('、')}`, `Missing materials must be listed as pending: ${uncovered.join(', ')}`, 'pending', { uncovered });
    }
    await trx.insertInto('project_pending_items').values(pending.map((x) => ({ project_id: id, code: x.code, due_date: x.dueDate, supplied_at: null, file_id: null }))).execute();
    await trx.updateTable('projects').set({ status: to, decided_at: now, decided_by: actor.accountId, updated_at: now }).where('id', '=', id).execute();
    await record(trx, actor, p, 'project.accepted', { green: true, pending }, now);
  });
}

/** Supply a pending green-channel item: the file becomes the project's material for that code. */
export async function supply(db: Db, actor: Actor, id: string, input: { code: string; fileId: string }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await loadForUpdate(trx, id);
    assertParty(actor, access(p));
    const item = (await getPending(trx, id)).find((x) => x.code === input.code);
    if (p.status !== 'accepted_green' || !item || item.supplied_at) {
      throw Errors.conflict('INTAKE_NOT_PENDING', `${input.code} 不是待补正的容缺事项`, `${input.code} is not an open pending item`, 'code');
    }
    await assertFilesUsable(trx, [input], [p.owner_org_id, p.agency_org_id], 'fileId');
    await trx.updateTable('project_pending_items').set({ supplied_at: now, file_id: input.fileId }).where('project_id', '=', id).where('code', '=', input.code).execute();
    await trx
      .insertInto('project_materials')
      .values({ project_id: id, code: input.code, file_id: input.fileId, supplied_at: now, supplied_by: actor.accountId })
      .onConflict((oc) => oc.columns(['project_id', 'code']).doUpdateSet({ file_id: input.fileId, supplied_at: now, supplied_by: actor.accountId }))
      .execute();
    await trx.updateTable('projects').set({ updated_at: now }).where('id', '=', id).execute();
    const open = (await getPending(trx, id)).filter((x) => !x.supplied_at).map((x) => x.code);
    await record(trx, actor, p, 'project.pending_supplied', { item: input.code, fileId: input.fileId, lateBy: item.due_date < shanghaiDate(now) ? shanghaiDate(now) : null, stillPending: open }, now);
  });
}
