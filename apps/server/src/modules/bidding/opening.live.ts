import { EventEmitter } from 'node:events';

/**
 * In-process fan-out of "the opening room of lot X changed". Commands call `changed(lotId)` inside their transaction;
 * listeners are told a moment later and re-read the room (so they see the committed state), and every socket also
 * compares the room's version once a second, which covers changes made on another API node or a notification that
 * fired before its transaction committed. Cross-node push (LISTEN/NOTIFY) can replace the poll later.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);
const pending = new Set<string>();

export function changed(lotId: string): void {
  if (pending.has(lotId)) return;
  pending.add(lotId);
  setTimeout(() => {
    pending.delete(lotId);
    bus.emit(lotId);
  }, 30).unref();
}

export function onChange(lotId: string, fn: () => void): () => void {
  bus.on(lotId, fn);
  return () => bus.off(lotId, fn);
}
