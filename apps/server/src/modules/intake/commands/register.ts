import { isKnownRegion } from '@yiwang/contracts';
import type { Actor } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import type { Db, DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { decideMandatory, getVersionInForce, isLeaf, listEntries, subjectsOf, type CatalogEntry, type Subject } from '../../catalog/index';
import { lotsProblem, EDITABLE, type LotInput } from '../intake.rules';
import { getLots, getProject, orgById, replaceLots, replaceMaterials } from '../intake.repo';
import { assertParty } from '../intake.policy';
import { assertFilesUsable } from '../intake.files';
import { eventPayload } from './shared';

export interface RegistrationInput {
  name: string;
  catalogCode: string;
  procedureType: string;
  subject?: Subject | null;
  regionCode: string;
  estimateFen: number;
  lots: LotInput[];
  materials?: { code: string; fileId: string }[];
  greenChannelReason?: string | null;
}

export interface CatalogDecision {
  versionId: string;
  entry: CatalogEntry;
  mandatory: boolean;
  thresholdFen: number | null;
}

const bad = (code: string, field: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError(code, 400, zh, en, field, details);

/**
 * Check a registration against the catalog version in force and the lot rules; decide whether entry is
 * mandatory (应进必进). Used on create, on every edit and again on submission (the catalog may have changed).
 */
export async function checkRegistration(trx: DbOrTx, input: RegistrationInput, now: Date): Promise<CatalogDecision> {
  // The platform serves Fujian: a project sits in one of the GB/T 2260 divisions it knows (contracts/regions.ts).
  if (!isKnownRegion(input.regionCode)) {
    throw bad('INTAKE_REGION_UNKNOWN', 'regionCode', `行政区划代码 ${input.regionCode} 不在本平台服务范围内`, `Region code ${input.regionCode} is not one this platform serves`);
  }
  const version = await getVersionInForce(trx, now);
  if (!version) throw new AppError('CATALOG_NOT_IN_FORCE', 409, '尚无现行交易目录，暂不能登记项目', 'No trading catalog is in force; projects cannot be registered yet');
  const entries = await listEntries(trx, version.id);
  const entry = entries.find((x) => x.code === input.catalogCode);
  if (!entry) throw bad('INTAKE_CATALOG_CODE_UNKNOWN', 'catalogCode', `交易目录（第 ${version.versionNo} 版）中没有条目 ${input.catalogCode}`, `The catalog in force (version ${version.versionNo}) has no entry ${input.catalogCode}`);
  if (!isLeaf(entries, entry.code)) {
    const children = entries.filter((x) => x.parentCode === entry.code).map((x) => x.code);
    throw bad('INTAKE_CATALOG_NOT_LEAF', 'catalogCode', `${entry.nameZh} 是大类，请选择其下的子类`, `${entry.nameEn} is a category; choose one of its sub-categories`, { children });
  }
  if (!entry.procedures.includes(input.procedureType as never)) {
    throw bad('INTAKE_PROCEDURE_NOT_ALLOWED', 'procedureType', `${entry.nameZh} 不允许采用交易方式 ${input.procedureType}`, `${entry.nameEn} does not allow the procedure ${input.procedureType}`, { allowed: entry.procedures });
  }
  const subjects = subjectsOf(entry);
  const subject = input.subject ?? null;
  if (subjects.length && !subject) {
    throw bad('INTAKE_SUBJECT_REQUIRED', 'subject', `${entry.nameZh} 须注明标的类型（施工/货物/服务）`, `${entry.nameEn} needs the subject (works, goods or services)`, { allowed: subjects });
  }
  const decision = decideMandatory(entry, subject, input.estimateFen);
  if (!decision) throw bad('INTAKE_SUBJECT_NOT_APPLICABLE', 'subject', `${entry.nameZh} 没有 ${subject} 类标的`, `${entry.nameEn} has no subject ${subject}`, { allowed: subjects });
  const lots = lotsProblem(input.estimateFen, input.lots);
  if (lots) throw bad('INTAKE_LOTS_INVALID', lots[0], lots[1], lots[2]);
  const materials = input.materials ?? [];
  const seen = new Set<string>();
  materials.forEach((m, i) => {
    if (!entry.materials.some((s) => s.code === m.code)) {
      throw bad('INTAKE_MATERIAL_UNKNOWN', `materials.${i}.code`, `${entry.nameZh} 不要求材料 ${m.code}`, `${entry.nameEn} asks for no material ${m.code}`, { allowed: entry.materials.map((s) => s.code) });
    }
    if (seen.has(m.code)) throw bad('INTAKE_MATERIAL_DUPLICATE', `materials.${i}.code`, `材料 ${m.code} 重复`, `Material ${m.code} is given twice`);
    seen.add(m.code);
  });
  return { versionId: version.id, entry, ...decision };
}

/** Register a project as a draft. A tenderer registers for its own organisation; an agency names the tenderer. */
export async function registerProject(db: Db, actor: Actor, input: RegistrationInput & { tendererOrgId?: string }, now: Date): Promise<string> {
  assertOperator(actor);
  if (!actor.orgId) throw Errors.forbidden('账号未关联机构，不能登记项目', 'The account belongs to no organisation and cannot register projects');
  const isAgency = actor.roles.some((g) => g.role === 'agency');
  const isTenderer = actor.roles.some((g) => g.role === 'tenderer');
  let ownerOrgId = actor.orgId;
  let agencyOrgId: string | null = null;
  if (input.tendererOrgId && input.tendererOrgId !== actor.orgId) {
    if (!isAgency) throw bad('INTAKE_NOT_AGENCY', 'tendererOrgId', '只有招标代理机构可以代招标人登记项目', 'Only an agency registers on behalf of another organisation');
    ownerOrgId = input.tendererOrgId;
    agencyOrgId = actor.orgId;
  } else if (!isTenderer) {
    throw bad('FIELD_REQUIRED', 'tendererOrgId', '代理机构登记项目须注明委托的招标人（tendererOrgId）', 'An agency must name the tenderer it registers for (tendererOrgId)');
  }
  return db.transaction().execute(async (trx) => {
    if (agencyOrgId) {
      const owner = await orgById(trx, ownerOrgId);
      if (!owner || owner.kind !== 'organisation' || owner.status !== 'active') {
        throw bad('INTAKE_TENDERER_UNKNOWN', 'tendererOrgId', '招标人机构不存在或不可用', 'The tenderer organisation does not exist or is not active');
      }
    }
    const d = await checkRegistration(trx, input, now);
    await assertFilesUsable(trx, input.materials ?? [], [ownerOrgId, agencyOrgId]);
    const p = await trx
      .insertInto('projects')
      .values({
        name: input.name.trim(),
        catalog_version_id: d.versionId,
        catalog_code: d.entry.code,
        procedure_type: input.procedureType,
        subject: input.subject ?? null,
        region_code: input.regionCode,
        industry: d.entry.industry,
        estimate_fen: input.estimateFen,
        mandatory: d.mandatory,
        threshold_fen: d.thresholdFen,
        owner_org_id: ownerOrgId,
        agency_org_id: agencyOrgId,
        created_by: actor.accountId,
        green_channel_requested: !!input.greenChannelReason,
        green_channel_reason: input.greenChannelReason || null,
        status: 'draft',
        submitted_at: null,
        due_at: null,
        decided_at: null,
        decided_by: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceLots(trx, p.id, input.lots);
    await replaceMaterials(trx, p.id, input.materials ?? [], actor.accountId, now);
    const row = (await getProject(trx, p.id))!;
    const payload = eventPayload(row, await getLots(trx, p.id));
    await recordLedger(trx, { type: 'project.registered', subjectType: 'project', subjectId: p.id, actorId: actor.accountId, payload: { ...payload, materials: input.materials ?? [] } }, now);
    await emitEvent(trx, { type: 'project.registered', payload }, now);
    return p.id;
  });
}

/** Replace a draft or returned registration (PUT). */
export async function updateProject(db: Db, actor: Actor, id: string, input: RegistrationInput, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await getProject(trx, id, true);
    if (!p) throw Errors.notFound('Project', '项目');
    assertParty(actor, { status: p.status, ownerOrgId: p.owner_org_id, agencyOrgId: p.agency_org_id, industry: p.industry, regionCode: p.region_code });
    if (!EDITABLE.includes(p.status)) {
      throw Errors.conflict('INTAKE_NOT_EDITABLE', `项目状态为 ${p.status}，不能修改（仅草稿或被退回时可改）`, `The project is ${p.status}; it can be changed only as a draft or after a return`, 'status');
    }
    const d = await checkRegistration(trx, input, now);
    await assertFilesUsable(trx, input.materials ?? [], [p.owner_org_id, p.agency_org_id]);
    await trx
      .updateTable('projects')
      .set({
        name: input.name.trim(),
        catalog_version_id: d.versionId,
        catalog_code: d.entry.code,
        procedure_type: input.procedureType,
        subject: input.subject ?? null,
        region_code: input.regionCode,
        industry: d.entry.industry,
        estimate_fen: input.estimateFen,
        mandatory: d.mandatory,
        threshold_fen: d.thresholdFen,
        green_channel_requested: !!input.greenChannelReason,
        green_channel_reason: input.greenChannelReason || null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await replaceLots(trx, id, input.lots);
    await replaceMaterials(trx, id, input.materials ?? [], actor.accountId, now);
    const row = (await getProject(trx, id))!;
    const payload = eventPayload(row, await getLots(trx, id));
    await recordLedger(trx, { type: 'project.updated', subjectType: 'project', subjectId: id, actorId: actor.accountId, payload: { ...payload, materials: input.materials ?? [] } }, now);
    await emitEvent(trx, { type: 'project.updated', payload }, now);
  });
}
