import { Link } from 'react-router';
import { Empty, Space, Typography } from 'antd';
import { AnnouncementTypeTag } from '../components/Tags';
import { formatDate, formatDateTime } from '../lib/format';
import type { AnnouncementSummary, TextSegment } from '../features/portal/api';

/** Search matches marked by the server as plain-text segments (never HTML), rendered with <mark>. */
export function Highlighted({ segments, fallback }: { segments: TextSegment[] | undefined; fallback: string }) {
  if (!segments?.length) return <>{fallback}</>;
  return <>{segments.map((s, i) => (s.match ? <mark key={i} style={{ background: '#fff1b8', padding: 0 }}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</>;
}

/** Compact title + date rows (home page, related notices). */
export function AnnouncementLines({ items, testId = 'announcement-item' }: { items: AnnouncementSummary[]; testId?: string }) {
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div>
      {items.map((a) => (
        <div className="yw-ann-item" key={a.id} data-testid={testId}>
          <AnnouncementTypeTag type={a.type} />
          <Link to={`/announcements/${a.id}`} className="yw-ann-title" title={a.title}>
            {a.title}
          </Link>
          <span className="yw-ann-date" title={formatDateTime(a.publishedAt)}>{formatDate(a.publishedAt)}</span>
        </div>
      ))}
    </div>
  );
}

/** The card used for one announcement on phones. */
export function AnnouncementCard({ a, categoryName }: { a: AnnouncementSummary; categoryName: string }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Link to={`/announcements/${a.id}`} style={{ fontWeight: 500, fontSize: 15 }}><Highlighted segments={a.highlight?.title} fallback={a.title} /></Link>
      {a.highlight?.snippet.length ? <Typography.Text type="secondary" style={{ fontSize: 13 }}><Highlighted segments={a.highlight.snippet} fallback="" /></Typography.Text> : null}
      <Space size={6} wrap>
        <AnnouncementTypeTag type={a.type} />
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>{categoryName}</Typography.Text>
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {a.publisherName} · {formatDateTime(a.publishedAt)}
      </Typography.Text>
    </Space>
  );
}
