import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { call, sendKiremText, useReceiver } from './test-helpers.js';
import type { RunningSandbox, SandboxSession } from './types.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();
const receiver = useReceiver();

/** A 1.5 MiB "photo": past the control API's usual 1 MiB body limit once it is base64. */
const PHOTO = new Uint8Array(1.5 * 1024 * 1024).map((_, index) => (index * 7) % 256);

/** Files this large are compared by hash: comparing them byte by byte is slow in vitest. */
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function uploadMetaPhoto(target: RunningSandbox): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([PHOTO], { type: 'image/jpeg' }), 'foto.jpg');
  form.append('messaging_product', 'whatsapp');
  const answer = await call(`${target.meta.baseUrl}/v21.0/${target.meta.phoneNumberId}/media`, {
    token: target.meta.accessToken,
    body: form,
  });
  expect(answer.status).toBe(200);
  return answer.body.id;
}

async function downloadMeta(target: RunningSandbox, id: string) {
  const response = await fetch(`${target.meta.baseUrl}/media-download/${id}`, {
    headers: { authorization: `Bearer ${target.meta.accessToken}` },
  });
  return { status: response.status, sha256: sha256(new Uint8Array(await response.arrayBuffer())) };
}

const templatesOf = async (target: RunningSandbox) =>
  (await call(`${target.url}/api/v1/templates`)).body.templates;

async function withFreshSandbox(test: (target: RunningSandbox) => Promise<void>): Promise<void> {
  const target = await createSandbox();
  try {
    await test(target);
  } finally {
    await target.close();
  }
}

