import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxState } from './state.js';

/** Proxies drop idle connections; a comment line now and then keeps the stream open. */
const HEARTBEAT_MS = 15_000;

/** GET /api/v1/events: every SandboxEvent as a Server-Sent Event until the client goes away. */
export function streamEvents(state: SandboxState, req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // An EventSource reconnects by itself; one second is soon enough for an inbox.
  res.write('retry: 1000\n\n');
  const unsubscribe = state.events.subscribe((event) => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
