import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { shanghaiDate } from '../../../platform/calendar/index';
// The identity module keeps natural persons' ID numbers only as this keyed HMAC; the registry must produce the very
// same hash so one person is one record across both (its index does not re-export the helper).
import { personIdHash } from '../../identity/identity.pii';
import {
  assertTransition,
  checkApplicant,
  checkConflict,
  checkSpecialties,
  missingMaterials,
  supervisingIndustries,
  type ConflictInput,
} from '../experts.rules';
import {
  accountHasRole,
  classification,
  getExpertByAccount,
  getSettings,
  insertConflicts,
  orgOf,
  personRecord,
  replaceLinks,
  replaceMaterials,
} from '../experts.repo';
import type { EvaluationKind, MaterialCode, TitleLevel } from '../experts.tables';
import { record } from './shared';

export interface ApplicationInput {
  name: string;
  idNumber: string;
  phone?: string | null;
  titleLevel: TitleLevel;
  titleName?: string | null;
  equivalentLevel?: boolean;
  experienceYears: number;
  employer?: { name: string; uscc: string } | null;
  homeRegion: string;
  specialties: string[];
  regions: string[];
  kinds: EvaluationKind[];
  conflicts?: ConflictInput[];
  materials: { code: MaterialCode; fileId: string }[];
}

/**
 * Materials are uploads of the platform file store made by the applicant's own account: an id from someone else's
 * upload is refused exactly like an unknown one, so ids reveal nothing.
 */
async function assertOwnUploads(db: DbOrTx, accountId: string, materials: { fileId: string }[]): Promise<void> {
  if (!materials.length) return;
  const rows = await db.selectFrom('file_uploads').select('id').where('id', 'in', materials.map((m) => m.fileId)).where('uploader_id', '=', accountId).execute();
  const ok = new Set(rows.map((r) => r.id));
  materials.forEach((m, i) => {
    if (!ok.has(m.fileId))
      throw new AppError('EXPERT_FILE_UNKNOWN', 400, `文件 ${m.fileId} 不存在或不是本人上传的`, `File ${m.fileId} does not exist or was not uploaded by you`, `materials.${i}.fileId`);
  });
}

/**
 * Apply (or apply again after a return, a rejection or an exit) to the expert pool. One transaction: checks, the
 * record with its links, declared conflicts and materials, ledger, outbox. Who may apply: an account holding the
 * expert role (created by the administrator) or a natural person's own account (自然人注册); a natural person's
 * account must give the ID number it registered with.
 */
export async function submitApplication(ctx: AppContext, actor: Actor, input: ApplicationInput): Promise<{ id: string; created: boolean }> {
  const now = ctx.clock.now();
  const today = shanghaiDate(now);
  const employer = input.employer ?? null;
  const { idNumber, employerUscc } = checkApplicant(
    { ...input, equivalentLevel: input.equivalentLevel ?? false, employer },
    today,
  );
  const conflicts = (input.conflicts ?? []).map((c, i) => checkConflict(c, today, `conflicts.${i}`));
  const missing = missingMaterials({ titleLevel: input.titleLevel, equivalentLevel: input.equivalentLevel ?? false }, input.materials.map((m) => m.code));
  if (missing.length)
    throw new AppError('EXPERT_MATERIAL_MISSING', 400, `缺少证明材料：${missing.join('、')}`, `Supporting material missing: ${missing.join(', ')}`, 'materials', { missing });
  const idHash = personIdHash(ctx.config, idNumber);

  try {
    return await applyInTransaction(ctx, actor, input, { idHash, employerUscc, conflicts, now });
  } catch (e) {
    // Two first applications at once (same account or same person): the unique index decides, the answer is the same
    // as the pre-checks give.
    const err = e as { code?: string; constraint?: string; message?: string };
    if (err?.code === '23505') {
      const which = `${err.constraint ?? ''} ${err.message ?? ''}`;
      if (which.includes('person_id_hash')) throw Errors.conflict('EXPERT_PERSON_EXISTS', '该身份证号码已有专家信息（每人只能有一份）', 'This person already has an expert record (one per person)', 'idNumber');
      if (which.includes('account_id')) throw Errors.conflict('EXPERT_APPLICATION_PENDING', '申请正在审核中，请等待审核结果', 'The application is being reviewed; wait for the decision', 'status');
    }
    throw e;
  }
}

