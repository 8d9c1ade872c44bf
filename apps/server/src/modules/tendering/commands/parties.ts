import { ROLE_FAMILY, type Role } from '@yiwang/contracts';
import { canSupervise } from '../../../platform/auth/policies';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import type { ProcedurePolicy } from '../policies/types';
import type { CreateTenderInput } from './create';

type Kind = 'center' | 'regulator' | 'tenderer';

/**
 * k-of-n key escrow (ARCHITECTURE §5): custodians are active accounts of the center's staff, of a regulator with
 * jurisdiction over the project and of the tenderer organisation; all three kinds must be there, and k must exceed
 * the custodians of any one kind, so that no single party — center, regulator or tenderer — can recover a bid key.
 */
export async function checkCustodians(
  trx: DbOrTx,
  escrow: CreateTenderInput['escrow'],
  p: { industry: string; region: string; ownerOrgId: string },
) {
  const ids = [...new Set(escrow.custodianAccountIds)];
  const rows = ids.length
    ? await trx
        .selectFrom('accounts')
        .innerJoin('account_roles', 'account_roles.account_id', 'accounts.id')
        .select(['accounts.id', 'accounts.org_id', 'account_roles.role', 'account_roles.industries', 'account_roles.regions'])
        .where('accounts.id', 'in', ids)
        .where('accounts.status', '=', 'active')
        .execute()
    : [];
  const out = ids.map((id, i) => {
    const grants = rows.filter((r) => r.id === id).map((r) => ({ ...r, role: r.role as Role }));
    let kind: Kind | undefined;
    if (grants.some((g) => ROLE_FAMILY[g.role] === 'center')) kind = 'center';
    else if (canSupervise({ roles: grants.filter((g) => g.role === 'regulator') }, { industry: p.industry, region: p.region }))
      kind = 'regulator';
    else if (grants.some((g) => g.role === 'tenderer' && g.org_id === p.ownerOrgId)) kind = 'tenderer';
    if (!kind) {
      throw new AppError(
        'TENDER_CUSTODIAN_INVALID',
        400,
        `账号 ${id} 不能作为密钥托管人：须为交易中心工作人员、有管辖权的监管人员或招标人账号`,
        `Account ${id} cannot be a key custodian: it must be center staff, a regulator with jurisdiction, or the tenderer's account`,
        `escrow.custodianAccountIds.${i}`,
      );
    }
    return { accountId: id, kind };
  });
  const count = (k: Kind) => out.filter((c) => c.kind === k).length;
  const missing = (['center', 'regulator', 'tenderer'] as const).filter((k) => count(k) === 0);
  if (missing.length) {
    throw new AppError(
      'TENDER_CUSTODIANS_INCOMPLETE',
      400,
      `密钥托管人须包括交易中心、监管部门和招标人，缺少：${missing.join('、')}`,
      `Custodians must include the center, a regulator and the tenderer; missing: ${missing.join(', ')}`,
      'escrow.custodianAccountIds',
      { missing },
    );
  }
  const maxOne = Math.max(count('center'), count('regulator'), count('tenderer'));
  if (escrow.k > out.length || escrow.k <= maxOne) {
    throw new AppError(
      'TENDER_ESCROW_K_INVALID',
      400,
      `门限 k 须大于任一方托管人数（${maxOne}）且不超过托管人总数（${out.length}）`,
      `k must exceed the custodians of any one party (${maxOne}) and not exceed their number (${out.length})`,
      'escrow.k',
      { min: maxOne + 1, max: out.length },
    );
  }
  return out;
}

export async function checkInvitations(
  trx: DbOrTx,
  policy: ProcedurePolicy,
  orgIds: string[],
  parties: (string | null)[],
): Promise<string[]> {
  const ids = [...new Set(orgIds)];
  if (!policy.invitational) {
    if (ids.length)
      throw Errors.validation(
        'invitedOrgIds',
        `${policy.nameZh} 不邀请特定供应商，请留空`,
        `${policy.nameEn} does not invite specific bidders; leave this empty`,
        'TENDER_INVITATIONS_NOT_ALLOWED',
      );
    return [];
  }
  const min = policy.minInvited?.value ?? 1;
  if (ids.length < min) {
    throw new AppError(
      'TENDER_TOO_FEW_INVITED',
      400,
      `${policy.nameZh} 须邀请至少 ${min} 家（${policy.minInvited?.basis}）`,
      `${policy.nameEn} must invite at least ${min} organisations`,
      'invitedOrgIds',
      { min },
    );
  }
  const ok = await trx
    .selectFrom('organisations')
    .innerJoin('accounts', 'accounts.org_id', 'organisations.id')
    .innerJoin('account_roles', 'account_roles.account_id', 'accounts.id')
    .select('organisations.id')
    .distinct()
    .where('organisations.id', 'in', ids)
    .where('organisations.status', '=', 'active')
    .where('account_roles.role', '=', 'bidder')
    .execute();
  const good = new Set(ok.map((r) => r.id));
  ids.forEach((o, i) => {
    if (!good.has(o) || parties.includes(o))
      throw Errors.validation(
        `invitedOrgIds.${i}`,
        `单位 ${o} 不是可邀请的投标人`,
        `Organisation ${o} is not a bidder that can be invited`,
        'TENDER_INVITEE_INVALID',
      );
  });
  return ids;
}
