import * as seed from '@kabar/sandbox/seed-examples';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import type { RetryEvent } from '../../hooks.js';
import { failure } from '../../test-helpers.js';
import { qirim } from './index.js';

const sandbox = useSandbox();

function qirimClient(apiKey = sandbox.qirim.apiKey, retries: RetryEvent[] = []) {
  return createClient({
    provider: qirim({ apiKey, baseUrl: sandbox.qirim.baseUrl }),
    retry: { initialDelayMs: 5 },
    hooks: { onRetry: (e) => retries.push(e) },
  });
}

describe('qirim notifications', () => {
  it('queues a text and reports the batch, which moves from queued to sent', async () => {
    const client = qirimClient();
    const result = await client.send({ to: '08123456789', text: 'Halo 👋' });
    expect(result.batch).toEqual({ id: result.id, accepted: 1, queued: 1, rejected: 0 });
    // The seed's example, with the number as the client normalises it.
    expect((await sandbox.latest({ provider: 'qirim' }))?.payload).toEqual({
      ...seed.qirimSendText,
      to: '628123456789',
    });

    const status = await eventually(
      () => client.batches.get(result.id),
      (s) => s.messages.every((m) => m.status === 'sent'),
    );
    expect(status.batchId).toBe(result.id);
    expect(status.messages).toMatchObject([{ to: '628123456789', status: 'sent' }]);
  });

  it('sends one batch to several numbers', async () => {
    const result = await qirimClient().send({
      to: ['0812-3456-7890', '+62 813 1111 2222'],
      text: 'Promo akhir tahun',
    });
    expect(result.batch).toMatchObject({ accepted: 2, rejected: 0 });
    const stored = await sandbox.messages({ provider: 'qirim' });
    expect(stored.map((m) => m.to).sort()).toEqual(['6281234567890', '6281311112222']);
  });

  it('sends media by link and stored templates with their variables', async () => {
    const client = qirimClient();
    await client.send({
      to: '0812345678',
      image: { link: 'https://toko.id/promo.jpg', caption: 'Promo' },
    });
    expect((await sandbox.latest())?.payload).toEqual({
      ...seed.qirimSendMedia,
      to: '62812345678',
      media_url: 'https://toko.id/promo.jpg',
    });

    await client.send({
      to: ['0812345678', '0813111122'],
      template: { name: 'invoice', language: 'id', vars: { no: 'INV-1', total: 'Rp10.000' } },
    });
    const invoice = await sandbox.latest();
    expect(invoice?.payload).toEqual({
      ...seed.qirimSendTemplate,
      to: ['62812345678', '62813111122'],
    });
    expect(invoice?.text).toContain('INV-1');
    expect(invoice?.text).toContain('Rp10.000');
  });

  it('keeps the field errors of a validation_error', async () => {
    const error = await failure(
      qirimClient().send({
        to: '0812345678',
        template: { name: 'invoice', language: 'id', vars: { no: 'INV-1' } },
      }),
    );
    expect(error).toMatchObject({
      code: 'validation',
      status: 422,
      providerCode: 'validation_error',
    });
    expect(error.details).toMatchObject({ fields: expect.any(Object) });
  });

  it('refuses media by id and interactive messages before any request', async () => {
    const client = qirimClient();
    await expect(client.send({ to: '0812345678', image: { id: '123' } })).rejects.toThrow(
      'The qirim provider does not support image by media id',
    );
    await expect(
      client.send({
        to: '0812345678',
        interactive: { type: 'buttons', body: 'Pilih', buttons: [{ id: 'a', title: 'A' }] },
      }),
    ).rejects.toThrow('The qirim provider does not support interactive.buttons');
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('maps a wrong key to unauthenticated', async () => {
    const error = await failure(
      qirimClient('qirim_wrong_key_1234').send({ to: '0812345678', text: 'x' }),
    );
    expect(error).toMatchObject({
      code: 'unauthenticated',
      status: 401,
      providerCode: 'unauthenticated',
    });
  });
});

describe('qirim OTP', () => {
  it('requests a code the user receives, and verifies it', async () => {
    const client = qirimClient();
    const requested = await client.otp.request({ phone: '08123456789', purpose: 'login' });
    expect(requested.phone).toBe('628123456789');
    expect(requested.expiresIn).toBe(300);
    expect(JSON.stringify(requested)).not.toMatch(/code/i);

    const issued = await sandbox.qirimOtp('628123456789');
    expect(issued?.code).toMatch(/^\d{6}$/);

    const wrong = await failure(client.otp.verify({ phone: '08123456789', code: '000000' }));
    expect(wrong.code).toBe('otp_incorrect');
    expect(wrong.details).toMatchObject({ attempts_remaining: expect.any(Number) });

    const verified = await client.otp.verify({
      phone: '+62 812 3456 789',
      code: issued?.code ?? '',
    });
    expect(verified).toEqual({ verified: true, phone: '628123456789' });
  });

  it('reports the resend cooldown with retry_after and does not wait it out itself', async () => {
    const retries: RetryEvent[] = [];
    const client = qirimClient(sandbox.qirim.apiKey, retries);
    await client.otp.request({ phone: '08123456789', purpose: 'login' });
    const started = performance.now();
    const error = await failure(client.otp.resend({ phone: '08123456789', purpose: 'login' }));
    expect(error).toMatchObject({ code: 'resend_cooldown', status: 429 });
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(retries).toHaveLength(0);
    // Waiting the cooldown out would take up to a minute; one request, even on a loaded machine, not.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('locks the code after too many wrong attempts', async () => {
    const client = qirimClient();
    await client.otp.request({ phone: '08123456789' });
    let last = await failure(client.otp.verify({ phone: '08123456789', code: '000000' }));
    for (let i = 0; i < 6 && last.code === 'otp_incorrect'; i++) {
      last = await failure(client.otp.verify({ phone: '08123456789', code: '000000' }));
    }
    expect(last.code).toBe('too_many_attempts');
  });

  it('checks code length and TTL before the network, and maps a disabled feature', async () => {
    const client = qirimClient();
    await expect(client.otp.request({ phone: '08123456789', codeLength: 3 })).rejects.toThrow(
      'codeLength',
    );
    await expect(client.otp.request({ phone: '08123456789', ttl: 10 })).rejects.toThrow('ttl');
    await expect(client.otp.request({ phone: '0812' })).rejects.toThrow(/Invalid phone number/);

    const disabled = await failure(
      qirimClient('qirim_notif_only_key').otp.request({ phone: '08123456789' }),
    );
    expect(disabled).toMatchObject({ code: 'feature_disabled', status: 403 });
  });

  it('answers health', async () => {
    expect(await qirimClient().health()).toBeTruthy();
  });
});
