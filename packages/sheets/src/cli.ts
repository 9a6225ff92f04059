import { Worker } from 'node:worker_threads';
import type { CliWorkerData, ToCliWorker } from './cli-worker.js';
import { EXIT_FAILED, EXIT_INTERRUPTED } from './exit-codes.js';

/**
 * The broadcast's heap limits. V8 sizes a process's heap for its machine: on a server it lets the
 * young generation grow to 48 MB and the old one to four times what is live before collecting,
 * so 100,000 rows peaked at about 165 MB though under 30 MB is ever live. A worker with these
 * limits stays under 100 MB for any row count; the old generation has room to spare, since what
 * the broadcast holds is bounded (a page of rows, the statuses not yet written).
 */
const CLI_HEAP_LIMITS = { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 256 };

const worker = new Worker(new URL('./cli-worker.js', import.meta.url), {
  workerData: {
    argv: process.argv.slice(2),
    stdout: { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns },
    stderr: { isTTY: process.stderr.isTTY === true, columns: process.stderr.columns },
  } satisfies CliWorkerData,
  resourceLimits: CLI_HEAP_LIMITS,
});

// First Ctrl-C (or SIGTERM): runCli stops pulling rows, lets the sends in flight finish, writes
// every status and prints the report (or, after a --sandbox run, closes the sandbox). A second
// Ctrl-C quits at once.
let interrupts = 0;
function interrupt(): void {
  interrupts++;
  if (interrupts === 1) {
    worker.postMessage({ type: 'interrupt' } satisfies ToCliWorker);
    return;
  }
  process.stderr.write('kabar-sheets: quit; statuses of the last sends may be missing\n');
  process.exit(EXIT_INTERRUPTED);
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

let failed = false;
worker.on('error', (error: Error & { code?: string }) => {
  failed = true;
  // An error thrown out of the worker is a bug, and its text may not be safe to print whole.
  const why =
    error.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? `ran out of memory (heap limit ${CLI_HEAP_LIMITS.maxOldGenerationSizeMb} MB)`
      : `unexpected error: ${error.name}`;
  process.stderr.write(`kabar-sheets: ${why}; statuses of the last sends may be missing\n`);
});
worker.on('exit', (code) => exit(failed ? EXIT_FAILED : code));

/** Exits once stdout and stderr have handed everything over: a pipe gets no half line. */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
