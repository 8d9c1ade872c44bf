import type { DbOrTx } from '../db/database';
import { emitEvent } from '../outbox/emit';
import { registerOutboxProcessor } from '../outbox/processors';
import { scheduleJob, registerJobHandler } from '../chronograph/jobs';
import { channelAdapter, maskAddress, type Channel } from './adapters';
import type { Bilingual } from './notify.tables';
import './notify.tables';

export interface NotifyInput {
  accountIds: string[];
  /** Machine kind, e.g. 'bid.opened', 'expert.summoned' (lets the web app pick an icon and filter). */
  kind: string;
  title: Bilingual;
  body: Bilingual;
  /** In-app path to open, e.g. '/workbench/projects/…'. */
  link?: string | null;
  /** Outward channels besides the inbox; default mail. Accounts without that address are skipped. */
  channels?: Channel[];
}

export const NOTIFICATION_CREATED = 'notification.created';

/**
 * Put a notification in each account's inbox, inside the caller's transaction (it appears exactly when the change
 * that caused it commits), and queue outward delivery through the outbox (after commit; never inline, so a slow
 * mail server cannot hold a transaction). Returns the new notification ids, in `accountIds` order.
 */
export async function notify(trx: DbOrTx, input: NotifyInput, now: Date): Promise<string[]> {
  const accountIds = [...new Set(input.accountIds)];
  if (accountIds.length === 0) return [];
  const channels = [...new Set(input.channels ?? ['mail'])];
  const rows = await trx
    .insertInto('notifications')
    .values(
      accountIds.map((accountId) => ({
        account_id: accountId,
        kind: input.kind,
        title: JSON.stringify(input.title) as never,
        body: JSON.stringify(input.body) as never,
        link: input.link ?? null,
        channels,
        created_at: now,
      })),
    )
    .returning(['id', 'account_id'])
    .execute();
  const byAccount = new Map(rows.map((r) => [r.account_id, r.id]));
  const ids = accountIds.map((a) => byAccount.get(a)!);
  if (channels.length > 0) await emitEvent(trx, { type: NOTIFICATION_CREATED, payload: { ids } }, now);
  return ids;
}

type Pending = {
  id: string;
  account_id: string;
  kind: string;
  title: Bilingual;
  body: Bilingual;
  link: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
};

function loadForDelivery(trx: DbOrTx, ids: string[]) {
  return trx
    .selectFrom('notifications as n')
    .innerJoin('accounts as a', 'a.id', 'n.account_id')
    .select(['n.id', 'n.account_id', 'n.kind', 'n.title', 'n.body', 'n.link', 'n.channels', 'a.email', 'a.phone', 'a.locale'])
    .where('n.id', 'in', ids)
    .execute();
}

function send(n: Pending, channel: Channel, to: string) {
  const adapter = channelAdapter(channel);
  return adapter
    .send({
      notificationId: n.id,
      accountId: n.account_id,
      channel,
      to,
      locale: n.locale,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
    })
    .then((r) => ({ adapter: adapter.name, providerRef: r.providerRef ?? null }));
}

export const REDELIVER_JOB = 'notify.redeliver';

/**
 * Delivery: one row per (notification, channel) makes a replayed batch skip what already went out. A channel that
 * fails is recorded 'failed' and handed to the chronograph to retry with backoff, so one gateway being down neither
 * blocks the outbox nor makes the other channel's messages go out twice.
 */
registerOutboxProcessor({
  name: 'notify.deliver',
  types: [NOTIFICATION_CREATED],
  batchSize: 50,
  async handle(events, trx, ctx) {
    const ids = events.flatMap((e) => (e.payload.ids as string[] | undefined) ?? []);
    if (ids.length === 0) return;
    const list = await loadForDelivery(trx, ids);
    const done = new Set(
      (
        await trx.selectFrom('notification_deliveries').select(['notification_id', 'channel']).where('notification_id', 'in', ids).execute()
      ).map((d) => `${d.notification_id}/${d.channel}`),
    );
    const now = ctx.clock.now();
    for (const n of list) {
      for (const channel of n.channels as Channel[]) {
        if (done.has(`${n.id}/${channel}`)) continue;
        const to = channel === 'mail' ? n.email : n.phone;
        if (!to) continue;
        const base = { notification_id: n.id, account_id: n.account_id, channel, address: maskAddress(channel, to), created_at: now };
        try {
          const r = await send(n, channel, to);
          await trx
            .insertInto('notification_deliveries')
            .values({ ...base, adapter: r.adapter, status: 'sent', provider_ref: r.providerRef, error: null })
            .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
            .execute();
        } catch (e) {
          await trx
            .insertInto('notification_deliveries')
            .values({
              ...base,
              adapter: channelAdapter(channel).name,
              status: 'failed',
              provider_ref: null,
              error: String(e instanceof Error ? e.message : e).slice(0, 2000),
            })
            .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
            .execute();
          await scheduleJob(trx, { kind: REDELIVER_JOB, subjectId: `${n.id}/${channel}`, dueAt: new Date(now.getTime() + 60_000) }, now);
        }
      }
    }
  },
});

registerJobHandler(REDELIVER_JOB, async (job, trx, ctx) => {
  const [id, channel] = job.subjectId.split('/') as [string, Channel];
  const d = await trx
    .selectFrom('notification_deliveries')
    .select(['id', 'status'])
    .where('notification_id', '=', id)
    .where('channel', '=', channel)
    .forUpdate()
    .executeTakeFirst();
  if (!d || d.status === 'sent') return;
  const n = (await loadForDelivery(trx, [id]))[0];
  const to = n && (channel === 'mail' ? n.email : n.phone);
  if (!n || !to) return;
  // Throws on failure: the chronograph retries with backoff and finally marks the job failed.
  const r = await send(n, channel, to);
  await trx
    .updateTable('notification_deliveries')
    .set({
      status: 'sent',
      adapter: r.adapter,
      provider_ref: r.providerRef,
      error: null,
      address: maskAddress(channel, to),
      created_at: ctx.now,
    })
    .where('id', '=', d.id)
    .execute();
});
