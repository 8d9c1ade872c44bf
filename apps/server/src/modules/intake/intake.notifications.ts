import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { notify } from '../../platform/notify/notify';
import { activeAccountsOfOrgs, activeAccountsWithRole } from '../../platform/notify/recipients';

/**
 * Who hears about intake: the window's staff when a project arrives (they have one working day), the registrant's
 * and its agency's accounts when the window returns or accepts it. Runs after commit through the outbox, so a
 * notification never announces a change that was rolled back.
 */
registerOutboxProcessor({
  name: 'intake.notifications',
  types: ['project.submitted', 'project.returned', 'project.accepted'],
  async handle(events, trx, ctx) {
    const now = ctx.clock.now();
    for (const e of events) {
      const p = e.payload as { projectId: string; code: string; name: string; ownerOrgId: string; agencyOrgId: string | null; dueAt?: string; items?: unknown[]; green?: boolean };
      if (e.type === 'project.submitted') {
        await notify(
          trx,
          {
            accountIds: await activeAccountsWithRole(trx, 'center_intake'),
            kind: e.type,
            title: { zh: `新的进场登记：${p.name}`, en: `New project registration: ${p.name}` },
            body: { zh: `项目 ${p.code} 已提交，请在 ${p.dueAt ?? ''} 前受理或一次性告知补正事项。`, en: `Project ${p.code} was submitted; accept it or return it with one complete list before ${p.dueAt ?? ''}.` },
            link: `/workbench/intake/${p.projectId}`,
          },
          now,
        );
        continue;
      }
      const returned = e.type === 'project.returned';
      await notify(
        trx,
        {
          accountIds: await activeAccountsOfOrgs(trx, [p.ownerOrgId, p.agencyOrgId]),
          kind: e.type,
          title: returned
            ? { zh: `项目被退回补正：${p.name}`, en: `Project returned for correction: ${p.name}` }
            : { zh: `项目已受理${p.green ? '（绿色通道）' : ''}：${p.name}`, en: `Project accepted${p.green ? ' (green channel)' : ''}: ${p.name}` },
          body: returned
            ? { zh: `项目 ${p.code} 需补正 ${p.items?.length ?? 0} 项，详见一次性告知清单。`, en: `Project ${p.code} needs ${p.items?.length ?? 0} correction(s); see the complete list.` }
            : { zh: `项目 ${p.code} 已进场，可以发布公告。`, en: `Project ${p.code} is accepted; its announcements can be published.` },
          link: `/workbench/projects/${p.projectId}`,
        },
        now,
      );
    }
  },
});
