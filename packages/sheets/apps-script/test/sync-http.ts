import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { SandboxOptions } from '@kabar/sandbox';

export interface SyncRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export type SyncResult = { status: number; body: string } | { error: string };

export interface SyncBatch {
  results: SyncResult[];
  /** Wall time the real requests took. */
  elapsedMs: number;
}

const BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * A sandbox on a worker thread plus a blocking `fetchAll` for code that cannot await (the Apps
 * Script bundle in a vm). Control the sandbox over HTTP with connectSandbox(url).
 */
export class SandboxThread {
  readonly #worker: Worker;
  readonly #shared: SharedArrayBuffer;
  readonly #control: Int32Array;
  readonly url: string;

  private constructor(worker: Worker, shared: SharedArrayBuffer, url: string) {
    this.#worker = worker;
    this.#shared = shared;
    this.#control = new Int32Array(shared, 0, 2);
    this.url = url;
  }

  static async start(options: SandboxOptions = {}): Promise<SandboxThread> {
    const shared = new SharedArrayBuffer(8 + BUFFER_BYTES);
    const worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url), {
      workerData: { shared, options },
    });
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([error]) => Promise.reject(error)),
    ])) as [{ type: string; url: string }];
    return new SandboxThread(worker, shared, message.url);
  }

  /** Sends the requests concurrently from the worker and blocks this thread until all answered. */
  fetchAllSync(requests: SyncRequest[], timeoutMs = 60_000): SyncBatch {
    Atomics.store(this.#control, 0, 0);
    this.#worker.postMessage({ type: 'fetch', requests });
    const outcome = Atomics.wait(this.#control, 0, 0, timeoutMs);
    if (outcome === 'timed-out')
      throw new Error(`sandbox thread did not answer in ${timeoutMs} ms`);
    const length = Atomics.load(this.#control, 1);
    const bytes = new Uint8Array(length);
    bytes.set(new Uint8Array(this.#shared, 8, length));
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as SyncBatch | { fatal: string };
    if ('fatal' in parsed) throw new Error(parsed.fatal);
    return parsed;
  }

  async close(): Promise<void> {
    this.#worker.postMessage({ type: 'close' });
    await Promise.race([once(this.#worker, 'message'), new Promise((r) => setTimeout(r, 2000))]);
    await this.#worker.terminate();
  }
}
