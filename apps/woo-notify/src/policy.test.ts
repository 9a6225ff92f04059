/**
 * The send policy in woo-notify, against the sandbox: consent from the checkout's opt-in box,
 * marketing status messages refused to customers who opted out, and Meta's 24-hour window (which
 * Kirem applies too) for text status messages, each recorded as a skipped row with its reason.
 */
import { memoryConsentStore, memoryWindowStore } from '@kabar/core';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningService } from './service.js';
import {
  ADMIN_TOKEN,
  approveTemplate,
  deliver,
  type LogLine,
  startAgainst,
  wooOrder,
} from './test-support.js';

const sandbox = useSandbox();
const CUSTOMER = '6281234567890';
const PATIENT = { timeoutMs: 15_000, intervalMs: 50 };
let service: (RunningService & { logs: LogLine[] }) | undefined;

beforeEach(async () => {
  await approveTemplate(sandbox);
});
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const outbound = () => sandbox.messages({ to: CUSTOMER, direction: 'outbound' });
const optIn = (value: unknown) => ({ meta_data: [{ id: 1, key: '_wa_optin', value }] });
const settled = (s: RunningService) =>
  eventually(
    async () => s.outbox.counts(),
    (c) => c.pending === 0 && c.sending === 0,
    PATIENT,
  );
const admin = (s: RunningService, path: string, method = 'GET') =>
  fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

describe('checkout consent', () => {
  it('records the opt-in box from meta_data, as of the order, and never over a later STOP', async () => {
    const consent = memoryConsentStore();
    service = await startAgainst(sandbox, { admin: { phone: '' } }, { consent });
    const placed = Date.parse('2026-11-21T03:15:30Z');

    await deliver(service.url, wooOrder({ id: 1, ...optIn('yes') }));
    expect(await consent.get(CUSTOMER)).toEqual({
      status: 'opted_in',
      source: 'checkout',
      at: placed,
    });

    // The customer replies STOP afterwards; the same order delivered again changes nothing.
    await consent.set(CUSTOMER, { status: 'opted_out', source: 'keyword', at: placed + 60_000 });
    await deliver(service.url, wooOrder({ id: 1, status: 'completed', ...optIn('yes') }), {
      topic: 'order.updated',
    });
    expect(await consent.get(CUSTOMER)).toMatchObject({ status: 'opted_out', source: 'keyword' });

    // A newer order with the box ticked opts them back in; one unticked opts them out.
    const next = { date_created_gmt: '2026-11-22T08:00:00' };
    await deliver(service.url, wooOrder({ id: 2, ...next, ...optIn('1') }));
    expect(await consent.get(CUSTOMER)).toMatchObject({ status: 'opted_in', source: 'checkout' });
    const later = { date_created_gmt: '2026-11-23T08:00:00' };
    await deliver(service.url, wooOrder({ id: 3, ...later, ...optIn('') }));
    expect(await consent.get(CUSTOMER)).toMatchObject({ status: 'opted_out', source: 'checkout' });
    expect(service.logs.filter((l) => l.event === 'consent_recorded')).toHaveLength(3);
    expect(JSON.stringify(service.logs)).not.toContain(CUSTOMER);
  });

  it('reads the configured key, and records nothing for orders without it', async () => {
    const consent = memoryConsentStore();
    service = await startAgainst(
      sandbox,
      { consent: { optInMetaKey: 'whatsapp_marketing' } },
      { consent },
    );
    await deliver(service.url, wooOrder({ id: 4, ...optIn('yes') }));
    expect(await consent.get(CUSTOMER)).toBeUndefined();
    await deliver(
      service.url,
      wooOrder({ id: 5, meta_data: [{ key: 'whatsapp_marketing', value: true }] }),
    );
    expect(await consent.get(CUSTOMER)).toMatchObject({ status: 'opted_in' });
  });
});

