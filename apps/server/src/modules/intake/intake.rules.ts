/**
 * Pure rules of project intake (项目入场登记). No I/O.
 */
import type { ProjectStatus } from './intake.tables';

export type Transition = 'submit' | 'accept' | 'return' | 'accept_green';

/**
 * The status machine: draft → submitted → (accepted | returned | accepted_green); returned → submitted (resubmission).
 * accepted and accepted_green are final for intake (green-channel items are supplied without a status change).
 */
const TRANSITIONS: Record<Transition, { from: ProjectStatus[]; to: ProjectStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  accept: { from: ['submitted'], to: 'accepted' },
  return: { from: ['submitted'], to: 'returned' },
  accept_green: { from: ['submitted'], to: 'accepted_green' },
};

export function nextStatus(from: ProjectStatus, t: Transition): ProjectStatus | undefined {
  const rule = TRANSITIONS[t];
  return rule.from.includes(from) ? rule.to : undefined;
}

/** The registrant may change its registration only while the window does not hold it. */
export const EDITABLE: readonly ProjectStatus[] = ['draft', 'returned'];

/**
 * Fields a return item may name besides material codes. A return names what is wrong, so the registrant knows
 * exactly what to fix: a material (by its catalog code) or one of these fields.
 */
export const FIELD_ITEM_CODES = ['name', 'catalogCode', 'procedureType', 'subject', 'regionCode', 'estimateFen', 'lots', 'greenChannelReason'] as const;

export interface LotInput {
  name: string;
  estimateFen: number;
}

/**
 * Lots (标段/包): at least one; names unique; and the lots' estimates add up to the project's estimate exactly.
 * The sum rule keeps the project estimate — the figure compared with the mandatory-entry threshold, which applies to
 * the combined contracts of a project (必须招标的工程项目规定 第五条第二款) — honest: it cannot be understated
 * against the lots that will actually be tendered, nor lots split off outside the registration.
 * Returns [field, zh, en] or undefined.
 */
export function lotsProblem(estimateFen: number, lots: LotInput[]): [string, string, string] | undefined {
  if (lots.length === 0) return ['lots', '至少需要一个标段（包）', 'At least one lot is required'];
  const names = lots.map((l) => l.name.trim());
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0) return [`lots.${dup}.name`, `标段名称重复：${names[dup]}`, `Duplicate lot name: ${names[dup]}`];
  const sum = lots.reduce((s, l) => s + l.estimateFen, 0);
  if (sum !== estimateFen) {
    return ['lots', `各标段估算金额之和（${sum} 分）必须等于项目估算金额（${estimateFen} 分）`, `The lots' estimates add up to ${sum} fen; they must equal the project estimate (${estimateFen} fen)`];
  }
  return undefined;
}

export interface ReturnItem {
  code: string;
  note: string;
}

/**
 * 一次告知 (Chifeng measure 2: "以一次性告知单的形式一次性退回告知补充，不得再次增加修改内容"; measure 1: "退回并一次性
 * 告知所要调整、补充的材料"). The first return carries the one complete list. A later return may only repeat items
 * of that first list (the window judges that an item is still not right, and may say why in a new note); any item
 * not on the first list is refused, because it should have been told the first time.
 * Returns the codes that are new (empty: allowed).
 */
export function newItemsBeyondFirstList(firstList: ReturnItem[] | undefined, items: ReturnItem[]): string[] {
  if (!firstList) return [];
  const told = new Set(firstList.map((i) => i.code));
  return items.map((i) => i.code).filter((c) => !told.has(c));
}

export function duplicateCode(items: { code: string }[]): string | undefined {
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.code)) return i.code;
    seen.add(i.code);
  }
  return undefined;
}

/** Overdue: still waiting for the window after the due instant (1 working day from submission). */
export function isOverdue(p: { status: ProjectStatus; dueAt: Date | null }, now: Date): boolean {
  return p.status === 'submitted' && !!p.dueAt && now.getTime() > p.dueAt.getTime();
}

/** Human project number: YW + zero-padded serial. */
export function projectCode(serialNo: number): string {
  return `YW${String(serialNo).padStart(8, '0')}`;
}
