// RFC 6962 Merkle roots of the ledger for `ledger verify`, in a worker thread so that on PostgreSQL the tree is
// hashed on the second core while the main thread parses and re-hashes entries (two hashes per entry: the leaf and,
// on average, one inner node). Plain JavaScript with node:crypto only, so the worker starts in milliseconds without
// the TypeScript loader. Same tree as MerkleAccumulator in @yiwang/contracts/merkle (merkle-worker.test.ts checks).
//
// workerData: { sizes: number[] } — ascending tree sizes whose roots are wanted (the stored checkpoints).
// In:  ArrayBuffer of n × 32 entry-hash bytes (leaves in seq order), or the string 'end'.
// Out: { roots: [size, rootHex][], size } after 'end'.
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const sizes = workerData.sizes;
let next = 0;
let count = 0;
const roots = [];
// Perfect-subtree roots, largest (leftmost) first, and their heights.
const stack = [];
const heights = [];
const leafBuf = Buffer.alloc(33); // 0x00 ‖ entry hash
const nodeBuf = Buffer.alloc(65); // 0x01 ‖ left ‖ right
nodeBuf[0] = 1;

function node(l, r) {
  nodeBuf.set(l, 1);
  nodeBuf.set(r, 33);
  return hash('sha256', nodeBuf, 'buffer');
}

function root() {
  if (stack.length === 0) return hash('sha256', Buffer.alloc(0), 'hex');
  let acc = stack[stack.length - 1];
  for (let i = stack.length - 2; i >= 0; i--) acc = node(stack[i], acc);
  return acc.toString('hex');
}

parentPort.on('message', (msg) => {
  if (msg === 'end') {
    parentPort.postMessage({ roots, size: count });
    return;
  }
  const bytes = new Uint8Array(msg);
  for (let o = 0; o < bytes.length; o += 32) {
    leafBuf.set(bytes.subarray(o, o + 32), 1);
    let h = hash('sha256', leafBuf, 'buffer');
    let height = 0;
    while (heights.length && heights[heights.length - 1] === height) {
      heights.pop();
      h = node(stack.pop(), h);
      height++;
    }
    stack.push(h);
    heights.push(height);
    count++;
    while (next < sizes.length && sizes[next] === count) {
      roots.push([count, root()]);
      next++;
    }
  }
});
