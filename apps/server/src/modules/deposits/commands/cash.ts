import { createHash } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor';
import type { Db, Tx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { authenticateNotification, type CreditNotification } from '../adapters/bank';
import { namesMatch, newSubAccountNumber } from '../deposits.rules';
import { getRequirement, listBanks, orgById, subAccountByNo, subAccountsOf, type LotKey, type SubAccountRow } from '../deposits.repo';
import { assertBidder, lotUnknown } from '../deposits.policy';
import { retryOnUniqueViolation } from '../unique';
import { confirmRefundByBank, refundLateCredit } from './refunds';

/**
 * 虚拟子账号 for (lot, bidder, bank): issued on the bidder's request, the same one on every later request. Refused
 * when the lot allows no cash deposit (e.g. 政府采购: 采购条例 33 wants non-cash forms accepted; the tender decides).
 */
export async function issueSubAccount(db: Db, actor: Actor, lot: LotKey, bankCode: string | undefined, now: Date): Promise<SubAccountRow> {
  const bidderOrgId = assertBidder(actor, lot);
  return retryOnUniqueViolation(() =>
    db.transaction().execute(async (trx) => {
      const req = await getRequirement(trx, lot);
      if (!req) throw lotUnknown();
      if (!req.cash_allowed) {
        throw new AppError(
          'DEPOSIT_CASH_NOT_ALLOWED',
          409,
          '本标段不接受现金保证金，请提交电子保函',
          'This lot accepts no cash deposit; attach an electronic guarantee',
          'bankCode',
        );
      }
      if (now.getTime() >= req.reveal_after.getTime()) {
        throw new AppError(
          'DEPOSIT_DEADLINE_PASSED',
          409,
          '投标截止时间已过，不再开立子账号',
          'The bid deadline has passed; no more sub-accounts are opened',
        );
      }
      const banks = await listBanks(trx);
      const bank = bankCode ? banks.find((b) => b.code === bankCode) : banks.length === 1 ? banks[0] : undefined;
      if (!bank) {
        throw new AppError(
          'DEPOSIT_BANK_UNKNOWN',
          400,
          bankCode ? `银行 ${bankCode} 未开通保证金业务` : '请选择收款银行',
          bankCode ? `Bank ${bankCode} does not take deposits` : 'Choose the receiving bank',
          'bankCode',
          {
            banks: banks.map((b) => b.code),
          },
        );
      }
      const existing = (await subAccountsOf(trx, { ...lot, bidderOrgId })).find((s) => s.bank_code === bank.code);
      if (existing) return existing;
      // Random numbers may collide with one already issued: draw again (10^10 space, so practically never twice).
      for (let attempt = 0; attempt < 5; attempt++) {
        const accountNo = newSubAccountNumber(bank.sub_account_prefix);
        const taken = await trx.selectFrom('deposit_sub_accounts').select('id').where('account_no', '=', accountNo).executeTakeFirst();
        if (taken) continue;
        const row = await trx
          .insertInto('deposit_sub_accounts')
          .values({
            tender_id: lot.tenderId,
            lot_id: lot.lotId,
            bidder_org_id: bidderOrgId,
            bank_code: bank.code,
            account_no: accountNo,
            created_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        // Subject is the sub-account's random id: staff who may read ledger subjects must not learn which lot has bidders.
        await recordLedger(
          trx,
          {
            type: 'deposit.sub_account_issued',
            subjectType: 'deposit_sub_account',
            subjectId: row.id,
            actorId: actor.accountId,
            payload: { ...lot, bidderOrgId, bankCode: bank.code, accountNo },
          },
          now,
        );
        return row;
      }
      throw new AppError(
        'DEPOSIT_SUB_ACCOUNT_EXHAUSTED',
        503,
        '子账号分配失败，请重试',
        'Could not allocate a sub-account number; try again',
      );
    }),
  );
}

export interface NotificationResult {
  result: 'recorded' | 'duplicate';
  id: string;
}

/** Handle one authenticated bank notification (credit or refund confirmation) in one transaction. */
export async function receiveBankNotification(
  db: Db,
  bankCode: string,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  now: Date,
): Promise<NotificationResult> {
  return retryOnUniqueViolation(() =>
    db.transaction().execute(async (trx) => {
      const { bank, notification } = await authenticateNotification(trx, bankCode, headers, raw, now);
      const digest = createHash('sha256').update(JSON.stringify(notification)).digest('hex');
      if (notification.type === 'refund') return confirmRefundByBank(trx, bank.code, notification, now);
      return recordCredit(trx, bank.code, notification, digest, now);
    }),
  );
}

async function recordCredit(trx: Tx, bankCode: string, n: CreditNotification, digest: string, now: Date): Promise<NotificationResult> {
  // Idempotent on the bank reference: banks retry until they see a 200.
  const dup = await trx
    .selectFrom('deposit_credits')
    .select(['id', 'body_sha256'])
    .where('bank_code', '=', bankCode)
    .where('bank_ref', '=', n.bankRef)
    .executeTakeFirst();
  if (dup) {
    if (dup.body_sha256 !== digest) {
      throw new AppError(
        'BANK_REF_CONFLICT',
        409,
        `银行流水号 ${n.bankRef} 已记录为另一笔不同的入账`,
        `Bank reference ${n.bankRef} was already recorded with different content`,
        'bankRef',
      );
    }
    return { result: 'duplicate', id: dup.id };
  }
  const creditedAt = new Date(n.creditedAt);
  if (creditedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('BANK_TIME_INVALID', 400, '到账时间晚于平台当前时间', 'creditedAt is later than the platform time', 'creditedAt');
  }
  const sub = await subAccountByNo(trx, bankCode, n.virtualAccount);
  if (!sub) {
    // The bank should return the money: no bidder asked for this account here.
    throw new AppError(
      'DEPOSIT_ACCOUNT_UNKNOWN',
      404,
      `虚拟子账号 ${n.virtualAccount} 不存在`,
      `Virtual account ${n.virtualAccount} does not exist`,
      'virtualAccount',
    );
  }
  const bidder = await orgById(trx, sub.bidder_org_id);
  const matches = !!bidder && namesMatch(n.payer.name, bidder.name);
  const flags: string[] = [];
  if (!matches) flags.push('payer_name_mismatch');
  const req = await getRequirement(trx, { tenderId: sub.tender_id, lotId: sub.lot_id });
  if (req && creditedAt.getTime() > req.reveal_after.getTime()) flags.push('after_deadline');
  // 条例 40: deposits of different bidders from one account. Recorded now; supervisors see it after the deadline.
  const shared = await trx
    .selectFrom('deposit_credits')
    .select('id')
    .where('payer_account_no', '=', n.payer.accountNo)
    .where('bidder_org_id', '<>', sub.bidder_org_id)
    .limit(1)
    .executeTakeFirst();
  if (shared) flags.push('payer_account_shared');
  const row = await trx
    .insertInto('deposit_credits')
    .values({
      bank_code: bankCode,
      bank_ref: n.bankRef,
      sub_account_id: sub.id,
      tender_id: sub.tender_id,
      lot_id: sub.lot_id,
      bidder_org_id: sub.bidder_org_id,
      amount_fen: n.amountFen,
      payer_name: n.payer.name,
      payer_account_no: n.payer.accountNo,
      payer_bank: n.payer.bank ?? null,
      credited_at: creditedAt,
      received_at: now,
      payer_name_matches: matches,
      flags: JSON.stringify(flags),
      body_sha256: digest,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const payload = {
    tenderId: sub.tender_id,
    lotId: sub.lot_id,
    bidderOrgId: sub.bidder_org_id,
    bankCode,
    bankRef: n.bankRef,
    amountFen: n.amountFen,
    payerName: n.payer.name,
    payerAccountNo: n.payer.accountNo,
    creditedAt: creditedAt.toISOString(),
    flags,
  };
  await recordLedger(
    trx,
    { type: 'deposit.credited', subjectType: 'deposit_credit', subjectId: row.id, actorId: null, payload },
    now,
  );
  await emitEvent(trx, { type: 'deposit.credited', payload: { creditId: row.id, ...payload } }, now);
  await refundLateCredit(trx, row, now);
  return { result: 'recorded', id: row.id };
}
