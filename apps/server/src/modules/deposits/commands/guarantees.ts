import type { Actor } from '../../../platform/auth/actor';
import type { Db } from '../../../platform/db/database';
import { AppError } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { queryIssuer, type IssuerAnswer } from '../adapters/issuer';
import { guaranteeProblems, type GuaranteeProblem } from '../deposits.rules';
import { getIssuer, getRequirement, orgById, type GuaranteeRow, type LotKey } from '../deposits.repo';
import { assertBidder, lotUnknown } from '../deposits.policy';
import { retryOnUniqueViolation } from '../unique';

type Problem = GuaranteeProblem | 'signature_invalid' | 'not_found' | 'nonce_mismatch';

/**
 * A bidder attaches an electronic guarantee (电子保函) to a lot: the platform asks the issuer (adapters/issuer.ts),
 * checks the signed answer against the lot (deposits.rules.ts guaranteeProblems) and records the outcome either way
 * — a rejected attempt stays on file with its reasons (a forged guarantee is evidence). The issuer call happens
 * outside any transaction (keep transactions short; PGlite is one connection).
 */
export async function attachGuarantee(
  db: Db,
  actor: Actor,
  lot: LotKey,
  input: { issuerCode: string; guaranteeNo: string },
  now: () => Date,
): Promise<GuaranteeRow> {
  const bidderOrgId = assertBidder(actor);
  const [req, issuer, bidder] = await Promise.all([getRequirement(db, lot), getIssuer(db, input.issuerCode), orgById(db, bidderOrgId)]);
  if (!req) throw lotUnknown();
  if (!issuer || !issuer.active)
    throw new AppError(
      'ISSUER_UNKNOWN',
      400,
      `出函机构 ${input.issuerCode} 未在本平台登记`,
      `Issuer ${input.issuerCode} is not registered on this platform`,
      'issuerCode',
    );
  if (!bidder) throw new AppError('FORBIDDEN', 403, '账号所属机构不存在', 'The account’s organisation does not exist');
  const deadlinePassed = () =>
    new AppError(
      'DEPOSIT_DEADLINE_PASSED',
      409,
      '投标截止时间已过，不能再提交保函',
      'The bid deadline has passed; guarantees can no longer be attached',
    );
  if (now().getTime() >= req.reveal_after.getTime()) throw deadlinePassed();

  const answer: IssuerAnswer = await queryIssuer(
    { code: issuer.code, apiBaseUrl: issuer.api_base_url, publicKeyPem: issuer.public_key_pem },
    input.guaranteeNo,
  );

  return retryOnUniqueViolation(() =>
    db.transaction().execute(async (trx) => {
      const at = now();
      // Re-read: the deadline or the amount may have moved while the issuer answered.
      const current = (await getRequirement(trx, lot, { forUpdate: true }))!;
      if (at.getTime() >= current.reveal_after.getTime()) throw deadlinePassed();
      let problems: Problem[];
      if (answer.kind === 'untrusted') problems = [answer.reason];
      else if (answer.kind === 'not_found') problems = ['not_found'];
      else
        problems = guaranteeProblems(answer.document, {
          issuerCode: issuer.code,
          guaranteeNo: input.guaranteeNo,
          tenderId: lot.tenderId,
          lotId: lot.lotId,
          bidder: { name: bidder.name, uscc: bidder.uscc },
          beneficiary: { name: current.beneficiary_name, uscc: current.beneficiary_uscc },
          requiredFen: current.required_fen,
          bidValidUntil: current.bid_valid_until,
          now: at,
        });
      if (problems.length === 0) {
        const taken = await trx
          .selectFrom('deposit_guarantees')
          .select(['id', 'bidder_org_id', 'tender_id', 'lot_id'])
          .where('issuer_code', '=', issuer.code)
          .where('guarantee_no', '=', input.guaranteeNo)
          .where('status', '=', 'verified')
          .executeTakeFirst();
        if (taken) {
          const same = taken.bidder_org_id === bidderOrgId && taken.tender_id === lot.tenderId && taken.lot_id === lot.lotId;
          if (same) return await trx.selectFrom('deposit_guarantees').selectAll().where('id', '=', taken.id).executeTakeFirstOrThrow();
          throw new AppError(
            'GUARANTEE_ALREADY_USED',
            409,
            '该保函已被用于其他投标',
            'This guarantee already backs another bid',
            'guaranteeNo',
          );
        }
      }
      const found = answer.kind === 'found' ? answer : null;
      const row = await trx
        .insertInto('deposit_guarantees')
        .values({
          tender_id: lot.tenderId,
          lot_id: lot.lotId,
          bidder_org_id: bidderOrgId,
          issuer_code: issuer.code,
          guarantee_no: input.guaranteeNo,
          status: problems.length ? 'rejected' : 'verified',
          problems: JSON.stringify(problems),
          amount_fen: found?.document.amountFen ?? null,
          valid_until: found && Number.isFinite(Date.parse(found.document.validUntil)) ? new Date(found.document.validUntil) : null,
          // The issuer's exact signed bytes, so anyone can re-verify the record later against the issuer's key.
          document: found ? JSON.stringify({ raw: found.raw }) : null,
          signature: found?.signature ?? null,
          verified_at: at,
          released_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const payload = {
        ...lot,
        bidderOrgId,
        issuerCode: issuer.code,
        guaranteeNo: input.guaranteeNo,
        status: row.status,
        problems,
        amountFen: row.amount_fen,
        validUntil: row.valid_until?.toISOString() ?? null,
      };
      const type = problems.length ? 'deposit.guarantee_rejected' : 'deposit.guarantee_verified';
      await recordLedger(
        trx,
        { type, subjectType: 'deposit_guarantee', subjectId: row.id, actorId: actor.accountId, payload },
        at,
      );
      await emitEvent(trx, { type, payload: { guaranteeId: row.id, ...payload } }, at);
      return row;
    }),
  );
}
