import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { appendLedger } from '../../../platform/ledger/append';
import { renderAwardNotice } from '../../../platform/pdf/award-notice';
import type { LotRow, TenderRow } from '../../tendering/index';

export interface IssuedNotice {
  noticeNo: string;
  fileId: string;
  sha256: string;
  contentSha256: string;
  ledgerSeq: number;
  pdfLedgerSeq: number;
}

/**
 * The 中标通知书 (法 45): its content is hashed and ledgered first, so the PDF can carry its own ledger position and
 * content hash in the verification footer; the PDF (deterministic bytes) goes to the file store as an upload of the
 * tenderer's organisation and its SHA-256 is ledgered in a second entry. Inside the award transaction: a blob written
 * by a transaction that then fails stays unreferenced (harmless; identical content reuses it).
 */
export async function issueAwardNotice(
  trx: DbOrTx,
  ctx: AppContext,
  a: {
    tender: TenderRow;
    lot: LotRow;
    winner: { orgId: string; name: string };
    priceFen: number;
    bidSubmittedAt: Date;
    contractDeadline: Date;
    actorId: string;
  },
  now: Date,
): Promise<IssuedNotice> {
  const { tender, lot } = a;
  const names = new Map(
    (
      await trx
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', [tender.owner_org_id, tender.agency_org_id ?? tender.owner_org_id])
        .execute()
    ).map((o) => [o.id, o.name]),
  );
  const noticeNo = `ZB${now.getUTCFullYear()}-${tender.serial_no}-${lot.lot_no}`;
  const content = {
    noticeNo,
    tenderId: tender.id,
    lotId: lot.id,
    lotNo: lot.lot_no,
    winnerOrgId: a.winner.orgId,
    winnerName: a.winner.name,
    priceFen: a.priceFen,
    bidSubmittedAt: a.bidSubmittedAt.toISOString(),
    contractDeadline: a.contractDeadline.toISOString(),
    issuedAt: now.toISOString(),
  };
  const contentSha256 = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  const entry = await appendLedger(
    trx,
    {
      type: 'award.notice_issued',
      subjectType: 'tender_lot',
      subjectId: lot.id,
      actorId: a.actorId,
      payload: { ...content, contentSha256 },
    },
    now,
  );
  const pdf = await renderAwardNotice({
    noticeNo,
    winnerName: a.winner.name,
    tenderTitle: tender.title,
    tenderCode: `${tender.serial_no}`,
    lotTitle: `标段${lot.lot_no}（${lot.name}）`,
    bidSubmittedAt: a.bidSubmittedAt,
    priceFen: a.priceFen,
    tendererName: names.get(tender.owner_org_id) ?? '',
    agencyName: tender.agency_org_id ? (names.get(tender.agency_org_id) ?? null) : null,
    contractDeadline: a.contractDeadline,
    issuedAt: now,
    verification: { ledgerSeq: entry.seq, contentSha256, url: `/verify?seq=${entry.seq}` },
  });
  const stored = await ctx.files.put(Readable.from(pdf));
  await trx
    .insertInto('files')
    .values({ sha256: stored.sha256, size: stored.size, mime: 'application/pdf', created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const up = await trx
    .insertInto('file_uploads')
    .values({
      sha256: stored.sha256,
      original_name: `中标通知书-${noticeNo}.pdf`,
      uploader_id: a.actorId,
      org_id: tender.owner_org_id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pdfEntry = await appendLedger(
    trx,
    {
      type: 'award.notice_pdf',
      subjectType: 'tender_lot',
      subjectId: lot.id,
      actorId: a.actorId,
      payload: { noticeNo, fileId: up.id, sha256: stored.sha256, size: stored.size, contentSha256, noticeLedgerSeq: entry.seq },
    },
    now,
  );
  return { noticeNo, fileId: up.id, sha256: stored.sha256, contentSha256, ledgerSeq: entry.seq, pdfLedgerSeq: pdfEntry.seq };
}
