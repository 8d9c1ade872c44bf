import type { FastifyInstance } from 'fastify';
import { announcementRoutes } from './announcements.routes';
import { portalRoutes } from './portal.routes';
import './announcements.notifications'; // tells the publisher when its notice is published or returned
import { registerFileAccessRule } from '../../platform/files/index';
import { hasRole } from '../../platform/auth/actor';
import { fileShownBy } from './announcements.repo';

/** 信息发布: announcements (workbench: draft → review → publish) and the public portal read side (search, feeds, stats). */
// A published announcement's files are public; files of one awaiting review are readable by the reviewers.
// Registered once at import time (the rule set is process-wide).
registerFileAccessRule(async ({ db, actor, file }) =>
  (await fileShownBy(db, file.id, ['published'])) || (hasRole(actor, 'center_intake') && (await fileShownBy(db, file.id, ['in_review']))),
);

export default async function announcementsModule(app: FastifyInstance): Promise<void> {
  await announcementRoutes(app);
  await portalRoutes(app);
}

// The public surface for other modules and the demo seeder.
export { createPublishedAnnouncement, PUBLISHED_EVENT } from './commands/publish';
export { sanitizeBody } from './announcements.rules';
