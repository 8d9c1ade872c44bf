// The live room: a WebSocket (`GET /api/auctions/:id/live?after=N`) pushes every event after the last seq this page
// holds; on a drop it reconnects with `after = last seq`, so nothing is missed or shown twice. The clock offset is
// measured NTP-style on `GET …/events?after=last` (which doubles as the poll that fills gaps while the socket is down)
// and tightened by each pushed message's server time.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { auctionApi, auctionKey, type Auction, type RoomEvent } from './api';
import { estimateOffset, tightenOffset, type ClockOffset, type ClockSample } from './clock';

export interface LiveState {
  events: RoomEvent[];
  lastSeq: number;
  price: number | null;
  leaderNo: number | null;
  endsAt: string | null;
  connected: boolean;
  /** How many times the socket was reopened, and the seq the last reopening resumed after. */
  reconnects: number;
  resumedFrom: number | null;
  offset: ClockOffset | null;
}

const KEEP = 300;

export function useLive(id: string, snapshot: Auction | undefined) {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>({ events: [], lastSeq: 0, price: null, leaderNo: null, endsAt: null, connected: false, reconnects: 0, resumedFrom: null, offset: null });
  const last = useRef(0);
  const samples = useRef<ClockSample[]>([]);
  const closedSeen = useRef(false);

  const apply = useCallback(
    (incoming: RoomEvent[]) => {
      const fresh = incoming.filter((e) => e.seq > last.current).sort((a, b) => a.seq - b.seq);
      if (fresh.length === 0) return;
      last.current = fresh.at(-1)!.seq;
      const end = fresh.at(-1)!;
      setState((s) => ({ ...s, events: [...s.events, ...fresh].slice(-KEEP), lastSeq: end.seq, price: end.price, leaderNo: end.leaderNo, endsAt: end.endsAt }));
      // The close (or a phase change) changes what the page shows beyond the board: reload the auction once.
      if (fresh.some((e) => e.event.kind !== 'bid')) {
        if (fresh.some((e) => e.event.kind === 'closed')) closedSeen.current = true;
        void qc.invalidateQueries({ queryKey: auctionKey(id) });
      }
    },
    [id, qc],
  );

  const sample = useCallback(async () => {
    const sentAt = Date.now();
    const r = await auctionApi.events(id, last.current);
    const receivedAt = Date.now();
    samples.current = [...samples.current, { sentAt, serverTime: Date.parse(r.serverTime), receivedAt }].slice(-8);
    const o = estimateOffset(samples.current);
    setState((s) => ({ ...s, offset: o }));
    apply(r.events);
  }, [id, apply]);

  // Offset samples: three at once (the shortest trip wins), then one every 20 s; also the fallback poll.
  useEffect(() => {
    let stop = false;
    void (async () => {
      for (let i = 0; i < 3 && !stop; i++) await sample().catch(() => {});
    })();
    const t = setInterval(() => void sample().catch(() => {}), 20_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [sample]);

  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket | null = null;
    let stop = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const connect = () => {
      const after = last.current;
      ws = new WebSocket(`${proto}//${location.host}/api/auctions/${id}/live?after=${after}`);
      ws.onopen = () => {
        setState((s) => ({ ...s, connected: true, ...(attempt > 0 ? { reconnects: s.reconnects + 1, resumedFrom: after } : {}) }));
        attempt++;
      };
      ws.onmessage = (m) => {
        const receivedAt = Date.now();
        let msg: { type: string; serverTime?: string } & Partial<RoomEvent>;
        try {
          msg = JSON.parse(String(m.data));
        } catch {
          return; // a malformed frame: the poll keeps the view right
        }
        if (msg.serverTime) {
          const st = Date.parse(msg.serverTime);
          setState((s) => (s.offset ? { ...s, offset: tightenOffset(s.offset, st, receivedAt) } : s));
        }
        if (msg.type === 'event' && typeof msg.seq === 'number') apply([msg as RoomEvent]);
      };
      ws.onclose = () => {
        setState((s) => ({ ...s, connected: false }));
        if (!stop) retry = setTimeout(connect, Math.min(1000 * 2 ** Math.min(attempt, 3), 8000));
      };
    };
    connect();
    return () => {
      stop = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [id, apply]);

  // Before the first event arrives, the board shows the snapshot.
  const board = {
    price: state.lastSeq > 0 ? state.price : (snapshot?.currentPriceFen ?? null),
    leaderNo: state.lastSeq > 0 ? state.leaderNo : (snapshot?.leaderNo ?? null),
    endsAt: state.lastSeq > 0 && state.endsAt ? state.endsAt : (snapshot?.endsAt ?? null),
  };
  return { ...state, ...board, closedSeen: closedSeen.current, resync: sample };
}
