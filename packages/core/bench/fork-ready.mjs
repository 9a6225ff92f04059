// A benchmark's helper process: forked, and ready once it sends its first message (a port, a
// report). Other packages' benches import it by path, as they do the gateway stub.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks the script at `url`; `ready` resolves with its first message, rejects if it exits first. */
export function forkReady(url, args = []) {
  const child = fork(fileURLToPath(url), args);
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${url} exited with ${code}`)));
  });
  return { child, ready };
}
