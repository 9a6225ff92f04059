import { describe, expect, it } from 'vitest';
import * as fonnte from '../providers/fonnte/test-data/answers.js';
import * as wablas from '../providers/wablas/test-data/answers.js';
import type { WebhookEvent } from './events.js';
import { createWebhookHandler } from './handler.js';

const SECRET = 'secret-chosen-for-the-url-7c1d';

function handlerFor(provider: 'fonnte' | 'wablas') {
  const handled: WebhookEvent[][] = [];
  const logs: string[] = [];
  const handler = createWebhookHandler({
    provider,
    secret: SECRET,
    dedupe: false,
    onEvents: (events) => {
      handled.push(events);
    },
    logger: { warn: (message) => logs.push(message), error: (message) => logs.push(message) },
  });
  async function post(body: unknown, query: Record<string, string> = {}) {
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      query: new URLSearchParams(query),
      body: JSON.stringify(body),
    });
    await result.done;
    return result;
  }
  return { post, handled, logs };
}

describe('webhook secrets of gateways that sign nothing', () => {
  it('Fonnte: takes the secret from the payload or the URL; every one present must match', async () => {
    const { post, handled, logs } = handlerFor('fonnte');
    const message = { ...fonnte.incomingGroupMessage };
    const cases: [string, unknown, Record<string, string>, number][] = [
      ['in the payload', { ...message, secret: SECRET }, {}, 200],
      ['in the URL', message, { secret: SECRET }, 200],
      ['in both', { ...message, secret: SECRET }, { secret: SECRET }, 200],
      ['missing', message, {}, 401],
      ['wrong in the payload', { ...message, secret: 'guess' }, {}, 401],
      [
        'wrong in the payload, right in the URL',
        { ...message, secret: 'guess' },
        { secret: SECRET },
        401,
      ],
      [
        'right in the payload, wrong in the URL',
        { ...message, secret: SECRET },
        { secret: 'guess' },
        401,
      ],
      ['a prefix of it', { ...message, secret: SECRET.slice(0, -1) }, {}, 401],
    ];
    for (const [label, body, query, status] of cases) {
      const result = await post(body, query);
      expect([label, result.status]).toEqual([label, status]);
      expect(result.body).not.toContain(SECRET);
    }
    expect(handled).toHaveLength(3);
    expect(JSON.stringify(handled)).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('Wablas: only a URL that carries the secret is let in', async () => {
    const { post, handled } = handlerFor('wablas');
    expect((await post(wablas.incomingText)).status).toBe(401);
    expect((await post(wablas.incomingText, { secret: 'guess' })).status).toBe(401);
    // A secret in the body proves nothing for Wablas: anyone can write one.
    expect((await post({ ...wablas.incomingText, secret: SECRET })).status).toBe(401);
    expect((await post(wablas.incomingText, { secret: SECRET })).status).toBe(200);
    expect(handled).toHaveLength(1);
  });
});
