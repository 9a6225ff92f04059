import { EXIT_INTERRUPTED, runCli } from './run-cli.js';

// First Ctrl-C (or SIGTERM): runCli stops pulling rows, lets the sends in flight finish, writes
// every status and prints the report (or, after a --sandbox run, closes the sandbox). A second
// Ctrl-C quits at once.
const controller = new AbortController();
let interrupts = 0;
function interrupt(): void {
  interrupts++;
  if (interrupts === 1) {
    controller.abort();
    return;
  }
  process.stderr.write('kabar-sheets: quit; statuses of the last sends may be missing\n');
  process.exit(EXIT_INTERRUPTED);
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then(exit, (error: unknown) => {
  // runCli reports its own errors; this is a bug, and its text may not be safe to print whole.
  process.stderr.write(
    `kabar-sheets: unexpected error: ${error instanceof Error ? error.name : 'unknown'}\n`,
  );
  exit(1);
});

/** Exits once stdout and stderr have handed everything over: a pipe gets no half line. */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
