// Runs every package's tests through turbo, then prints one closing line for the whole monorepo
// ("tests: N passed, N failed") from the JSON each vitest run leaves behind.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const RESULT_FILE = '.vitest-result.json';
const root = new URL('..', import.meta.url).pathname;
const packageDirs = ['packages', 'apps', 'examples']
  .map((group) => join(root, group))
  .filter(existsSync)
  .flatMap((group) => readdirSync(group).map((name) => join(group, name)));

for (const dir of packageDirs) rmSync(join(dir, RESULT_FILE), { force: true });

// Four packages at a time: each vitest run already uses every core, and on a two-core machine
// ten suites at once starve the timing-sensitive tests (timeouts, rate limits, crash recovery).
const turbo = spawnSync('turbo', ['run', 'test', '--concurrency=4', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  shell: process.platform === 'win32',
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of packageDirs) {
  const file = join(dir, RESULT_FILE);
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(turbo.status ?? 1);
