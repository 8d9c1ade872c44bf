import { registerOutboxProcessor } from '../../platform/outbox/processors';
import type { ReleaseTag } from '../opendata/index';
import { getTender, POLICIES } from '../tendering/index';
import { releaseFor } from './award.snapshot';

/**
 * Open data before the opening: the tendering module's public steps become OCDS releases here, where the process
 * snapshot is built (ARCHITECTURE §4: modules react to each other's events, they do not call each other).
 * - tender.published → 'tender'; tender.clarified → 'tenderUpdate' (documents added); tender.deadline_moved →
 *   'tenderAmendment' (the change notice). A tender without a public notice (邀请招标) has no release until its
 *   opening record, like on the portal.
 * The snapshot shows only what is public at processing time (award.snapshot.ts), so a release never carries who
 * obtained the documents, who asked or who bid.
 */
const TAGS: Record<string, ReleaseTag> = {
  'tender.published': 'tender',
  'tender.clarified': 'tenderUpdate',
  'tender.deadline_moved': 'tenderAmendment',
};

registerOutboxProcessor({
  name: 'award.ocds_tender_releases',
  types: Object.keys(TAGS),
  async handle(events, trx, ctx) {
    for (const e of events) {
      const t = await getTender(trx, String(e.payload.tenderId));
      if (!t || t.status !== 'published') continue;
      const policy = POLICIES[t.procedure_type as keyof typeof POLICIES];
      if (!policy?.announcements.publish) continue;
      await releaseFor(trx, ctx.config.ocidPrefix, t, [TAGS[e.type]!], null, ctx.clock.now());
    }
  },
});
