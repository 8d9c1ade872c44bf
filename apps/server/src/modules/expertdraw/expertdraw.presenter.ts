import { Type, type Static } from 'typebox';
import type { DbOrTx } from '../../platform/db/database';
import { expertCode } from '../experts/index';
import * as repo from './expertdraw.repo';
import type { Quota } from './expertdraw.tables';
import type { Viewer } from './expertdraw.policy';

const Member = Type.Object({
  position: Type.Integer(),
  specialty: Type.String(),
  status: Type.String(),
  drawId: Type.String(),
  drawnAt: Type.String(),
  respondBy: Type.String(),
  respondedAt: Type.Union([Type.String(), Type.Null()]),
  checkedInAt: Type.Union([Type.String(), Type.Null()]),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  // Only for custodians, and for the parties once published.
  expert: Type.Union([Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});

export const RequestView = Type.Object({
  id: Type.String(),
  tenderId: Type.String(),
  lotNo: Type.Integer(),
  status: Type.String(),
  quotas: Type.Array(Type.Object({ code: Type.String(), count: Type.Integer() })),
  regions: Type.Array(Type.String()),
  remote: Type.Boolean(),
  kinds: Type.Array(Type.String()),
  evaluationAt: Type.String(),
  evaluationEndsAt: Type.String(),
  earliestAt: Type.String(),
  confirmMinutes: Type.Integer(),
  draws: Type.Array(Type.Object({ id: Type.String(), status: Type.String(), commitment: Type.String(), replaces: Type.Union([Type.String(), Type.Null()]), replaceReason: Type.Union([Type.String(), Type.Null()]) })),
  seats: Type.Array(Type.Object({ specialty: Type.String(), needed: Type.Integer(), invited: Type.Integer(), confirmed: Type.Integer(), declined: Type.Integer(), expired: Type.Integer(), voided: Type.Integer() })),
  vacancyReason: Type.Union([Type.String(), Type.Null()]),
  /** Why seating the evaluation committee failed at the last attempt ('CODE: 说明'); null once seated. */
  seatError: Type.Union([Type.String(), Type.Null()]),
  namesVisible: Type.Boolean(),
  members: Type.Array(Member),
  createdAt: Type.String(),
  executedAt: Type.Union([Type.String(), Type.Null()]),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type RequestViewT = Static<typeof RequestView>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function presentRequest(db: DbOrTx, id: string, viewer: Exclude<Viewer, null>): Promise<RequestViewT> {
  const r = (await repo.getRequest(db, id))!;
  const members = await repo.membersOf(db, id);
  const names = viewer === 'custodian' || r.status === 'published';
  const experts = names && members.length
    ? new Map((await db.selectFrom('experts').select(['id', 'serial_no', 'name', 'phone']).where('id', 'in', members.map((m) => m.expert_id)).execute()).map((e) => [e.id, e]))
    : new Map();
  const draws = await db
    .selectFrom('lottery_draws')
    .select(['id', 'status', 'commitment', 'replaces', 'replace_reason'])
    .where('subject', '=', `tender:${r.tender_id}/lot:${r.lot_no}/experts`)
    .orderBy('commit_seq')
    .execute();
  const quotas = r.quotas as Quota[];
  const count = (code: string, s: string) => members.filter((m) => m.specialty === code && m.status === s).length;
  return {
    id: r.id,
    tenderId: r.tender_id,
    lotNo: r.lot_no,
    status: r.status,
    quotas,
    regions: r.regions,
    remote: r.remote,
    kinds: r.kinds,
    evaluationAt: r.evaluation_at.toISOString(),
    evaluationEndsAt: r.evaluation_ends_at.toISOString(),
    earliestAt: r.earliest_at.toISOString(),
    confirmMinutes: r.confirm_minutes,
    draws: draws.map((d) => ({ id: d.id, status: d.status, commitment: d.commitment, replaces: d.replaces, replaceReason: d.replace_reason })),
    seats: quotas.map((q) => ({
      specialty: q.code,
      needed: q.count,
      invited: count(q.code, 'invited'),
      confirmed: count(q.code, 'confirmed'),
      declined: count(q.code, 'declined'),
      expired: count(q.code, 'expired'),
      voided: count(q.code, 'voided'),
    })),
    vacancyReason: r.vacancy_reason,
    seatError: r.seat_error,
    namesVisible: names,
    members: members.map((m) => {
      const e = experts.get(m.expert_id);
      return {
        position: m.position,
        specialty: m.specialty,
        status: m.status,
        drawId: m.draw_id,
        drawnAt: m.drawn_at.toISOString(),
        respondBy: m.respond_by.toISOString(),
        respondedAt: iso(m.responded_at),
        checkedInAt: iso(m.checked_in_at),
        // A decline's free text may name people or firms: custodians only.
        voidReason: names ? m.void_reason : null,
        expert: e ? { id: e.id, code: expertCode(e.serial_no), name: e.name, phone: viewer === 'custodian' ? e.phone : null } : null,
      };
    }),
    createdAt: r.created_at.toISOString(),
    executedAt: iso(r.executed_at),
    completedAt: iso(r.completed_at),
    publishedAt: iso(r.published_at),
  };
}

export const InvitationView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  specialty: Type.String(),
  evaluationAt: Type.String(),
  evaluationEndsAt: Type.String(),
  regions: Type.Array(Type.String()),
  respondBy: Type.String(),
  respondedAt: Type.Union([Type.String(), Type.Null()]),
  checkedInAt: Type.Union([Type.String(), Type.Null()]),
  // The project is named only once the expert has confirmed (the check-in needs it).
  project: Type.Union([Type.Object({ tenderId: Type.String(), title: Type.String(), lotNo: Type.Integer(), lotId: Type.String() }), Type.Null()]),
});

export async function presentInvitations(db: DbOrTx, accountId: string) {
  const rows = await db
    .selectFrom('expert_draw_members as m')
    .innerJoin('expert_draw_requests as r', 'r.id', 'm.request_id')
    .innerJoin('tenders as t', 't.id', 'r.tender_id')
    .select(['m.id', 'm.status', 'm.specialty', 'm.respond_by', 'm.responded_at', 'm.checked_in_at', 'r.evaluation_at', 'r.evaluation_ends_at', 'r.regions', 'r.tender_id', 'r.lot_no', 'r.lot_id', 't.title'])
    .where('m.account_id', '=', accountId)
    .orderBy('m.drawn_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((m) => ({
    id: m.id,
    status: m.status,
    specialty: m.specialty,
    evaluationAt: m.evaluation_at.toISOString(),
    evaluationEndsAt: m.evaluation_ends_at.toISOString(),
    regions: m.regions,
    respondBy: m.respond_by.toISOString(),
    respondedAt: iso(m.responded_at),
    checkedInAt: iso(m.checked_in_at),
    // lotId: the evaluation workspace's address (GET /api/evaluation/lots/:lotId/workspace).
    project: m.status === 'confirmed' ? { tenderId: m.tender_id, title: m.title, lotNo: m.lot_no, lotId: m.lot_id } : null,
  }));
}
