import type { Bilingual } from './notify.tables';

/**
 * Outward channels. 'voice' is a 语音通知 call to the phone number (a gateway reads `body` in the account's locale as a
 * text-to-speech script; expert draw invitations, where the local rule or the expert asks for a call). Like 'sms'
 * it goes to accounts.phone.
 */
export type Channel = 'mail' | 'sms' | 'voice';
export const CHANNELS: readonly Channel[] = ['mail', 'sms', 'voice'];

export interface OutgoingMessage {
  notificationId: string;
  accountId: string;
  channel: Channel;
  /** Full address (email or phone). Adapters must not log it unmasked. */
  to: string;
  locale: string;
  kind: string;
  title: Bilingual;
  body: Bilingual;
  link: string | null;
}

/**
 * A way out of the platform (SMTP, an SMS gateway, 政务短信平台…). `send` may be called more than once for the same
 * notification after a crash (outbox delivery is at-least-once): pass `notificationId` to the provider as an
 * idempotency key where it supports one.
 */
export interface ChannelAdapter {
  name: string;
  channel: Channel;
  send(msg: OutgoingMessage): Promise<{ providerRef?: string }>;
}

export function maskAddress(channel: Channel, to: string): string {
  if (channel !== 'mail') return to.length >= 7 ? `${to.slice(0, 3)}****${to.slice(-4)}` : '****';
  const [user = '', domain = ''] = to.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

/** Default adapter: sends nothing, writes one masked line to the log (the delivery row is written by the caller). */
export function loggingAdapter(channel: Channel, log: (line: string) => void = (l) => console.info(l)): ChannelAdapter {
  return {
    name: `log-${channel}`,
    channel,
    async send(msg) {
      // A call has no title: the log shows what would be read out.
      const text = channel === 'voice' ? voiceScript(msg) : msg.locale.startsWith('zh') ? msg.title.zh : msg.title.en;
      log(`[notify:${channel}] ${maskAddress(channel, msg.to)} ${msg.kind}: ${text}`);
      return { providerRef: `log:${msg.notificationId}:${channel}` };
    },
  };
}

/** What a voice gateway reads out: the body in the account's language (links cannot be followed on a call). */
export function voiceScript(msg: Pick<OutgoingMessage, 'locale' | 'body'>): string {
  return msg.locale.startsWith('zh') ? msg.body.zh : msg.body.en;
}

const quiet = () => {};
const adapters = new Map<Channel, ChannelAdapter>(CHANNELS.map((c) => [c, loggingAdapter(c, process.env.VITEST ? quiet : undefined)]));

/** Install the adapter for a channel (deployment wiring; tests install capturing or failing adapters). */
export function setChannelAdapter(adapter: ChannelAdapter): void {
  adapters.set(adapter.channel, adapter);
}

export function channelAdapter(channel: Channel): ChannelAdapter {
  return adapters.get(channel)!;
}
