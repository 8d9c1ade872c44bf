import { createPublicKey } from 'node:crypto';
import type { Db, DbOrTx } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { getRequirement } from '../deposits.repo';

const bad = (code: string, field: string, zh: string, en: string) => new AppError(code, 400, zh, en, field);

export interface BankInput {
  code: string;
  name: string;
  masterAccountName: string;
  masterAccountNo: string;
  subAccountPrefix: string;
  /** Shared secret for callback HMACs (≥ 32 characters). Never shown again, never ledgered. */
  hmacSecret: string;
  active?: boolean;
}

/** Register or update a bank (administrators; the demo seed). Ledgered without the secret. */
export async function registerBank(db: Db, actorId: string | null, b: BankInput, now: Date): Promise<void> {
  if (b.hmacSecret.length < 32)
    throw bad('BANK_SECRET_WEAK', 'hmacSecret', 'HMAC 共享密钥至少 32 个字符', 'The HMAC shared secret needs at least 32 characters');
  await db.transaction().execute(async (trx) => {
    const row = {
      name: b.name,
      master_account_name: b.masterAccountName,
      master_account_no: b.masterAccountNo,
      sub_account_prefix: b.subAccountPrefix,
      hmac_secret: b.hmacSecret,
      active: b.active ?? true,
      updated_at: now,
    };
    await trx
      .insertInto('deposit_banks')
      .values({ code: b.code, ...row, created_at: now })
      .onConflict((oc) => oc.column('code').doUpdateSet(row))
      .execute();
    const { hmacSecret: _secret, ...shown } = b;
    await recordLedger(
      trx,
      { type: 'deposit.bank_registered', subjectType: 'deposit_bank', subjectId: b.code, actorId, payload: shown },
      now,
    );
  });
}

export interface IssuerInput {
  code: string;
  name: string;
  apiBaseUrl: string;
  /** The issuer's Ed25519 public key (SPKI PEM) that signs its answers. */
  publicKeyPem: string;
  active?: boolean;
}

export async function registerIssuer(db: Db, actorId: string | null, i: IssuerInput, now: Date): Promise<void> {
  try {
    if (createPublicKey(i.publicKeyPem).asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
  } catch {
    throw bad(
      'ISSUER_KEY_INVALID',
      'publicKeyPem',
      '出函机构公钥须为 Ed25519（SPKI PEM）',
      'The issuer key must be an Ed25519 public key (SPKI PEM)',
    );
  }
  if (!/^https?:\/\//.test(i.apiBaseUrl))
    throw bad('ISSUER_URL_INVALID', 'apiBaseUrl', '接口地址须为 http(s) URL', 'The API base URL must be an http(s) URL');
  await db.transaction().execute(async (trx) => {
    const row = { name: i.name, api_base_url: i.apiBaseUrl, public_key_pem: i.publicKeyPem, active: i.active ?? true, updated_at: now };
    await trx
      .insertInto('deposit_issuers')
      .values({ code: i.code, ...row, created_at: now })
      .onConflict((oc) => oc.column('code').doUpdateSet(row))
      .execute();
    await recordLedger(
      trx,
      { type: 'deposit.issuer_registered', subjectType: 'deposit_issuer', subjectId: i.code, actorId, payload: { ...i } },
      now,
    );
  });
}

/**
 * What the tendering module tells this module about a lot. Called inside the tendering module's own transaction
 * when the tender is published, and again whenever any of it changes (a clarification that moves the deadline
 * moves `revealAfter` and `bidValidUntil`).
 */
export interface LotDepositRequirement {
  tenderId: string;
  lotId: string;
  /** Shown to bidders and staff, e.g. "XM-2026-0012 第1标段". */
  lotLabel: string;
  /** Required deposit in 分 (≤ 2% of the estimate/budget: 条例 26, 采购条例 33 — the caller's policy checks the cap). */
  requiredFen: number;
  /** False where cash deposits are banned or the tender asks for guarantees only. */
  cashAllowed: boolean;
  /** The bid deadline: before it, nobody but the bidder itself may see deposit records (DOMAIN §7). */
  revealAfter: Date;
  /** End of the bid validity period: a guarantee must be valid at least until then. */
  bidValidUntil: Date;
  /** The guarantee beneficiary: the tenderer / purchaser. */
  beneficiary: { name: string; uscc: string | null };
  tendererOrgId: string | null;
  agencyOrgId: string | null;
  /** Jurisdiction for supervisors (platform/auth/policies.ts). */
  industry: string;
  regionCode: string;
}

export async function registerLotDeposit(trx: DbOrTx, r: LotDepositRequirement, now: Date, actorId: string | null = null): Promise<void> {
  if (!Number.isSafeInteger(r.requiredFen) || r.requiredFen < 0)
    throw bad(
      'DEPOSIT_AMOUNT_INVALID',
      'requiredFen',
      '保证金金额须为非负整数（分）',
      'The deposit must be a non-negative integer number of fen',
    );
  if (r.bidValidUntil.getTime() < r.revealAfter.getTime()) {
    throw bad(
      'DEPOSIT_VALIDITY_INVALID',
      'bidValidUntil',
      '投标有效期不得早于投标截止时间',
      'The bid validity period cannot end before the bid deadline',
    );
  }
  const before = await getRequirement(trx, r);
  const row = {
    lot_label: r.lotLabel,
    required_fen: r.requiredFen,
    cash_allowed: r.cashAllowed,
    reveal_after: r.revealAfter,
    bid_valid_until: r.bidValidUntil,
    beneficiary_name: r.beneficiary.name,
    beneficiary_uscc: r.beneficiary.uscc,
    tenderer_org_id: r.tendererOrgId,
    agency_org_id: r.agencyOrgId,
    industry: r.industry,
    region_code: r.regionCode,
    updated_at: now,
  };
  await trx
    .insertInto('deposit_requirements')
    .values({ tender_id: r.tenderId, lot_id: r.lotId, ...row, created_at: now })
    .onConflict((oc) => oc.columns(['tender_id', 'lot_id']).doUpdateSet(row))
    .execute();
  const payload = { ...r, revealAfter: r.revealAfter.toISOString(), bidValidUntil: r.bidValidUntil.toISOString(), replaced: !!before };
  await recordLedger(
    trx,
    { type: 'deposit.requirement_registered', subjectType: 'tender_lot', subjectId: `${r.tenderId}/${r.lotId}`, actorId, payload },
    now,
  );
  await emitEvent(trx, { type: 'deposit.requirement_registered', payload }, now);
}
