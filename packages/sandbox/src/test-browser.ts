/** Test support: one headless Chromium page, driven over the DevTools protocol on a pipe. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests run: a developer without Chromium skips them (and is told), while CI,
 * which always has it, fails when it is missing.
 */
export const browserRunnable = existsSync(CHROMIUM) || process.env.CI !== undefined;

/** A page in a real browser. */
export interface BrowserPage {
  goto(url: string): Promise<void>;
  /** Runs `expression` in the page as a user's action (promises awaited); returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

interface Waiter {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** Starts Chromium with one blank page. The DevTools protocol runs over fds 3 and 4, no port. */
export async function openPage(): Promise<BrowserPage> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  const browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-pipe',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const send = devtools(browser);
  // Files a page saves must not land on the test machine.
  await send('Browser.setDownloadBehavior', { behavior: 'deny' });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const session = sessionId as string;
  return {
    async goto(url) {
      await send('Page.navigate', { url }, session);
    },
    async evaluate<T>(expression: string) {
      // As a user gesture, so a click may open a tab the way a real one would.
      const params = { expression, awaitPromise: true, returnByValue: true, userGesture: true };
      const answer = await send('Runtime.evaluate', params, session);
      const thrown = answer.exceptionDetails as { text: string } | undefined;
      if (thrown) throw new Error(`in the page: ${thrown.text}`);
      return (answer.result as { value: T }).value;
    },
    close: () =>
      new Promise((resolve) => {
        browser.once('exit', () => resolve());
        browser.kill();
      }),
  };
}

/** Commands over Chromium's pipe: JSON messages, each ended by a NUL byte, matched by id. */
function devtools(browser: ChildProcess) {
  const input = browser.stdio[3] as Writable;
  const output = browser.stdio[4] as Readable;
  const waiting = new Map<number, Waiter>();
  let nextId = 1;
  let buffered = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiter = waiting.get(message.id);
      if (!waiter) continue; // an event; these tests poll the page instead
      waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    }
  });
  return (method: string, params: object, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
}
