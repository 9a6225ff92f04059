import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { kirem } from './providers/kirem/index.js';
import { meta } from './providers/meta/index.js';
import { qirim } from './providers/qirim/index.js';
import { reconcileSend } from './reconcile.js';
import { failure, transportUnderTest } from './test-helpers.js';

const sandbox = useSandbox();

function kiremClient() {
  return createClient({
    ...transportUnderTest(),
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    retry: false,
    rateLimit: false,
  });
}

const to = '081234567890';

describe('reconcileSend: Kirem message logs', () => {
  it('finds a send that was accepted although its answer was lost', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', reset: true, when: 'after' });
    const startedAt = new Date();
    const error = await failure(kiremClient().send({ to, text: 'Pesanan dikirim' }));
    expect(error.maybeAccepted).toBe(true);
    await sandbox.clearFaults();

    const result = await reconcileSend(kiremClient(), { to, startedAt, type: 'text' });
    const [stored] = await sandbox.messages();
    expect(result).toMatchObject({ outcome: 'sent', messageId: stored?.id, status: 'sent' });
    if (result.outcome === 'sent') expect(result.evidence).toContain('62812****7890');
  });

  it('says not_sent once the gateway has had time to log it, and unknown before', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', reset: true, when: 'before' });
    const startedAt = Date.now();
    expect((await failure(kiremClient().send({ to, text: 'x' }))).maybeAccepted).toBe(true);
    await sandbox.clearFaults();

    const early = await reconcileSend(kiremClient(), { to, startedAt });
    expect(early.outcome).toBe('unknown');
    const later = await reconcileSend(
      kiremClient(),
      { to, startedAt },
      { now: () => startedAt + 120_000 },
    );
    expect(later.outcome).toBe('not_sent');
  });

  it('never takes another send to the same number for this one', async () => {
    await kiremClient().send({ to, text: 'an earlier order' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const startedAt = Date.now();
    await kiremClient().send({ to, image: { link: 'https://example.com/struk.jpg' } });
    const options = { now: () => startedAt + 120_000, clockSkewMs: 0 };
    const send = { to, startedAt, type: 'text' };

    // The earlier text went before this send started; the image is another kind of message.
    expect((await reconcileSend(kiremClient(), send, options)).outcome).toBe('not_sent');

    const mine = await kiremClient().send({ to, text: 'mine' });
    const other = { ...send, excludeMessageIds: [mine.id] };
    expect((await reconcileSend(kiremClient(), other, options)).outcome).toBe('not_sent');
    expect(await reconcileSend(kiremClient(), send, options)).toMatchObject({
      outcome: 'sent',
      messageId: mine.id,
    });
  });
});

describe('reconcileSend: Qirim batches and gateways without records', () => {
  it('reads the batch: queued is unknown, sent is sent', async () => {
    const client = createClient({
      ...transportUnderTest(),
      provider: qirim({ apiKey: sandbox.qirim.apiKey, baseUrl: sandbox.qirim.baseUrl }),
      rateLimit: false,
    });
    const accepted = await client.send({ to, text: 'Tagihan terbit' });
    const send = { to, startedAt: Date.now(), batchId: accepted.batch?.id };
    expect((await reconcileSend(client, send)).outcome).toBe('unknown');
    const settled = await eventually(
      () => reconcileSend(client, send),
      (result) => result.outcome !== 'unknown',
    );
    expect(settled).toMatchObject({ outcome: 'sent', status: 'sent' });
  });

  it('is unknown, with the reason, on a gateway that keeps no queryable record', async () => {
    const client = createClient({
      ...transportUnderTest(),
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
    });
    expect(await reconcileSend(client, { to, startedAt: Date.now() })).toEqual({
      outcome: 'unknown',
      evidence: 'the meta gateway keeps no record of sends that Kabar can query',
    });
  });
});
