import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { notify } from '../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../platform/notify/recipients';
import { PUBLISHED_EVENT } from './commands/publish';

export const REJECTED_EVENT = 'announcement.rejected';

/** The publishing organisation hears when its notice goes live or comes back from review with a reason. */
registerOutboxProcessor({
  name: 'announcements.notifications',
  types: [PUBLISHED_EVENT, REJECTED_EVENT],
  async handle(events, trx, ctx) {
    const now = ctx.clock.now();
    for (const e of events) {
      const a = e.payload as { id: string; title: string; publisherOrgId: string; reason?: string };
      const published = e.type === PUBLISHED_EVENT;
      await notify(
        trx,
        {
          accountIds: await activeAccountsOfOrgs(trx, [a.publisherOrgId]),
          kind: e.type,
          title: published ? { zh: `公告已发布：${a.title}`, en: `Announcement published: ${a.title}` } : { zh: `公告被退回：${a.title}`, en: `Announcement returned: ${a.title}` },
          body: published
            ? { zh: '公告已在门户公开发布，发布后内容不可更改；如需变更请发布变更公告。', en: 'The announcement is public on the portal and can no longer change; publish a change notice if needed.' }
            : { zh: `退回理由：${a.reason ?? ''}`, en: `Reason: ${a.reason ?? ''}` },
          link: published ? `/announcements/${a.id}` : `/workbench/announcements/${a.id}`,
          channels: published ? [] : ['mail'],
        },
        now,
      );
    }
  },
});
