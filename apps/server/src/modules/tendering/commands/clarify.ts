import type { Actor } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar/index';
import type { Db } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { deadlineAfterClarification } from '../policies/engine';
import { getClarifications, getDocuments, getObtain, getQuestions, obtainerOrgIds, uploadsOf } from '../tendering.repo';
import { assertParty } from '../tendering.policy';
import { assertBidderMayTakePart } from './obtain';
import { access, assertBiddingLive, loadTender, moveDeadlines, record } from './shared';

const notObtained = () => new AppError('TENDER_NOT_OBTAINED', 403, '须先获取招标文件', 'Obtain the documents first');

/**
 * A bidder that obtained the documents asks a question. The asker is stored (its own list, abuse handling) and never
 * shown to the tenderer, the agency, other bidders or staff: the question is anonymous (DOMAIN §4 step 4). The ledger
 * entry's subject is the question, its actor is not exposed by the ledger API. The parties are told a question came in.
 */
export async function askQuestion(db: Db, actor: Actor, id: string, text: string, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { tender, lots, policy } = await loadTender(trx, id, false);
    await assertBidderMayTakePart(trx, actor, tender, policy);
    if (!(await getObtain(trx, id, actor.orgId!))) throw notObtained();
    assertBiddingLive(lots, now, { zh: '提问', en: 'ask a question' });
    const q = await trx
      .insertInto('tender_questions')
      .values({
        tender_id: id,
        asker_org_id: actor.orgId!,
        asker_account_id: actor.accountId,
        body_text: text.trim(),
        asked_at: now,
        clarification_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordLedger(
      trx,
      {
        type: 'tender.question_asked',
        subjectType: 'tender_question',
        subjectId: q.id,
        actorId: actor.accountId,
        payload: { tenderId: id, text: text.trim() },
      },
      now,
    );
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [tender.owner_org_id, tender.agency_org_id]),
        kind: 'tender.question',
        title: { zh: `新的投标人提问：${tender.title}`, en: `New question: ${tender.title}` },
        body: { zh: '请通过澄清答复全部获取招标文件的投标人。', en: 'Answer all who obtained the documents with a clarification.' },
        link: `/workbench/tenders/${id}`,
      },
      now,
    );
    return q.id;
  });
}

export interface ClarificationInput {
  text: string;
  questionIds?: string[];
  fileIds?: string[];
  /** A later deadline than the rules require (optional; never earlier than the current one). */
  newBidDeadline?: string;
}

/**
 * A clarification or amendment (澄清/修改) goes to everyone who obtained the documents. Later than the policy's lead
 * time (条例 21: 15 日; 采购条例 31; 74号令 29/46; 214号文 10) the bid deadlines move to the end of the lead period
 * counted from now (calendar; 民法典 203), and a 变更公告 naming the tender notice is published.
 */
export async function publishClarification(db: Db, actor: Actor, id: string, input: ClarificationInput, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { tender, lots, policy, cal } = await loadTender(trx, id);
    assertParty(actor, access(tender));
    const live = assertBiddingLive(lots, now, { zh: '发布澄清', en: 'publish a clarification' });
    const questions = await getQuestions(trx, id);
    (input.questionIds ?? []).forEach((q, i) => {
      if (!questions.some((x) => x.id === q))
        throw Errors.validation(
          `questionIds.${i}`,
          `问题 ${q} 不属于本招标`,
          `Question ${q} is not one of this tender's`,
          'TENDER_QUESTION_UNKNOWN',
        );
    });
    const files = [...new Set(input.fileIds ?? [])];
    const own = await uploadsOf(trx, files, [tender.owner_org_id, tender.agency_org_id]);
    files.forEach((f, i) => {
      if (!own.has(f))
        throw Errors.validation(
          `fileIds.${i}`,
          `文件 ${f} 不存在或不是本项目登记方上传的`,
          `File ${f} does not exist or was not uploaded by this project's parties`,
          'TENDER_FILE_UNKNOWN',
        );
    });
    const requested = input.newBidDeadline ? new Date(input.newBidDeadline) : null;
    const changes = live.flatMap((l) => {
      const required = deadlineAfterClarification(cal, policy, now, l.bid_deadline);
      if (requested && required && requested < required) {
        throw new AppError(
          'TENDER_DEADLINE_TOO_SOON',
          400,
          `澄清晚于规定时限，投标截止时间最早为 ${shanghaiDate(required)}（${policy.periods.clarificationLead!.basis}）`,
          `The clarification is late; the bid deadline can be no earlier than ${shanghaiDate(required)}`,
          'newBidDeadline',
          { earliest: required.toISOString() },
        );
      }
      if (requested && requested < l.bid_deadline)
        throw Errors.validation(
          'newBidDeadline',
          '澄清不能提前投标截止时间',
          'A clarification cannot bring the bid deadline forward',
          'TENDER_DEADLINE_EARLIER',
        );
      const to = requested ?? required;
      return to && to.getTime() !== l.bid_deadline.getTime()
        ? [{ lotId: l.id, lotNo: l.lot_no, from: l.bid_deadline.toISOString(), to: to.toISOString() }]
        : [];
    });
    const seq = (await getClarifications(trx, id)).length + 1;
    const c = await trx
      .insertInto('tender_clarifications')
      .values({
        tender_id: id,
        seq,
        body_text: input.text.trim(),
        published_at: now,
        published_by: actor.accountId,
        deadline_changes: JSON.stringify(changes.map(({ lotNo, from, to }) => ({ lotNo, from, to }))),
        change_notice_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (files.length) {
      const base = (await getDocuments(trx, id)).reduce((m, d) => Math.max(m, d.seq), 0);
      await trx
        .insertInto('tender_documents')
        .values(files.map((f, i) => ({ tender_id: id, seq: base + i + 1, file_id: f, clarification_id: c.id, added_at: now })))
        .execute();
    }
    if (input.questionIds?.length)
      await trx
        .updateTable('tender_questions')
        .set({ clarification_id: c.id })
        .where('id', 'in', input.questionIds)
        .where('tender_id', '=', id)
        .execute();
    const noticeId = await moveDeadlines(
      trx,
      tender,
      policy,
      changes,
      { zh: `因第 ${seq} 号澄清（${policy.periods.clarificationLead?.basis ?? '招标人决定'}），投标截止时间顺延。` },
      actor.accountId,
      now,
    );
    if (noticeId) await trx.updateTable('tender_clarifications').set({ change_notice_id: noticeId }).where('id', '=', c.id).execute();
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, await obtainerOrgIds(trx, id)),
        kind: 'tender.clarification',
        title: { zh: `招标文件澄清（第 ${seq} 号）：${tender.title}`, en: `Clarification no. ${seq}: ${tender.title}` },
        body: { zh: input.text.trim().slice(0, 500), en: input.text.trim().slice(0, 500) },
        link: `/workbench/tenders/${id}`,
      },
      now,
    );
    await record(
      trx,
      actor.accountId,
      tender,
      'tender.clarified',
      {
        clarificationId: c.id,
        seq,
        text: input.text.trim(),
        fileIds: files,
        deadlineChanges: changes.map(({ lotNo, from, to }) => ({ lotNo, from, to })),
        changeNoticeId: noticeId,
      },
      now,
    );
    return c.id;
  });
}
