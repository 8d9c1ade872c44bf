import type { Actor } from '../../../platform/auth/actor';
import { scheduleJob } from '../../../platform/chronograph/jobs';
import type { Db } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { createPublishedAnnouncement } from '../../announcements/index';
import { registerLotDeposits } from './deposits';
import { assertLotTransition } from '../tendering.machine';
import { getDocuments, getInvitations, type LotRow, type TenderRow } from '../tendering.repo';
import { assertParty } from '../tendering.policy';
import type { ProcedurePolicy } from '../policies/types';
import { assertDeadline } from './create';
import { access, beijing, BID_DEADLINE_JOB, escapeHtml, loadTender, record } from './shared';

/**
 * Publish (DOMAIN §4 step 2): the documents and the 招标/采购公告 go out together, in one transaction — the
 * announcement through createPublishedAnnouncement (ledgered, outbox), every lot into bidding, a chronograph job at
 * each bid deadline. Invitational procedures send 投标邀请书 to the invited (notifications) instead of a public notice.
 * Deadlines are checked again against the actual publication instant: publishing later than planned can make them
 * too short.
 */
export async function publishTender(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { tender, lots, policy, cal } = await loadTender(trx, id);
    assertParty(actor, access(tender));
    if (tender.status !== 'draft')
      throw Errors.conflict('TENDER_ALREADY_PUBLISHED', '招标已发布', 'The tender is already published', 'status');
    const project = await trx.selectFrom('projects').select('status').where('id', '=', tender.project_id).executeTakeFirstOrThrow();
    if (project.status !== 'accepted' && project.status !== 'accepted_green') {
      throw Errors.conflict(
        'TENDER_PROJECT_NOT_ACCEPTED',
        '项目不处于受理状态，不能发布',
        'The project is not in an accepted state',
        'projectId',
      );
    }
    lots.forEach((l, i) => assertDeadline(cal, policy, now, l.bid_deadline, `lots.${i}.bidDeadline`));
    const docs = await getDocuments(trx, id);
    if (!docs.length)
      throw new AppError('TENDER_DOCUMENTS_MISSING', 409, '须先上传招标文件', 'Upload the tender documents first', 'documentIds');

    let noticeId: string | null = null;
    if (policy.announcements.publish) {
      const a = await createPublishedAnnouncement(
        trx,
        {
          type: policy.announcements.publish,
          title: tender.title,
          categoryCode: tender.catalog_code,
          regionCode: tender.region_code,
          projectId: tender.project_id,
          bodyHtml: noticeBody(tender, lots, policy, docs),
          publisherOrgId: actor.orgId!,
          actorId: actor.accountId,
        },
        now,
      );
      noticeId = a.id;
    } else {
      const invited = await getInvitations(trx, id);
      await notify(
        trx,
        {
          accountIds: await activeAccountsOfOrgs(
            trx,
            invited.map((o) => o.org_id),
          ),
          kind: 'tender.invitation',
          title: { zh: `投标邀请书：${tender.title}`, en: `Invitation to tender: ${tender.title}` },
          body: { zh: `请在平台获取招标文件（${policy.nameZh}）。`, en: `Obtain the documents on the platform (${policy.nameEn}).` },
          link: `/workbench/tenders/${id}`,
        },
        now,
      );
    }
    for (const l of lots) {
      const to = assertLotTransition(l.status, 'publish', l.lot_no);
      await trx.updateTable('tender_lots').set({ status: to, status_changed_at: now }).where('id', '=', l.id).execute();
      await scheduleJob(
        trx,
        { kind: BID_DEADLINE_JOB, subjectId: l.id, dueAt: l.bid_deadline, payload: { tenderId: id, lotNo: l.lot_no } },
        now,
      );
    }
    await registerLotDeposits(trx, tender, lots, now, actor.accountId);
    await trx
      .updateTable('tenders')
      .set({ status: 'published', published_at: now, publisher_org_id: actor.orgId!, notice_id: noticeId, updated_at: now })
      .where('id', '=', id)
      .execute();
    await record(
      trx,
      actor.accountId,
      tender,
      'tender.published',
      {
        noticeId,
        publishedAt: now.toISOString(),
        lots: lots.map((l) => ({ lotNo: l.lot_no, depositFen: l.deposit_fen, bidDeadline: l.bid_deadline.toISOString() })),
        documents: docs.map((d) => ({ seq: d.seq, name: d.original_name, sha256: d.sha256, size: d.size })),
        escrowK: tender.escrow_k,
      },
      now,
    );
  });
}

/** The generated notice body: what the portal shows. The documents themselves are obtained on the platform (recorded). */
function noticeBody(t: TenderRow, lots: LotRow[], policy: ProcedurePolicy, docs: { original_name: string; sha256: string }[]): string {
  const rows = lots
    .map(
      (l) =>
        `<tr><td>${l.lot_no}</td><td>${escapeHtml(l.name)}</td><td>${(l.deposit_fen / 100).toFixed(2)} 元</td><td>${beijing(l.bid_deadline)}</td></tr>`,
    )
    .join('');
  const files = docs.map((d) => `<li>${escapeHtml(d.original_name)}（SHA-256 ${d.sha256}）</li>`).join('');
  return (
    `<p>交易方式：${policy.nameZh}</p>` +
    `<table><thead><tr><th>标段</th><th>名称</th><th>投标保证金</th><th>投标截止及开标时间（北京时间）</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p>招标文件请登录本平台在线获取（获取记录在投标截止前保密）：</p><ul>${files}</ul>` +
    `<p>开标方式：不见面开标，投标人远程解密，解密时限 ${policy.periods.decryptionWindowMinutes.value} 分钟。</p>` +
    t.notice_html
  );
}
