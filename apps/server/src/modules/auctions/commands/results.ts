import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppContext } from '../../../platform/context';
import type { Tx } from '../../../platform/db/database';
import { appendLedger } from '../../../platform/ledger/append';
import { fenToYuanGrouped } from '../../../platform/pdf/money';
import { createPublishedAnnouncement } from '../../announcements/index';
import { applyDepositToPrice } from '../../deposits/index';
import { policyOf } from '../auctions.rules';
import type { AuctionRow } from '../auctions.tables';
import { renderConfirmation, shanghaiDateTime } from '../confirmation.pdf';
import { DEPOSIT_LOT } from './numbers';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (fen: number) => `${fenToYuanGrouped(fen)} 元`;
const at = (d: Date) => `${shanghaiDateTime(d)}（北京时间）`;

type NoticeFields = Pick<AuctionRow, 'id' | 'title' | 'policy' | 'industry' | 'region_code' | 'start_price_fen' | 'increment_fen' | 'reserve_fen' | 'deposit_fen' | 'registration_ends_at' | 'starts_at' | 'ends_at' | 'countdown_seconds' | 'preemption_org_id'>;

/**
 * 出让/挂牌公告 (transfer_notice), published when the auction opens for registration (拍卖法 第四十五条: the notice goes
 * out at least seven days before the auction day). The reserve's amount is never in it — only whether there is one.
 */
export async function publishTransferNotice(trx: Tx, a: NoticeFields, organiserOrgId: string, actorId: string, now: Date): Promise<string> {
  const policy = policyOf(a.policy);
  const body = [
    `<p>${esc(a.title)}以${esc(policy.label.zh)}方式在一网交易平台网上公开交易，现公告如下。</p>`,
    '<ul>',
    `<li>起始价：${yuan(a.start_price_fen)}；增价幅度：${yuan(a.increment_fen)}；${a.reserve_fen !== null ? '设有保留价' : '不设保留价'}</li>`,
    `<li>竞买保证金：${yuan(a.deposit_fen)}，须于报名截止前经银行确认到账（网上申请虚拟子账号缴纳）</li>`,
    `<li>报名截止：${at(a.registration_ends_at)}；竞价开始：${at(a.starts_at)}；${policy.firstPhase === 'listing' ? '挂牌截止' : policy.firstPhase === 'free' ? '自由竞价截止' : '竞价截止'}：${at(a.ends_at)}</li>`,
    `<li>限时竞价：最后 ${Math.round(a.countdown_seconds / 60)} 分钟内有出价的，截止时间自该出价起顺延 ${Math.round(a.countdown_seconds / 60)} 分钟</li>`,
    a.preemption_org_id ? '<li>本项目有优先购买权人，可在竞价结束后的期限内以最高应价行使优先购买权</li>' : '',
    '</ul>',
    '<p>竞买号牌于报名截止时以可验证随机抽取方式分配；竞价中竞买人仅以号牌显示。</p>',
    `<p>网上报名与竞价：/auctions/${a.id}</p>`,
  ].join('');
  const n = await createPublishedAnnouncement(
    trx,
    { type: 'transfer_notice', title: `${a.title} ${policy.label.zh}公告`.slice(0, 200), categoryCode: a.industry, regionCode: a.region_code, bodyHtml: body, publisherOrgId: organiserOrgId, actorId },
    now,
  );
  return n.id;
}

/**
 * 成交公示 (deal_publicity) or 流拍公告 (failure_notice), linked to the listing notice. During bidding a bidder is only
 * a number; once sold, the result names the buyer, as published land and equity transfer results name the 竞得人 /
 * 受让方 (the losing bidders stay anonymous). Published at the final close — after any pre-emption window.
 */
