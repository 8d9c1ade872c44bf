import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every module reachable from index.ts through relative imports (the browser bundle's own code). */
function graph(entry: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(entry)) return seen;
  const src = readFileSync(entry, 'utf8');
  seen.set(entry, src);
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) graph(path.resolve(path.dirname(entry), spec.endsWith('.ts') ? spec : `${spec}.ts`), seen);
  }
  return seen;
}

describe('@yiwang/sdk/sealing in the browser', () => {
  it('reaches no Node built-in module and no Buffer from its entry point', () => {
    const files = graph(path.join(here, 'index.ts'));
    expect([...files.keys()].map((f) => path.basename(f))).not.toContain('node.ts');
    expect(files.size).toBeGreaterThan(8);
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    for (const [file, src] of files) {
      const specs = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
      expect(
        specs.filter((s) => builtins.has(s)),
        path.basename(file),
      ).toEqual([]);
      expect(/\bBuffer\./.test(src.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')), `${path.basename(file)} uses Buffer`).toBe(false);
    }
  });
});
