// Runs the Kabar sandbox on its own thread and answers synchronous fetch batches for the test thread.
//
// Apps Script's UrlFetchApp is synchronous. The test thread runs the bundle in a vm and blocks in
// Atomics.wait while this thread (whose event loop is free) does the real HTTP requests to the
// sandbox, writes the JSON answer into the shared buffer and wakes it up.
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox } from '@kabar/sandbox';

const { shared, options } = workerData;
const control = new Int32Array(shared, 0, 2);
const data = new Uint8Array(shared, 8);

const sandbox = await startSandbox({ ...options, port: 0 });

async function send(request) {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
    return { error: `Address unavailable: ${request.url} (${cause})` };
  }
}

function answer(value) {
  let bytes = Buffer.from(JSON.stringify(value));
  if (bytes.length > data.length) {
    bytes = Buffer.from(
      JSON.stringify({ fatal: `response of ${bytes.length} bytes does not fit` }),
    );
  }
  data.set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
}

parentPort.on('message', async (message) => {
  if (message.type === 'fetch') {
    const started = performance.now();
    try {
      const results = await Promise.all(message.requests.map(send));
      answer({ results, elapsedMs: performance.now() - started });
    } catch (error) {
      answer({ fatal: String(error?.stack ?? error) });
    }
  } else if (message.type === 'close') {
    await sandbox.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
  }
});

parentPort.postMessage({ type: 'ready', url: sandbox.url });
