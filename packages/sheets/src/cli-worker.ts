import { parentPort, workerData } from 'node:worker_threads';
import { EXIT_FAILED } from './exit-codes.js';
import { runCli } from './run-cli.js';

/** What the bin hands its worker: the arguments and what it knows of its terminal. */
export interface CliWorkerData {
  argv: string[];
  stdout: { isTTY: boolean; columns?: number };
  stderr: { isTTY: boolean; columns?: number };
}

/** Messages from the bin: an interrupt (Ctrl-C or SIGTERM). */
export type ToCliWorker = { type: 'interrupt' };

// The broadcast runs here, in a worker the bin starts with small heap limits (see cli.ts). A
// worker's process.stdout and stderr reach the bin's own streams; only the terminal's size and
// whether there is one must be passed along.
const data = workerData as CliWorkerData;
const controller = new AbortController();
parentPort?.on('message', (message: ToCliWorker) => {
  if (message.type === 'interrupt') controller.abort();
});

const code = await runCli(data.argv, {
  env: process.env,
  stdout: { write: (text) => process.stdout.write(text), ...data.stdout },
  stderr: { write: (text) => process.stderr.write(text), ...data.stderr },
  signal: controller.signal,
}).catch((error: unknown) => {
  // runCli reports its own errors; this is a bug, and its text may not be safe to print whole.
  process.stderr.write(
    `kabar-sheets: unexpected error: ${error instanceof Error ? error.name : 'unknown'}\n`,
  );
  return EXIT_FAILED;
});
// Ends this thread alone, as the bin once ended its process: an idle keep-alive socket must not
// hold it open. What was written is already on its way to the bin, which drains it before its
// worker 'exit' event.
process.exit(code);