describe('marketing status messages', () => {
  it('skip customers who opted out, with the reason in the row, the log and /admin; order updates still go', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      statuses: {
        processing: {
          template: 'notif_pesanan_baru',
          params: ['{name}', '{store}', '{number}', '{amount}'],
        },
        completed: {
          text: 'Halo {name}, pesanan #{number} selesai. Pakai kode HEMAT10 untuk belanja berikutnya!',
          category: 'marketing',
        },
      },
    });
    await deliver(service.url, wooOrder({ id: 6, ...optIn('no') }));
    await deliver(service.url, wooOrder({ id: 6, status: 'completed', ...optIn('no') }), {
      topic: 'order.updated',
    });
    await settled(service);

    const messages = await outbound();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.template?.name).toBe('notif_pesanan_baru');
    const rows = service.outbox.all();
    expect(rows.map((r) => [r.status, r.state])).toEqual([
      ['processing', 'sent'],
      ['completed', 'skipped'],
    ]);
    expect(rows[1]?.attempts).toBe(1);
    expect(rows[1]?.last_error).toMatch(/^opted_out: /);
    expect(service.logs.find((l) => l.event === 'message_skipped')).toMatchObject({
      level: 'warn',
      reason: 'opted_out',
      status: 'completed',
    });
    const failed = (await (await admin(service, '/admin/failed')).json()) as {
      failed: { state: string; error: string; status: string }[];
    };
    expect(failed.failed).toEqual([
      expect.objectContaining({
        state: 'skipped',
        status: 'completed',
        error: expect.stringMatching(/^opted_out/),
      }),
    ]);
    const stats = (await (await admin(service, '/admin/stats')).json()) as {
      outbox: Record<string, number>;
    };
    expect(stats.outbox).toMatchObject({ sent: 1, skipped: 1, dead: 0 });
    // Replay all leaves skipped rows alone; nothing is sent.
    await admin(service, '/admin/failed/replay', 'POST');
    expect(service.outbox.counts().skipped).toBe(1);
  });
});

describe('the 24-hour window (window.enforce)', () => {
  it('skips a text status for a customer who has not written, sends templates, and a replay goes once they write', async () => {
    const windows = memoryWindowStore();
    service = await startAgainst(sandbox, { window: { enforce: true } }, { windows });
    await deliver(service.url, wooOrder({ id: 7 }));
    await deliver(service.url, wooOrder({ id: 7, status: 'completed' }), {
      topic: 'order.updated',
    });
    await settled(service);

    // The template (processing) goes; the text (completed) and the admin's text are refused.
    expect((await outbound()).map((m) => m.template?.name)).toEqual(['notif_pesanan_baru']);
    const rows = service.outbox.all();
    const completed = rows.find((r) => r.status === 'completed');
    expect(completed).toMatchObject({ state: 'skipped', attempts: 1 });
    expect(completed?.last_error).toMatch(/^outside_window: .*24-hour/);
    expect(completed?.last_error).not.toContain(CUSTOMER);
    expect(rows.find((r) => r.role === 'admin')).toMatchObject({ state: 'skipped' });
    expect(service.logs.filter((l) => l.event === 'message_retry')).toHaveLength(0);
    expect(service.logs.find((l) => l.event === 'message_skipped')).toMatchObject({
      reason: 'outside_window',
    });

    // The customer writes (the shop's webhook receiver notes it in the shared window store).
    await windows.customerWrote({ business: 'default', contact: CUSTOMER }, Date.now());
    const replay = await admin(service, `/admin/failed/${completed?.id}/replay`, 'POST');
    expect(replay.status).toBe(200);
    const messages = await eventually(
      () => outbound(),
      (m) => m.length === 2,
      PATIENT,
    );
    expect(messages[0]?.text).toContain('sudah selesai');
    expect(service.outbox.get(completed?.id as number)?.state).toBe('sent');
  });

  it('is off by default: text statuses go to the gateway as before', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    await deliver(service.url, wooOrder({ id: 8, status: 'completed' }));
    await settled(service);
    const rows = service.outbox.all();
    expect(rows.map((r) => r.state)).toEqual(['sent']);
    // Order updates are utility messages.
    expect(JSON.parse(rows[0]?.message ?? '{}')).toMatchObject({ category: 'utility' });
    expect(await outbound()).toHaveLength(1);
  });
});
