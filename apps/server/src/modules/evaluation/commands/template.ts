import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { recordLedger } from '../../../platform/ledger/append';
import { createHash } from 'node:crypto';
import { BEFORE_DEADLINE, isTenderParty } from '../../tendering/index';
import { evalErrors, loadLot } from '../evaluation.repo';
import { parseCenti, templateProblem, type Template } from '../evaluation.rules';

/** The template as the API speaks it: points as decimal strings, shares as percentages. */
export type TemplateBody =
  | { method: 'lowest_price' }
  | {
      method: 'comprehensive';
      items: { code: string; name: string; category: 'technical' | 'commercial'; min: string; max: string }[];
      price: { benchmark: 'lowest'; max: string } | { benchmark: 'average'; max: string; coefficient: string; abovePerPercent: string; belowPerPercent: string };
      trimmed: boolean;
      deviationPercent: number;
    };

function centi(field: string, s: string): number {
  const c = parseCenti(s);
  if (c == null) throw Errors.validation(field, '分值须为非负数，最多两位小数', 'Points must be non-negative with at most two decimals', 'EVAL_POINTS_INVALID');
  return c;
}

/** API body → stored template (hundredths, basis points); validation problems as 400 at the field. */
export function toTemplate(b: TemplateBody): Template {
  if (b.method === 'lowest_price') return { method: 'lowest_price' };
  const coefficient = b.price.benchmark === 'average' ? /^[01](\.[0-9]{1,4})?$/.exec(b.price.coefficient) : null;
  if (b.price.benchmark === 'average' && !coefficient) throw Errors.validation('price.coefficient', '系数须为最多四位小数的数', 'The coefficient must be a number with at most 4 decimals', 'EVAL_POINTS_INVALID');
  const t: Template = {
    method: 'comprehensive',
    items: b.items.map((i, k) => ({ code: i.code, name: i.name.trim(), category: i.category, minCenti: centi(`items.${k}.min`, i.min), maxCenti: centi(`items.${k}.max`, i.max) })),
    price:
      b.price.benchmark === 'lowest'
        ? { benchmark: 'lowest', maxCenti: centi('price.max', b.price.max) }
        : {
            benchmark: 'average',
            maxCenti: centi('price.max', b.price.max),
            coefficientBp: Math.round(Number(b.price.coefficient) * 10000), // ≤ 4 decimals: exact
            aboveCenti: centi('price.abovePerPercent', b.price.abovePerPercent),
            belowCenti: centi('price.belowPerPercent', b.price.belowPerPercent),
          },
    trimmed: b.trimmed,
    deviationBp: Math.round(b.deviationPercent * 100),
  };
  const p = templateProblem(t);
  if (p) throw new AppError('EVAL_TEMPLATE_INVALID', 400, p.zh, p.en, p.field);
  return t;
}

/**
 * The tenderer/agency sets the lot's scoring template from its tender documents. Allowed only while the lot is
 * before its deadline: the method and criteria of the documents bind the committee (招标投标法 第四十条：评标委员会应当
 * 按照招标文件确定的评标标准和方法; 87号令 第四十四条), so after the opening the template cannot change.
 */
export async function setTemplate(ctx: AppContext, actor: Actor, lotId: string, body: TemplateBody): Promise<Template> {
  const now = ctx.clock.now();
  const t = toTemplate(body);
  return ctx.db.transaction().execute(async (trx) => {
    const { tender, lot } = await loadLot(trx, lotId, true);
    if (!isTenderParty(actor, { ownerOrgId: tender.owner_org_id, agencyOrgId: tender.agency_org_id })) throw evalErrors.lotNotFound();
    if (!BEFORE_DEADLINE.includes(lot.status))
      throw Errors.conflict('EVAL_TEMPLATE_LOCKED', '开标后评标办法不能修改', 'The scoring template cannot change after the opening', 'method');
    await trx
      .insertInto('eval_templates')
      .values({ lot_id: lotId, method: t.method, template: JSON.stringify(t), set_by: actor.accountId, set_at: now })
      .onConflict((oc) => oc.column('lot_id').doUpdateSet({ method: t.method, template: JSON.stringify(t), set_by: actor.accountId, set_at: now }))
      .execute();
    const sha256 = createHash('sha256').update(JSON.stringify(t)).digest('hex');
    await recordLedger(trx, { type: 'evaluation.template_set', subjectType: 'tender_lot', subjectId: lotId, actorId: actor.accountId, payload: { tenderId: tender.id, lotId, method: t.method, sha256 } }, now);
    return t;
  });
}
