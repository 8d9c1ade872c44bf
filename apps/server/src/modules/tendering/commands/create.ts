import type { Actor } from '../../../platform/auth/actor';
import { loadCalendar, shanghaiDate } from '../../../platform/calendar/index';
import type { Db, DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { listEntries } from '../../catalog/index';
import '../../intake/index';
import { bidDeadlineProblem, depositCapFen, isTenderingProcedure } from '../policies/engine';
import type { ProcedurePolicy } from '../policies/types';
import { effectivePolicy, uploadsOf } from '../tendering.repo';
import { isParty, tenderNotFound } from '../tendering.policy';
import { checkCustodians, checkInvitations } from './parties';
import { record } from './shared';

export interface CreateTenderInput {
  projectId: string;
  procedureType?: string;
  title?: string;
  noticeHtml?: string;
  plannedPublishAt?: string;
  lots: { lotNo: number; depositFen: number; bidDeadline: string }[];
  documentIds: string[];
  escrow: { k: number; custodianAccountIds: string[] };
  invitedOrgIds?: string[];
}

const projectNotFound = () =>
  new AppError(
    'TENDER_PROJECT_UNKNOWN',
    404,
    '项目不存在，或本单位不是该项目的招标人或代理机构',
    'No such project, or your organisation is neither its tenderer nor its agency',
    'projectId',
  );

/**
 * A tender from an ACCEPTED intake project (DOMAIN §4 step 1 → 2): the procedure must be one the catalog entry allows;
 * each lot gets a deposit within the policy's cap, a bid deadline no earlier than the policy allows from the planned
 * publication (the opening is at the deadline, 法 34), the escrow custodians and k for sealed bids, and — for
 * invitational procedures — the invited organisations. One transaction; ledgered.
 */
export async function createTender(db: Db, actor: Actor, input: CreateTenderInput, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { project, procedure, planned, lots, docs, custodians, invited } = await checkInput(trx, actor, input, now);
    const tender = await trx
      .insertInto('tenders')
      .values({
        project_id: project.id,
        procedure_type: procedure,
        title: (input.title ?? project.name).trim().slice(0, 200),
        notice_html: input.noticeHtml ?? '',
        status: 'draft',
        owner_org_id: project.owner_org_id,
        agency_org_id: project.agency_org_id,
        industry: project.industry,
        region_code: project.region_code,
        catalog_code: project.catalog_code,
        planned_publish_at: planned,
        published_at: null,
        publisher_org_id: null,
        notice_id: null,
        escrow_k: input.escrow.k,
        created_by: actor.accountId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertParts(trx, tender.id, { lots, docs, custodians, invited }, now);
    await record(
      trx,
      actor.accountId,
      tender,
      'tender.created',
      {
        lots: lots.map((l) => ({ lotNo: l.lot_no, depositFen: l.deposit_fen, bidDeadline: l.bid_deadline.toISOString() })),
        escrowK: input.escrow.k,
        custodians,
      },
      now,
    );
    return tender.id;
  });
}

/**
 * Replace a draft's settings (same checks as creation; the project cannot change). Published tenders change only
 * through clarifications.
 */
export async function updateDraftTender(
  db: Db,
  actor: Actor,
  id: string,
  input: Omit<CreateTenderInput, 'projectId'>,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tenders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!t || !isParty(actor, { ownerOrgId: t.owner_org_id, agencyOrgId: t.agency_org_id })) throw tenderNotFound();
    if (t.status !== 'draft')
      throw Errors.conflict(
        'TENDER_ALREADY_PUBLISHED',
        '招标已发布，只能通过澄清修改',
        'The tender is published; change it through clarifications',
        'status',
      );
    const { project, procedure, planned, lots, docs, custodians, invited } = await checkInput(
      trx,
      actor,
      { ...input, projectId: t.project_id },
      now,
      id,
    );
    for (const table of ['tender_lots', 'tender_documents', 'tender_custodians', 'tender_invitations'] as const)
      await trx.deleteFrom(table).where('tender_id', '=', id).execute();
    await trx
      .updateTable('tenders')
      .set({
        procedure_type: procedure,
        title: (input.title ?? project.name).trim().slice(0, 200),
        notice_html: input.noticeHtml ?? '',
        planned_publish_at: planned,
        escrow_k: input.escrow.k,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await insertParts(trx, id, { lots, docs, custodians, invited }, now);
    await record(
      trx,
      actor.accountId,
      t,
      'tender.updated',
      {
        lots: lots.map((l) => ({ lotNo: l.lot_no, depositFen: l.deposit_fen, bidDeadline: l.bid_deadline.toISOString() })),
        escrowK: input.escrow.k,
        custodians,
      },
      now,
    );
  });
}

