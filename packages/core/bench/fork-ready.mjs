// A benchmark's helper process: forked, and ready once it sends its first message (a port, a
// report). Other packages' benches import it by path, as they do the gateway stub.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Forks the script at `url` (with `execArgv`, node's own flags, when given); `ready` resolves with
 * its first message, rejects if it exits first.
 */
export function forkReady(url, args = [], execArgv = undefined) {
  const child = fork(fileURLToPath(url), args, execArgv ? { execArgv } : {});
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${url} exited with ${code}`)));
  });
  return { child, ready };
}
