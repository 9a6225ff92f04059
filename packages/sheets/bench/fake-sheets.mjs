// The fake Sheets API (fake-sheets-child.mjs) in its own process, and a way to ask it things
// (read the sheet back, reset it) over IPC.
import { forkReady } from '../../core/bench/fork-ready.mjs';

/** Starts the fake Sheets; answers its address and token, and `ask` for its IPC commands. */
export async function startFakeSheets() {
  const { child, ready } = forkReady(new URL('./fake-sheets-child.mjs', import.meta.url));
  const info = await ready;
  let requestId = 0;
  function ask(message) {
    requestId += 1;
    const id = requestId;
    return new Promise((resolve) => {
      const onMessage = (reply) => {
        if (reply.id !== id) return;
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  }
  return { info, ask, close: () => child.send({ cmd: 'close' }) };
}
