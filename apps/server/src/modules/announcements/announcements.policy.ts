import type { Actor } from '../../platform/auth/actor';
import { hasRole, requireRole } from '../../platform/auth/actor';
import { AppError, Errors } from '../../platform/http/errors';
import type { AnnouncementRow } from './announcements.repo';

/**
 * Who may do what with an announcement:
 * - authors are tenderers and agencies, acting for their own organisation only (an agency publishes in its own
 *   name on the tenderer's behalf); another organisation's drafts do not exist for them (404, not 403, so ids
 *   cannot be probed);
 * - reviewers are trading-center intake staff (信息发布审核); they see submitted and published announcements.
 */
export function requireAuthor(req: Parameters<typeof requireRole>[0]): Actor & { orgId: string } {
  const actor = requireRole(req, 'tenderer', 'agency');
  if (!actor.orgId) throw new AppError('ORG_REQUIRED', 403, '账号未关联单位，不能发布公告', 'The account belongs to no organisation and cannot publish', undefined);
  return actor as Actor & { orgId: string };
}

export function requireReviewer(req: Parameters<typeof requireRole>[0]): Actor {
  return requireRole(req, 'center_intake');
}

export function isOwner(actor: Actor | null, row: Pick<NonNullable<AnnouncementRow>, 'publisher_org_id'>): boolean {
  return !!actor?.orgId && actor.orgId === row.publisher_org_id && hasRole(actor, 'tenderer', 'agency');
}

export function canView(actor: Actor | null, row: Pick<NonNullable<AnnouncementRow>, 'publisher_org_id' | 'status'>): boolean {
  if (row.status === 'published') return true;
  if (isOwner(actor, row)) return true;
  return row.status === 'in_review' && hasRole(actor, 'center_intake');
}

export const notFound = () => Errors.notFound('Announcement', '公告');
