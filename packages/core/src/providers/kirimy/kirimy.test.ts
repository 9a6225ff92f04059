import * as seed from '@kabar/sandbox/seed-examples';
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { UnsupportedFeatureError } from '../../errors.js';
import { failure } from '../../test-helpers.js';
import { type KirimyOptions, kirimy } from './index.js';

const sandbox = useSandbox();

function kirimyClient(extra: Partial<KirimyOptions> = {}) {
  return createClient({
    provider: kirimy({
      apiKey: sandbox.kirimy.apiKey,
      baseUrl: sandbox.kirimy.baseUrl,
      sessionId: sandbox.kirimy.sessionId,
      ...extra,
    }),
    retry: { initialDelayMs: 5 },
  });
}

describe('kirimy', () => {
  it('sends text as multipart session_id/receive/message, as the seed shows', async () => {
    const result = await kirimyClient().send({
      to: '0812-3456-7890',
      text: 'hallo, ini dikirim dari kirimy api',
    });
    const stored = await sandbox.latest({ provider: 'kirimy' });
    expect(stored?.id).toBe(result.id);
    expect(stored?.to).toBe('6281234567890');
    // The seed's own example, with a real number in place of its placeholder.
    expect(stored?.payload).toEqual({ ...seed.kirimySendMessage, receive: '6281234567890' });
  });

  it('falls back to the next session when one is inactive, unknown or out of quota', async () => {
    const sessions = [sandbox.kirimy.sessionId, sandbox.kirimy.fallbackSessionId];
    const client = kirimyClient({ sessionId: undefined, sessionIds: sessions });

    await sandbox.setKirimySession(sandbox.kirimy.sessionId, { active: false });
    await client.send({ to: '081234567890', text: 'lewat cadangan' });
    expect((await sandbox.latest())?.payload).toMatchObject({
      session_id: sandbox.kirimy.fallbackSessionId,
    });

    const unknownFirst = kirimyClient({
      sessionId: undefined,
      sessionIds: ['tidak-ada', sandbox.kirimy.fallbackSessionId],
    });
    await unknownFirst.send({ to: '081234567890', text: 'sesi pertama tidak ada' });
    expect((await sandbox.latest())?.payload).toMatchObject({
      session_id: sandbox.kirimy.fallbackSessionId,
    });

    await sandbox.setKirimySession(sandbox.kirimy.sessionId, { active: true, dailyQuota: 1 });
    await client.send({ to: '081234567890', text: 'kuota sesi utama' });
    await client.send({ to: '081234567890', text: 'kuota habis, pindah sesi' });
    const [last, first] = await sandbox.messages({ provider: 'kirimy', limit: 2 });
    expect(first?.payload).toMatchObject({ session_id: sandbox.kirimy.sessionId });
    expect(last?.payload).toMatchObject({ session_id: sandbox.kirimy.fallbackSessionId });
  });

  it('reports an inactive single session as session_inactive, without retrying', async () => {
    await sandbox.setKirimySession(sandbox.kirimy.sessionId, { active: false });
    const error = await failure(kirimyClient().send({ to: '081234567890', text: 'x' }));
    expect(error).toMatchObject({
      code: 'session_inactive',
      providerCode: 'SESSION_INACTIVE',
      isRetryable: false,
    });
  });

  it('never moves to another session after an ambiguous failure', async () => {
    await sandbox.fault({ provider: 'kirimy', status: 503, when: 'after', times: 1 });
    const client = kirimyClient({
      sessionId: undefined,
      sessionIds: [sandbox.kirimy.sessionId, sandbox.kirimy.fallbackSessionId],
    });
    const error = await failure(client.send({ to: '081234567890', text: 'sekali saja' }));
    expect(error.maybeAccepted).toBe(true);
    const stored = await sandbox.messages({ provider: 'kirimy' });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.payload).toMatchObject({ session_id: sandbox.kirimy.sessionId });
  });

  it('maps a wrong key and refuses what Kirimy cannot send before any request', async () => {
    const badKey = await failure(
      kirimyClient({ apiKey: 'kirimy-wrong-key-0000' }).send({ to: '081234567890', text: 'x' }),
    );
    expect(badKey).toMatchObject({ code: 'unauthenticated', providerCode: 'INVALID_API_KEY' });
    expect(JSON.stringify([badKey, badKey.details])).not.toContain('kirimy-wrong-key-0000');

    const image = await failure(
      kirimyClient().send({ to: '081234567890', image: { link: 'https://x.id/a.png' } }),
    );
    expect(UnsupportedFeatureError.isInstance(image)).toBe(true);
    expect(image.message).toBe('The kirimy provider does not support image');
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('needs a session at construction', () => {
    expect(() => kirimy({ apiKey: 'k' })).toThrow(/sessionId/);
  });
});
