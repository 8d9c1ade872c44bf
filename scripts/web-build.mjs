// Build the web app when its bundle is missing or older than its sources (shared by start and test).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const contracts = path.join(root, 'packages/contracts/src');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Is there a web app whose bundle is missing or older than its sources? (~10 ms: stats ~80 files) */
export function webBuildStale() {
  const index = path.join(web, 'dist/index.html');
  if (!fs.existsSync(path.join(web, 'index.html'))) return false; // no web app yet
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newest(path.join(web, 'src')), newest(contracts), fs.statSync(path.join(web, 'index.html')).mtimeMs);
  return built < sources;
}

export function ensureWebBuilt() {
  if (!webBuildStale()) return;
  console.log('构建前端 / building the web app …');
  const r = spawnSync('npm', ['run', 'build', '-w', '@yiwang/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
