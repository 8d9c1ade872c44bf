import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bytesToHex, MerkleAccumulator } from '@yiwang/contracts/merkle';
import { leafOf, nodeSha256 } from './stream';

/** Merkle roots over entry hashes pushed in seq order, at the requested tree sizes (checkpoints). */
export interface TreeRoots {
  /** Leaves pushed so far. */
  readonly size: number;
  push(entryHashHex: string): void;
  /** Roots at those requested sizes the tree reached (a size beyond the chain has none). */
  finish(): Promise<Map<number, string>>;
  /** Stop early (an error during the scan); safe after finish. */
  close(): void;
}

const WORKER_URL = new URL('./merkle-worker.mjs', import.meta.url);

/** Below this many leaves a worker's start-up (~30 ms) is not worth it. */
export const WORKER_MIN_LEAVES = 50_000;

/**
 * `sizes` ascending. With `worker`, leaves are batched as raw bytes and hashed in merkle-worker.mjs on another
 * thread; otherwise in this thread with the shared MerkleAccumulator. Both give the same roots.
 */
export function treeRoots(sizes: number[], opts: { worker: boolean }): TreeRoots {
  // A bundled build (ADR 0014) may not ship the worker file next to this code: hash in this thread then.
  return opts.worker && existsSync(fileURLToPath(WORKER_URL)) ? new WorkerTree(sizes) : new InlineTree(sizes);
}

class InlineTree implements TreeRoots {
  private readonly acc = new MerkleAccumulator(nodeSha256);
  private readonly roots = new Map<number, string>();
  private next = 0;
  constructor(private readonly sizes: number[]) {}
  get size() {
    return this.acc.size;
  }
  push(entryHashHex: string) {
    this.acc.push(leafOf(entryHashHex));
    while (this.next < this.sizes.length && this.sizes[this.next] === this.acc.size) {
      this.roots.set(this.acc.size, bytesToHex(this.acc.root()));
      this.next++;
    }
  }
  async finish() {
    return this.roots;
  }
  close() {}
}

const BATCH = 16_384;

class WorkerTree implements TreeRoots {
  private readonly worker: Worker;
  private readonly result: Promise<Map<number, string>>;
  private buf = Buffer.alloc(BATCH * 32);
  private inBatch = 0;
  private count = 0;
  constructor(sizes: number[]) {
    this.worker = new Worker(WORKER_URL, { workerData: { sizes } });
    this.result = new Promise((resolve, reject) => {
      this.worker.once('message', (m: { roots: [number, string][] }) => resolve(new Map(m.roots)));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`Merkle worker exited (${code}) before finishing`)));
    });
    this.result.catch(() => {}); // observed in finish(); not an unhandled rejection if close() ends it first
  }
  get size() {
    return this.count;
  }
  push(entryHashHex: string) {
    // Zero-filled buffer: a stored "hash" that is not 64 hex digits gives a deterministic (wrong) leaf, as intended.
    this.buf.write(entryHashHex, this.inBatch * 32, 32, 'hex');
    this.count++;
    if (++this.inBatch === BATCH) this.flush();
  }
  private flush() {
    if (this.inBatch === 0) return;
    // Buffer.alloc of this size owns its ArrayBuffer (never the shared pool), so it can be transferred as it is.
    const ab = this.inBatch === BATCH ? this.buf.buffer : this.buf.buffer.slice(0, this.inBatch * 32);
    this.worker.postMessage(ab, [ab]);
    this.buf = Buffer.alloc(BATCH * 32);
    this.inBatch = 0;
  }
  async finish() {
    this.flush();
    this.worker.postMessage('end');
    try {
      return await this.result;
    } finally {
      void this.worker.terminate();
    }
  }
  close() {
    void this.worker.terminate();
  }
}
