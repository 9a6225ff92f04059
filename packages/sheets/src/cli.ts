import { EXIT_INTERRUPTED, runCli } from './run-cli.js';

// First Ctrl-C (or SIGTERM): stop pulling rows, let the sends in flight finish, write every
// status, print the report. A second Ctrl-C quits at once.
const controller = new AbortController();
let interrupts = 0;
function interrupt(): void {
  interrupts++;
  if (interrupts === 1) {
    process.stderr.write(
      '\nkabar-sheets: stopping; waiting for the sends in flight and writing their statuses ' +
        '(Ctrl-C again to quit at once)\n',
    );
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
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // runCli reports its own errors; this is a bug, and its text may not be safe to print whole.
    process.stderr.write(
      `kabar-sheets: unexpected error: ${error instanceof Error ? error.name : 'unknown'}\n`,
    );
    process.exit(1);
  },
);
