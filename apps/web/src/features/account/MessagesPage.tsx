import { Link } from 'react-router';
import { App, Badge, Button, Card, List, Space, Typography } from 'antd';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { api } from '../../lib/api';
import { QueryView } from '../../components/Results';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/problem';

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export default function MessagesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<{ items: Notification[]; nextCursor: string | null; unreadCount: number }>('/api/notifications', { cursor: pageParam, limit: 20 }),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const read = async (id: string) => {
    try {
      await api.post(`/api/notifications/${id}/read`);
      await refresh();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = q.data?.pages[0]?.unreadCount ?? 0;
  return (
    <Card
      title={<Space>{t('msg.title')}<Badge count={unread} /></Space>}
      extra={unread > 0 && <Button onClick={async () => (await api.post('/api/notifications/read-all'), await refresh())} data-testid="msg-read-all">{lang === 'en' ? 'Mark all read' : '全部已读'}</Button>}
    >
      <QueryView query={{ ...q, data: q.data ? items : undefined }}>
        {(list) => (
          <List
            dataSource={list}
            data-testid="msg-list"
            renderItem={(n) => (
              <List.Item
                data-testid="msg-item"
                actions={n.readAt ? [] : [<a key="r" onClick={() => read(n.id)}>{t('msg.markRead')}</a>]}
                style={{ background: n.readAt ? undefined : '#f0f7ff', paddingInline: 12 }}
              >
                <List.Item.Meta
                  title={<Space>{!n.readAt && <Badge status="processing" />}{n.link ? <Link to={n.link} onClick={() => !n.readAt && read(n.id)}>{n.title}</Link> : n.title}</Space>}
                  description={<><div style={{ whiteSpace: 'pre-wrap', color: '#1f2329' }}>{n.body}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(n.createdAt)}</Typography.Text></>}
                />
              </List.Item>
            )}
            loadMore={q.hasNextPage && <div style={{ textAlign: 'center', marginTop: 12 }}><Button onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>{t('common.loadMore')}</Button></div>}
          />
        )}
      </QueryView>
    </Card>
  );
}