export async function publishResult(trx: Tx, a: AuctionRow, r: { sold: boolean; reason: string | null; buyerName: string | null; buyerNo: number | null; priceFen: number | null }, now: Date): Promise<string> {
  const policy = policyOf(a.policy);
  const reasonZh: Record<string, string> = { no_bids: '无人出价', below_reserve: '最高应价未达到保留价' };
  const body = r.sold
    ? `<p>${esc(a.title)}（${esc(policy.label.zh)}）已于${at(a.closed_at ?? now)}竞价结束。</p><ul><li>买受人：${esc(r.buyerName ?? '')}（竞买号 ${r.buyerNo}）</li><li>成交价：${yuan(r.priceFen!)}</li><li>有效出价：${a.bid_count} 次</li></ul>`
    : `<p>${esc(a.title)}（${esc(policy.label.zh)}）已于${at(a.closed_at ?? now)}竞价结束，因${esc(reasonZh[r.reason ?? ''] ?? r.reason ?? '')}流拍。</p><p>竞买保证金将依规退还。</p>`;
  const n = await createPublishedAnnouncement(
    trx,
    {
      type: r.sold ? 'deal_publicity' : 'failure_notice',
      title: `${a.title} ${r.sold ? '成交公示' : '流拍公告'}`.slice(0, 200),
      categoryCode: a.industry,
      regionCode: a.region_code,
      relatedId: a.notice_id,
      bodyHtml: body,
      publisherOrgId: a.organiser_org_id,
      actorId: null,
    },
    now,
  );
  return n.id;
}

/**
 * The 成交确认书: its content is hashed and ledgered first, so the PDF carries its own ledger position and hash in the
 * footer (as the 中标通知书 does); the deterministic PDF goes to the file store as an upload of the organiser's
 * organisation. Download is the organiser's and the buyer's only (route `confirmation.pdf`).
 */
export async function issueConfirmation(
  trx: Tx,
  ctx: AppContext,
  a: AuctionRow,
  w: { orgId: string; name: string; no: number | null; priceFen: number; depositAppliedFen: number; via: string },
  now: Date,
): Promise<{ fileId: string; confirmationNo: string; ledgerSeq: number; sha256: string }> {
  const organiser = await trx.selectFrom('organisations').select('name').where('id', '=', a.organiser_org_id).executeTakeFirst();
  const confirmationNo = `CJ${shanghaiDateTime(now).slice(0, 4)}-${a.id.slice(0, 8).toUpperCase()}`;
  const content = { confirmationNo, auctionId: a.id, buyerOrgId: w.orgId, buyerName: w.name, buyerNo: w.no, finalPriceFen: w.priceFen, depositAppliedFen: w.depositAppliedFen, bidCount: a.bid_count, lastEventSeq: a.event_seq, closedAt: (a.closed_at ?? now).toISOString(), via: w.via, issuedAt: now.toISOString() };
  const contentSha256 = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  const entry = await appendLedger(trx, { type: 'auction.confirmation_issued', subjectType: 'auction', subjectId: a.id, payload: { ...content, contentSha256 } }, now);
  const pdf = await renderConfirmation({
    confirmationNo,
    auctionTitle: a.title,
    policyLabel: policyOf(a.policy).label.zh,
    organiserName: organiser?.name ?? '',
    buyerName: w.name,
    buyerNo: w.no,
    finalPriceFen: w.priceFen,
    depositAppliedFen: w.depositAppliedFen,
    bidCount: a.bid_count,
    startedAt: a.starts_at,
    closedAt: a.closed_at ?? now,
    via: w.via,
    issuedAt: now,
    verification: { ledgerSeq: entry.seq, contentSha256, url: `/verify?seq=${entry.seq}` },
  });
  const stored = await ctx.files.put(Readable.from(pdf));
  await trx.insertInto('files').values({ sha256: stored.sha256, size: stored.size, mime: 'application/pdf', created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const up = await trx
    .insertInto('file_uploads')
    .values({ sha256: stored.sha256, original_name: `成交确认书-${confirmationNo}.pdf`, uploader_id: a.created_by, org_id: a.organiser_org_id, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('auctions').set({ confirmation_file_id: up.id, confirmation_no: confirmationNo, confirmation_ledger_seq: entry.seq, confirmation_sha256: stored.sha256 }).where('id', '=', a.id).execute();
  return { fileId: up.id, confirmationNo, ledgerSeq: entry.seq, sha256: stored.sha256 };
}

/** The winner's deposit becomes part of the price (the deposits module records and ledgers it). */
export async function applyWinnerDeposit(trx: Tx, a: AuctionRow, winnerOrgId: string, now: Date): Promise<number> {
  const r = await applyDepositToPrice(trx, { tenderId: a.id, lotId: DEPOSIT_LOT, bidderOrgId: winnerOrgId, reason: 'auction_sold' }, now);
  return r.totalFen;
}
