import { ANNOUNCEMENT_TYPE_LABELS, type AnnouncementType } from '@yiwang/contracts';
import type { feedPage } from './portal.repo';

/**
 * Feeds of published announcements. Without `after`: the newest items, newest first (what a feed reader wants).
 * With `after=<cursor>`: the items published after the cursor in publication order, oldest first (what a
 * harvester wants); the response names the cursor for the next poll. Cursors are publication sequence numbers
 * (see feedPage), so polling never skips or repeats an item.
 */
export interface FeedData {
  rows: Awaited<ReturnType<typeof feedPage>>;
  names: Map<string, string>;
  cursor: string;
  /** The request had `after`. */
  paging: boolean;
  /** The page is full: there may be more after `cursor` right now. */
  full: boolean;
  params: URLSearchParams;
}

export const itemUrl = (base: string, id: string) => `${base}/portal/announcements/${id}`;
const label = (t: string) => ANNOUNCEMENT_TYPE_LABELS[t as AnnouncementType]?.zh ?? t;

export function jsonFeed(base: string, f: FeedData) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: '一网交易 · 交易公告',
    home_page_url: `${base}/portal`,
    feed_url: `${base}/api/portal/feed.json`,
    description: '公共资源交易公告（招标、采购、出让、结果公示等）/ Public resource trading announcements',
    language: 'zh-CN',
    ...(f.paging && f.full ? { next_url: `${base}/api/portal/feed.json?${f.params}` } : {}),
    _yiwang: { cursor: f.cursor, poll_url: `${base}/api/portal/feed.json?${f.params}` },
    items: f.rows.map((r) => ({
      id: r.id,
      url: itemUrl(base, r.id),
      title: r.title,
      content_html: r.body_html,
      summary: r.body_text.slice(0, 200),
      date_published: r.published_at!.toISOString(),
      authors: [{ name: f.names.get(r.publisher_org_id) ?? '' }],
      tags: [label(r.type), r.category_code, r.region_code],
      _yiwang: { type: r.type, category_code: r.category_code, region_code: r.region_code, related_id: r.related_id, project_id: r.project_id, content_hash: r.content_hash, publish_seq: r.publish_seq },
    })),
  };
}

function xml(s: string): string {
  // Also drop characters XML 1.0 forbids, which would make the whole feed unreadable.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function atomFeed(base: string, f: FeedData, now: Date): string {
  const updated = f.rows.reduce((m, r) => (r.published_at! > m ? r.published_at! : m), f.rows.length ? f.rows[0]!.published_at! : now);
  const self = `${base}/api/portal/feed.atom`;
  const entries = f.rows.map(
    (r) => `  <entry>
    <id>urn:uuid:${r.id}</id>
    <title>${xml(r.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(itemUrl(base, r.id))}"/>
    <published>${r.published_at!.toISOString()}</published>
    <updated>${r.published_at!.toISOString()}</updated>
    <author><name>${xml(f.names.get(r.publisher_org_id) ?? '')}</name></author>
    <category term="${xml(r.type)}" label="${xml(label(r.type))}"/>
    <category term="${xml(r.category_code)}" scheme="urn:yiwang:catalog"/>
    <category term="${xml(r.region_code)}" scheme="urn:gbt2260"/>
    <summary>${xml(r.body_text.slice(0, 200))}</summary>
    <content type="html">${xml(r.body_html)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>urn:yiwang:portal:announcements</id>
  <title>一网交易 · 交易公告</title>
  <updated>${updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${base}/portal`)}"/>
  <link rel="next" type="application/atom+xml" href="${xml(`${self}?${f.params}`)}"/>
${entries.join('\n')}
</feed>
`;
}
