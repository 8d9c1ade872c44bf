import { Link } from 'react-router';
import { Empty, Space, Typography } from 'antd';
import { AnnouncementTypeTag } from '../components/Tags';
import { formatDate, formatDateTime } from '../lib/format';
import type { AnnouncementSummary } from '../features/portal/api';

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
      <Link to={`/announcements/${a.id}`} style={{ fontWeight: 500, fontSize: 15 }}>{a.title}</Link>
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