describe('session export and import', () => {
  it('reproduces messages, templates, media and deliveries in a fresh sandbox', async () => {
    const sentId = await sendKiremText(sandbox, 'Pesanan #12 sudah dikirim');
    const created = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
      token: sandbox.kirem.apiKey,
      json: {
        name: 'pesanan_siap',
        category: 'UTILITY',
        language: 'id',
        components: [{ type: 'BODY', text: 'Pesanan {{1}} siap.' }],
      },
    });
    expect(created.status).toBe(200);
    await sandbox.setTemplateStatus('kirem', 'pesanan_siap', 'APPROVED');
    const photoId = await uploadMetaPhoto(sandbox);
    await sandbox.setWebhook('kirem', { url: receiver.url });
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'Terima kasih' });

    const session = await sandbox.exportSession();
    expect(session).toMatchObject({
      format: 'kabar-sandbox-session',
      version: 1,
      exportedAt: expect.any(String),
      media: [{ id: photoId, provider: 'meta', mimeType: 'image/jpeg', filename: 'foto.jpg' }],
    });
    expect(sha256(Buffer.from(session.media[0]?.base64 ?? '', 'base64'))).toBe(sha256(PHOTO));

    await withFreshSandbox(async (target) => {
      await sendKiremText(target, 'pesan lama di sandbox tujuan');
      await target.importSession(session);

      expect(await target.messages()).toEqual(await sandbox.messages());
      expect(await target.messageDetail(sentId)).toEqual(await sandbox.messageDetail(sentId));
      expect(await templatesOf(target)).toEqual(await templatesOf(sandbox));
      expect(await templatesOf(target)).toContainEqual(
        expect.objectContaining({ provider: 'kirem', name: 'pesanan_siap', status: 'APPROVED' }),
      );
      expect(await downloadMeta(target, photoId)).toEqual({ status: 200, sha256: sha256(PHOTO) });
      expect(await target.deliveries()).toEqual(await sandbox.deliveries());
    });
  });

  it('answers GET /api/v1/export with the document over plain HTTP', async () => {
    const id = await sendKiremText(sandbox, 'halo');
    const answer = await call(`${sandbox.url}/api/v1/export`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(answer.body)).toEqual([
      'format',
      'version',
      'exportedAt',
      'messages',
      'templates',
      'media',
      'deliveries',
    ]);
    expect(answer.body.messages).toMatchObject([{ message: { id }, request: {}, statuses: [{}] }]);
    expect(Object.keys(answer.body.templates)).toEqual(['kirem', 'meta', 'qirim']);
  });

  it('refuses a malformed document with 400 and the reason, changing nothing', async () => {
    const id = await sendKiremText(sandbox, 'tetap di sini');
    const good = await sandbox.exportSession();
    const before = { messages: await sandbox.messages(), templates: await templatesOf(sandbox) };
    const entry = good.messages[0];
    const broken: [unknown, string][] = [
      [[], 'the body must be a session document'],
      [{ ...good, format: 'mailpit' }, "format must be 'kabar-sandbox-session'"],
      [{ ...good, version: 2 }, 'version 2 is not supported; this sandbox reads version 1'],
      [{ ...good, messages: 'semua' }, 'messages must be an array'],
      [
        { ...good, messages: [{ ...entry, message: { ...entry?.message, provider: 'sms' } }] },
        'messages[0].message.provider must be one of kirem, meta, kirimy, qirim, waviro, fonnte, wablas',
      ],
      [{ ...good, messages: [entry, entry] }, `messages[1] repeats the id '${id}'`],
      [
        { ...good, messages: [{ ...entry, message: { ...entry?.message, from: 62812 } }] },
        'messages[0].message.from must be a string when present',
      ],
      [
        { ...good, templates: { fonnte: [] } },
        'templates.fonnte: only kirem, meta, qirim keep templates',
      ],
      [
        { ...good, templates: { kirem: [{ name: 'x', language: 'id', id: '1', status: 'OK' }] } },
        'templates.kirem[0].status must be one of APPROVED, PENDING, REJECTED, PAUSED',
      ],
      [
        { ...good, media: [{ id: '1', provider: 'meta', mimeType: 'image/png', filename: 'a' }] },
        "media[0].base64 must be the file's bytes in base64",
      ],
      [
        {
          ...good,
          media: [
            {
              id: '1',
              provider: 'meta',
              mimeType: 'a/b',
              filename: 'a',
              sha256: 'x',
              base64: 'AA==',
            },
          ],
        },
        'media[0].sha256 does not match its bytes',
      ],
      [{ ...good, deliveries: [{ id: 'd' }] }, 'deliveries[0].provider must be one of'],
    ];
    for (const [document, reason] of broken) {
      const answer = await call(`${sandbox.url}/api/v1/import`, { json: document });
      expect(answer.status, reason).toBe(400);
      expect(answer.body.error).toContain(reason);
    }
    const notJson = await call(`${sandbox.url}/api/v1/import`, {
      body: '{"format":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'body must be JSON' } });
    await expect(
      sandbox.importSession({ ...good, version: 3 } as unknown as SandboxSession),
    ).rejects.toThrow('POST /api/v1/import failed with 400: version 3 is not supported');

    expect(await sandbox.messages()).toEqual(before.messages);
    expect(await templatesOf(sandbox)).toEqual(before.templates);
  });

  it('continues Fonnte’s increasing ids after the highest imported one', async () => {
    const sendFonnte = (target: RunningSandbox) =>
      call(`${target.fonnte.baseUrl}/send`, {
        headers: { authorization: target.fonnte.token },
        json: { target: '6281234567891', message: 'halo' },
      });
    await sendFonnte(sandbox);
    const session = await sandbox.exportSession();
    const [entry] = session.messages;
    if (!entry) throw new Error('the Fonnte send stored no message');
    // Above any counter's random start (100,000,000 to 500,000,000), so only continuing can pass it.
    entry.message.id = '499999999';
    await withFreshSandbox(async (target) => {
      await target.importSession(session);
      expect((await sendFonnte(target)).body.id).toEqual([500000000]);
    });
  });

  it('keeps the seeded templates of a store the document leaves out', async () => {
    const session = await sandbox.exportSession();
    await withFreshSandbox(async (target) => {
      await target.setTemplateStatus('meta', 'promo_diskon_baru', 'APPROVED');
      await target.importSession({ ...session, templates: { kirem: [] } });
      const templates = await templatesOf(target);
      expect(templates.filter((t: { provider: string }) => t.provider === 'kirem')).toEqual([]);
      // The import resets first, so Meta's store is back to its seeds, not the approval.
      expect(templates).toContainEqual(
        expect.objectContaining({ provider: 'meta', name: 'promo_diskon_baru', status: 'PENDING' }),
      );
    });
  });
});
