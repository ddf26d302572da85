// Builds the console (apps/dashboard, a few seconds of Vite) so the broker under test serves the
// sources as they are, never a stale dist/.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'apps', 'dashboard', 'dist');

export default function setup(): void {
  execFileSync('pnpm', ['--filter', '@mq/dashboard', 'build'], { cwd: join(DASHBOARD_DIST, '..', '..', '..'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}