async function applyInTransaction(
  ctx: AppContext,
  actor: Actor,
  input: ApplicationInput,
  c: { idHash: string; employerUscc: string | null; conflicts: ReturnType<typeof checkConflict>[]; now: Date },
): Promise<{ id: string; created: boolean }> {
  const { idHash, employerUscc, conflicts, now } = c;
  const employer = input.employer ?? null;
  return ctx.db.transaction().execute(async (trx) => {
    const org = actor.orgId ? await orgOf(trx, actor.orgId) : undefined;
    const isPerson = org?.kind === 'person';
    if (!isPerson && !(await accountHasRole(trx, actor.accountId, 'expert')))
      throw new AppError(
        'EXPERT_APPLICANT_NOT_PERSON',
        403,
        '评标专家须由本人以自然人账号或专家账号申请，单位账号不能申请',
        'Experts apply in person, with a natural person’s or an expert account; organisation accounts cannot',
      );
    if (isPerson && org.person_id_hash && org.person_id_hash !== idHash)
      throw new AppError('EXPERT_ID_MISMATCH', 400, '身份证号码与本账号实名登记的不一致', 'The ID number differs from the one this account registered with', 'idNumber');

    const settings = await getSettings(trx);
    const cls = await classification(trx);
    checkSpecialties(input.specialties, cls, settings.max_specialties);
    await assertOwnUploads(trx, actor.accountId, input.materials);
    const industries = supervisingIndustries(input.kinds, input.specialties.map((c) => cls.get(c)!.industry));

    const existing = await getExpertByAccount(trx, actor.accountId, true);
    const other = await personRecord(trx, idHash);
    if (other && other.account_id !== actor.accountId)
      throw Errors.conflict('EXPERT_PERSON_EXISTS', '该身份证号码已有专家信息（每人只能有一份）', 'This person already has an expert record (one per person)', 'idNumber');
    if (existing?.status === 'submitted')
      throw Errors.conflict('EXPERT_APPLICATION_PENDING', '申请正在审核中，请等待审核结果', 'The application is being reviewed; wait for the decision', 'status');
    if (existing && (existing.status === 'active' || existing.status === 'suspended'))
      throw Errors.conflict('EXPERT_ALREADY_REGISTERED', '您已在专家库中', 'You are already in the expert pool', 'status');
    if (existing?.status === 'removed')
      throw Errors.conflict('EXPERT_REMOVED', '您已被取消专家资格，不能再次申请', 'Your expert qualification was revoked; you cannot apply again', 'status');
    const status = assertTransition(existing?.status ?? 'none', 'apply');

    const fields = {
      person_id_hash: idHash,
      name: input.name.trim(),
      phone: input.phone?.trim() || null,
      title_level: input.titleLevel,
      title_name: input.titleName?.trim() || null,
      equivalent_level: input.equivalentLevel ?? false,
      experience_years: input.experienceYears,
      employer_name: employer ? employer.name.trim() : null,
      employer_uscc: employerUscc,
      home_region: input.homeRegion,
      industries,
      status,
      submitted_at: now,
      decided_at: null,
      decided_by: null,
      updated_at: now,
    };
    let id: string;
    if (existing) {
      id = existing.id;
      await trx
        .updateTable('experts')
        .set({ ...fields, submit_count: existing.submit_count + 1, ended_at: null, end_reason: null, suspended_reason: null })
        .where('id', '=', id)
        .execute();
      // An application that never reached the pool is replaced as a whole, its declared conflicts included. Once an
      // expert has been in the pool its declarations stay (avoidance history): the new list only adds to them.
      if (!existing.activated_at) await trx.deleteFrom('expert_conflicts').where('expert_id', '=', id).execute();
    } else {
      id = (await trx.insertInto('experts').values({ ...fields, account_id: actor.accountId, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await replaceLinks(trx, id, { specialties: input.specialties, regions: input.regions, kinds: input.kinds });
    await replaceMaterials(trx, id, input.materials, now);
    const kept = await trx.selectFrom('expert_conflicts').select(['kind', 'org_uscc', 'started_on', 'ended_on']).where('expert_id', '=', id).execute();
    const same = (c: (typeof conflicts)[number]) => (k: (typeof kept)[number]) =>
      k.kind === c.kind && k.org_uscc.trim() === c.orgUscc && k.started_on === (c.startedOn ?? null) && k.ended_on === (c.endedOn ?? null);
    await insertConflicts(
      trx,
      id,
      conflicts
        .filter((c) => !kept.some(same(c)))
        .map((c) => ({ kind: c.kind, orgUscc: c.orgUscc, orgName: c.orgName, relation: c.relation ?? null, startedOn: c.startedOn ?? null, endedOn: c.endedOn ?? null, avoidUntil: c.avoidUntil })),
      now,
    );
    await record(
      trx,
      actor.accountId,
      id,
      'expert.applied',
      {
        resubmission: !!existing,
        previousStatus: existing?.status ?? null,
        specialties: input.specialties,
        regions: input.regions,
        kinds: input.kinds,
        titleLevel: input.titleLevel,
        experienceYears: input.experienceYears,
        employerUscc,
        conflictOrgs: conflicts.map((c) => c.orgUscc),
        materials: input.materials.map((m) => m.fileId),
      },
      now,
    );
    return { id, created: !existing };
  });
}
