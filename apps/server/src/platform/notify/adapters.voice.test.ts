import { describe, expect, it } from 'vitest';
import { loggingAdapter, maskAddress, voiceScript } from './adapters';

describe('voice channel adapter (语音通知)', () => {
  const msg = {
    notificationId: 'n-1',
    accountId: 'a-1',
    channel: 'voice' as const,
    to: '13905920001',
    kind: 'expertdraw.invited',
    title: { zh: '评标专家抽取通知', en: 'Drawn as an expert' },
    body: { zh: '您被随机抽取参加评标，请登录平台确认。', en: 'You were drawn; confirm on the platform.' },
    link: '/expert/draws/1',
  };
  it('reads the body in the account’s language; the development adapter logs it with the number masked', async () => {
    expect(voiceScript({ ...msg, locale: 'zh-CN' })).toBe(msg.body.zh);
    expect(voiceScript({ ...msg, locale: 'en' })).toBe(msg.body.en);
    const lines: string[] = [];
    const r = await loggingAdapter('voice', (l) => lines.push(l)).send({ ...msg, locale: 'zh-CN' });
    expect(lines).toEqual(['[notify:voice] 139****0001 expertdraw.invited: 您被随机抽取参加评标，请登录平台确认。']);
    expect(r.providerRef).toBe('log:n-1:voice');
    expect(maskAddress('voice', '13905920001')).toBe('139****0001');
  });
});
