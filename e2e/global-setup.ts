// @ts-expect-error plain ESM helper without types
import { ensureWebBuilt } from '../scripts/web-build.mjs';

/**
 * Build the web bundle once, before any browser test starts. Building inside a test file's beforeAll would replace
 * apps/web/dist while another file's server is serving it (files may run side by side).
 */
export default function setup(): void {
  ensureWebBuilt();
}