type Checked = Awaited<ReturnType<typeof checkInput>>;

async function insertParts(trx: DbOrTx, tenderId: string, x: Pick<Checked, 'lots' | 'docs' | 'custodians' | 'invited'>, now: Date) {
  await trx
    .insertInto('tender_lots')
    .values(
      x.lots.map((l) => ({
        ...l,
        tender_id: tenderId,
        opening_at: l.bid_deadline,
        status: 'draft' as const,
        status_changed_at: now,
        deadline_held_at: null,
      })),
    )
    .execute();
  await trx
    .insertInto('tender_documents')
    .values(x.docs.map((f, i) => ({ tender_id: tenderId, seq: i + 1, file_id: f, clarification_id: null, added_at: now })))
    .execute();
  await trx
    .insertInto('tender_custodians')
    .values(x.custodians.map((c) => ({ tender_id: tenderId, account_id: c.accountId, kind: c.kind })))
    .execute();
  if (x.invited.length)
    await trx
      .insertInto('tender_invitations')
      .values(x.invited.map((o) => ({ tender_id: tenderId, org_id: o })))
      .execute();
}

async function checkInput(trx: DbOrTx, actor: Actor, input: CreateTenderInput, now: Date, self?: string) {
  const project = await trx.selectFrom('projects').selectAll().where('id', '=', input.projectId).forUpdate().executeTakeFirst();
  if (!project || !isParty(actor, { ownerOrgId: project.owner_org_id, agencyOrgId: project.agency_org_id })) throw projectNotFound();
  if (project.status !== 'accepted' && project.status !== 'accepted_green') {
    throw Errors.conflict(
      'TENDER_PROJECT_NOT_ACCEPTED',
      `项目尚未受理（当前状态 ${project.status}），不能发起招标`,
      `The project has not been accepted (status ${project.status}); it cannot be tendered yet`,
      'projectId',
    );
  }
  const procedure = input.procedureType ?? project.procedure_type;
  if (!isTenderingProcedure(procedure)) {
    throw Errors.validation(
      'procedureType',
      `交易方式 ${procedure} 不属于招标采购类（拍卖、挂牌等另有模块）`,
      `Procedure ${procedure} is not a tendering procedure (auctions and listings are elsewhere)`,
      'TENDER_PROCEDURE_UNSUPPORTED',
    );
  }
  const entry = (await listEntries(trx, project.catalog_version_id)).find((e) => e.code === project.catalog_code);
  if (!entry?.procedures.includes(procedure)) {
    throw new AppError(
      'TENDER_PROCEDURE_NOT_ALLOWED',
      400,
      `交易目录不允许 ${project.catalog_code} 采用 ${procedure}`,
      `The catalog does not allow ${procedure} for ${project.catalog_code}`,
      'procedureType',
      { allowed: entry?.procedures ?? [] },
    );
  }
  const policy = await effectivePolicy(trx, procedure);
  const planned = input.plannedPublishAt ? new Date(input.plannedPublishAt) : now;
  if (planned.getTime() < now.getTime() - 60_000)
    throw Errors.validation(
      'plannedPublishAt',
      '计划发布时间不能早于现在',
      'The planned publication cannot be in the past',
      'TENDER_PUBLISH_IN_PAST',
    );

  const projectLots = await trx.selectFrom('project_lots').selectAll().where('project_id', '=', project.id).execute();
  const busy = await trx
    .selectFrom('tender_lots')
    .innerJoin('tenders', 'tenders.id', 'tender_lots.tender_id')
    .select('tender_lots.lot_no')
    .where('tenders.project_id', '=', project.id)
    .where('tender_lots.status', 'not in', ['failed', 'terminated'])
    .where('tenders.id', '!=', self ?? '00000000-0000-0000-0000-000000000000')
    .execute();
  const cal = await loadCalendar(trx);
  const seen = new Set<number>();
  const lots = input.lots.map((l, i) => {
    const pl = projectLots.find((x) => x.seq === l.lotNo);
    if (!pl)
      throw Errors.validation(`lots.${i}.lotNo`, `项目没有标段 ${l.lotNo}`, `The project has no lot ${l.lotNo}`, 'TENDER_LOT_UNKNOWN');
    if (seen.has(l.lotNo))
      throw Errors.validation(`lots.${i}.lotNo`, `标段 ${l.lotNo} 重复`, `Lot ${l.lotNo} is listed twice`, 'TENDER_LOT_DUPLICATE');
    seen.add(l.lotNo);
    if (busy.some((b) => b.lot_no === l.lotNo)) {
      throw new AppError(
        'TENDER_LOT_ALREADY_TENDERED',
        409,
        `标段 ${l.lotNo} 已在另一招标中进行`,
        `Lot ${l.lotNo} is already in another tender`,
        `lots.${i}.lotNo`,
      );
    }
    const cap = depositCapFen(policy, pl.estimate_fen);
    if (l.depositFen > cap) {
      throw new AppError(
        'TENDER_DEPOSIT_OVER_CAP',
        400,
        `标段 ${l.lotNo} 的保证金超过上限 ${cap} 分（${policy.deposit.basis}：不超过${policy.deposit.base === 'estimate' ? '估算价' : '预算'}的 ${policy.deposit.capPercent}%）`,
        `Lot ${l.lotNo}'s deposit exceeds the cap of ${cap} fen (${policy.deposit.capPercent}% of the ${policy.deposit.base})`,
        `lots.${i}.depositFen`,
        { capFen: cap, basis: policy.deposit.basis },
      );
    }
    const deadline = new Date(l.bidDeadline);
    assertDeadline(cal, policy, planned, deadline, `lots.${i}.bidDeadline`);
    return { lot_no: l.lotNo, name: pl.name, estimate_fen: pl.estimate_fen, deposit_fen: l.depositFen, bid_deadline: deadline };
  });

  const docs = [...new Set(input.documentIds)];
  const own = await uploadsOf(trx, docs, [project.owner_org_id, project.agency_org_id]);
  docs.forEach((d, i) => {
    if (!own.has(d))
      throw Errors.validation(
        `documentIds.${i}`,
        `文件 ${d} 不存在或不是本项目登记方上传的`,
        `File ${d} does not exist or was not uploaded by this project's parties`,
        'TENDER_FILE_UNKNOWN',
      );
  });
  const custodians = await checkCustodians(trx, input.escrow, {
    industry: project.industry,
    region: project.region_code,
    ownerOrgId: project.owner_org_id,
  });
  const invited = await checkInvitations(trx, policy, input.invitedOrgIds ?? [], [project.owner_org_id, project.agency_org_id]);

  return { project, procedure, policy, planned, lots, docs, custodians, invited };
}

export function assertDeadline(
  cal: Awaited<ReturnType<typeof loadCalendar>>,
  policy: ProcedurePolicy,
  issueAt: Date,
  deadline: Date,
  field: string,
): void {
  // A deadline in a year without holiday data could not be moved correctly later: refuse it now (DOMAIN §3).
  cal.assertKnown(shanghaiDate(deadline));
  const problem = bidDeadlineProblem(cal, policy, issueAt, deadline);
  if (problem) {
    const p = policy.periods.minBidPeriod;
    throw new AppError(
      'TENDER_DEADLINE_TOO_SOON',
      400,
      `投标截止时间过早：自文件发出之日起不得少于 ${p.n} ${p.unit === 'day' ? '日' : '个工作日'}（${p.basis}），最早为 ${problem.earliest}`,
      `The bid deadline is too soon: at least ${p.n} ${p.unit === 'day' ? 'days' : 'working days'} from issue (${p.basis}); the earliest day is ${problem.earliest}`,
      field,
      { earliest: problem.earliest, basis: p.basis },
    );
  }
}
