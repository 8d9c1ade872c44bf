// The opening room, live: a WebSocket pushes {type:'room', room} on every change (opening.routes.ts); polling every
// few seconds stands in when the socket is down or refused (proxies, flaky phones), and slows down while it is up.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { tenderApi, lotPath, type Room } from './api';

export function useRoom(tenderId: string, lotNo: number, enabled: boolean) {
  const qc = useQueryClient();
  const key = ['tender-sub', tenderId, 'room', lotNo];
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket | null = null;
    let stop = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      ws = new WebSocket(`${proto}//${location.host}/api/bidding/tenders/${lotPath(tenderId, lotNo)}/opening/live`);
      ws.onopen = () => setLive(true);
      ws.onmessage = (ev) => {
        try {
          const msg = JSON.parse(String(ev.data)) as { type: string; room?: Room };
          if (msg.type === 'room' && msg.room) qc.setQueryData(['tender-sub', tenderId, 'room', lotNo], msg.room);
        } catch {
          // ignore a malformed frame; polling keeps the view right
        }
      };
      ws.onclose = () => {
        setLive(false);
        // Reconnect later (e.g. refused before the deadline): polling covers the gap.
        if (!stop) retry = setTimeout(connect, 15_000);
      };
    };
    connect();
    return () => {
      stop = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [tenderId, lotNo, enabled, qc]);
  const query = useQuery({
    queryKey: key,
    enabled,
    retry: false,
    queryFn: () => tenderApi.room(tenderId, lotNo),
    refetchInterval: (q) => (q.state.data?.status === 'closed' || q.state.data?.status === 'failed' ? 30_000 : live ? 15_000 : 3_000),
  });
  return { ...query, live };
}
