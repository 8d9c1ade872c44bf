// Bundle the server (apps/server/src/main.ts) into one ES module, apps/server/dist/main.mjs, when any file that went
// into the last bundle changed. `npm start` runs the bundle instead of transpiling ~170 TypeScript files and loading
// ~1,800 package files one by one through tsx at every start (docs/adr/0014-startup.md). Tests, the e2e harness and
// the CLI keep running the sources through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { root } from './web-build.mjs';

const server = path.join(root, 'apps/server');
const outdir = path.join(server, 'dist');
export const serverBundle = path.join(outdir, 'main.mjs');
/** Every input of the last build with its mtime and size: the bundle is stale when any of them differs. */
const inputsFile = path.join(outdir, 'main.inputs.json');
const self = new URL(import.meta.url).pathname;

// Loaded at run time from their own directories: native addons and WebAssembly (PGlite, argon2, pg-native) and
// packages that read files next to their own sources (pdfkit's fonts, swagger-ui's static assets).
const EXTERNAL = ['@electric-sql/pglite', '@electric-sql/pglite/*', '@node-rs/argon2', 'pg-native', 'pdfkit', '@fastify/swagger-ui'];

function fingerprint(file) {
  try {
    const s = fs.statSync(file);
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

/** Is the bundle missing, or did any of its inputs (or this script) change since it was built? A few ms. */
export function serverBundleStale() {
  if (!fs.existsSync(serverBundle)) return true;
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  } catch {
    return true;
  }
  for (const [file, fp] of Object.entries(recorded.files ?? {})) {
    const now = fingerprint(path.resolve(root, file)); // null = absent, then and now alike is no change
    if (JSON.stringify(now) !== JSON.stringify(fp)) return true;
  }
  return false;
}

/**
 * `import.meta.dirname` in a source file means that file's directory (config.ts finds the repository root with it,
 * migrate.ts the migrations). In the bundle it would mean apps/server/dist, so each use is rewritten to the source
 * directory relative to the bundle, which stays right if the checkout moves.
 */
const sourceDirname = {
  name: 'source-dirname',
  setup(build) {
    build.onLoad({ filter: /[/\\](apps|packages)[/\\].*\.ts$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta.dirname')) return undefined;
      const rel = path.relative(outdir, path.dirname(args.path)).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.dirname', `(import.meta.dirname + ${JSON.stringify('/' + rel)})`), loader: 'ts' };
    });
  },
};

export async function buildServer() {
  const esbuild = await import('esbuild');
  const started = Date.now();
  const tmp = `${serverBundle}.${process.pid}.tmp`;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(server, 'src/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    plugins: [sourceDirname],
    // Bundled CommonJS packages call require() for Node built-ins; an ES module has no require of its own.
    banner: { js: "import { createRequire as __ywRequire } from 'node:module'; const require = __ywRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // The project's own inputs one by one (~170 files); the ~1,700 package files through npm's record of what is
  // installed, which every install, update or removal rewrites (stat-ing each would cost ~80 ms per start).
  const files = {};
  for (const file of [self, path.join(root, 'node_modules/.package-lock.json'), path.join(root, 'package-lock.json')]) files[path.relative(root, file)] = fingerprint(file);
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(root, input.replace(/^[a-z-]+:/, ''));
    if (file.split(path.sep).includes('node_modules')) continue;
    const fp = fingerprint(file);
    // Saved while the build ran: the bundle may hold the older text, so record it as changed (rebuilt next start).
    if (fp) files[path.relative(root, file)] = fp[0] >= started ? [0, -1] : fp;
  }
  // Rename into place so a concurrent start never imports a half-written bundle.
  fs.renameSync(`${tmp}.map`, `${serverBundle}.map`);
  const text = fs.readFileSync(tmp, 'utf8').replace(`//# sourceMappingURL=${path.basename(tmp)}.map`, `//# sourceMappingURL=${path.basename(serverBundle)}.map`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, serverBundle);
  fs.writeFileSync(inputsFile, JSON.stringify({ builtAt: new Date().toISOString(), files }));
  return serverBundle;
}

/** The bundle's path, building it first when it is missing or stale. */
export async function ensureServerBuilt() {
  if (!serverBundleStale()) return serverBundle;
  const t = Date.now();
  await buildServer();
  console.log(`服务端已打包 / server bundled in ${Date.now() - t} ms: ${path.relative(root, serverBundle)}`);
  return serverBundle;
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) await buildServer().then((f) => console.log(`wrote ${path.relative(root, f)}`));
