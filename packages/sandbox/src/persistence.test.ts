import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { call, sendKiremText, useReceiver } from './test-helpers.js';
import type { RunningSandbox, SandboxOptions } from './types.js';

const receiver = useReceiver();

let dir: string;
let dataFile: string;
let running: RunningSandbox[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kabar-sandbox-data-'));
  dataFile = join(dir, 'sandbox.db');
});

afterEach(async () => {
  await Promise.all(running.map((sandbox) => sandbox.close()));
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await createSandbox({ dataFile, ...options });
  running.push(sandbox);
  return sandbox;
}

/** Closes the sandbox and starts a new one on the same file, as a restarted process would. */
async function restart(sandbox: RunningSandbox, options: SandboxOptions = {}) {
  running = running.filter((other) => other !== sandbox);
  await sandbox.close();
  return start(options);
}

async function sendFonnteText(sandbox: RunningSandbox, message: string): Promise<string> {
  const answer = await call(`${sandbox.fonnte.baseUrl}/send`, {
    headers: { authorization: sandbox.fonnte.token },
    json: { target: '6281234567891', message },
  });
  expect(answer.body.status).toBe(true);
  return answer.body.id[0];
}

async function createKiremTemplate(sandbox: RunningSandbox, name: string) {
  const answer = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
    token: sandbox.kirem.apiKey,
    json: {
      name,
      category: 'UTILITY',
      language: 'id',
      components: [{ type: 'BODY', text: 'Pesanan {{1}} siap diambil.' }],
    },
  });
  expect(answer.status).toBe(200);
}

async function kiremTemplates(sandbox: RunningSandbox) {
  const answer = await call(`${sandbox.url}/api/v1/templates?provider=kirem`);
  return Object.fromEntries(
    (answer.body.templates as { name: string; status: string }[]).map((t) => [t.name, t.status]),
  );
}

const PICTURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 0, 255]);

async function uploadKiremMedia(sandbox: RunningSandbox): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([PICTURE], { type: 'image/png' }), 'struk.png');
  const answer = await call(`${sandbox.kirem.baseUrl}/v1/media`, {
    token: sandbox.kirem.apiKey,
    body: form,
  });
  expect(answer.status).toBe(200);
  return answer.body.data.id;
}

async function downloadKiremMedia(sandbox: RunningSandbox, id: string) {
  const response = await fetch(`${sandbox.kirem.baseUrl}/v1/media/${id}/download`, {
    headers: { authorization: `Bearer ${sandbox.kirem.apiKey}` },
  });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** The rows of one query against the file, read with SQLite itself rather than the sandbox. */
async function query(file: string, sql: string) {
  const sqlite = await initSqlJs();
  const db = new sqlite.Database(readFileSync(file));
  try {
    return db.exec(sql)[0]?.values ?? [];
  } finally {
    db.close();
  }
}

describe('dataFile', () => {
  it('keeps messages, templates, media and deliveries across a restart', async () => {
    const first = await start();
    const sentId = await sendKiremText(first, 'Pesanan #12 sudah dikirim');
    await createKiremTemplate(first, 'pesanan_siap');
    await first.setTemplateStatus('kirem', 'pesanan_siap', 'APPROVED');
    await first.setTemplateStatus('meta', 'otp_verification', 'PAUSED');
    await first.addQirimTemplate({ name: 'pengingat', body: 'Halo {{nama}}, jangan lupa.' });
    const mediaId = await uploadKiremMedia(first);
    await first.setWebhook('kirem', { url: receiver.url });
    const inbound = await first.inbound({
      provider: 'kirem',
      from: '6281234567890',
      text: 'Kapan sampai?',
    });
    expect(inbound.deliveries).toHaveLength(1);
    const messages = await first.messages();
    const detail = await first.messageDetail(sentId);
    const deliveries = await first.deliveries();

    const second = await restart(first);

    expect(await second.messages()).toEqual(messages);
    expect(messages.map((message) => message.id)).toEqual([inbound.message.id, sentId]);
    expect(await second.messageDetail(sentId)).toEqual(detail);
    expect(detail?.request?.path).toBe('/kirem/v1/messages');
    expect(await kiremTemplates(second)).toMatchObject({
      pesanan_siap: 'APPROVED',
      otp_verification: 'APPROVED',
    });
    const metaTemplates = await call(`${second.url}/api/v1/templates?provider=meta`);
    expect(metaTemplates.body.templates).toContainEqual(
      expect.objectContaining({ name: 'otp_verification', status: 'PAUSED' }),
    );
    // The restored template is the store's own again: it can be sent.
    const templateSend = await call(`${second.kirem.baseUrl}/v1/messages`, {
      token: second.kirem.apiKey,
      json: {
        messaging_product: 'whatsapp',
        to: '6281234567890',
        type: 'template',
        template: {
          name: 'pesanan_siap',
          language: { code: 'id' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: '#12' }] }],
        },
      },
    });
    expect(templateSend.status).toBe(201);
    const qirimSend = await call(`${second.qirim.baseUrl}/notifications/send`, {
      headers: { 'x-api-key': second.qirim.apiKey },
      json: {
        to: ['081234567890'],
        type: 'template',
        template: 'pengingat',
        vars: { nama: 'Budi' },
      },
    });
    expect(qirimSend.status).toBe(202);
    expect((await second.latest({ provider: 'qirim' }))?.text).toBe('Halo Budi, jangan lupa.');
    expect(await downloadKiremMedia(second, mediaId)).toEqual({ status: 200, bytes: PICTURE });
    expect(await second.deliveries()).toEqual(deliveries);
    // A restored delivery is a real one: it can be posted again.
    const [delivery] = deliveries;
    receiver.received.length = 0;
    expect((await second.redeliver(delivery?.id ?? '')).attempt).toBe(2);
    expect(receiver.received[0]?.raw.toString('utf8')).toBe(delivery?.body);
  });

  it('gives messages sent after a restart new ids, Fonnte’s increasing ones included', async () => {
    const first = await start();
    const kiremId = await sendKiremText(first, 'sebelum');
    const fonnteId = await sendFonnteText(first, 'sebelum');
    const second = await restart(first);

    const newKiremId = await sendKiremText(second, 'sesudah');
    const newFonnteId = await sendFonnteText(second, 'sesudah');
    expect(newKiremId).not.toBe(kiremId);
    expect(Number(newFonnteId)).toBeGreaterThan(Number(fonnteId));
    const ids = (await second.messages()).map((message) => message.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });

  it('saves shortly after a change without close(), into plain tables, leaving no temporary file', async () => {
    const sandbox = await start();
    const id = await sendKiremText(sandbox, 'tersimpan');

    await expect
      .poll(async () => (await query(dataFile, 'SELECT json FROM messages')).length)
      .toBe(1);
    const [[json]] = (await query(dataFile, 'SELECT json FROM messages')) as [[string]];
    expect(JSON.parse(json)).toMatchObject({ message: { id, text: 'tersimpan' }, statuses: [{}] });
    expect(await query(dataFile, "SELECT value FROM kabar_sandbox WHERE key = 'format'")).toEqual([
      ['kabar-sandbox-data'],
    ]);
    expect(readdirSync(dir)).toEqual(['sandbox.db']);
  });

  it('creates a missing file at start, and reset() empties it back to the seeds', async () => {
    const first = await start();
    expect(readdirSync(dir)).toEqual(['sandbox.db']);
    await sendKiremText(first, 'akan dihapus');
    await createKiremTemplate(first, 'sementara');
    await uploadKiremMedia(first);
    await first.reset();
    const second = await restart(first);

    expect(await second.messages()).toEqual([]);
    const templates = await kiremTemplates(second);
    expect(templates).not.toHaveProperty('sementara');
    expect(templates).toEqual({ otp_verification: 'APPROVED', promo_diskon_baru: 'PENDING' });
    expect(await query(dataFile, 'SELECT COUNT(*) FROM media')).toEqual([[0]]);
  });

  it('keeps maxMessages when it loads more messages than that', async () => {
    const first = await start();
    for (const text of ['satu', 'dua', 'tiga']) await sendKiremText(first, text);
    const second = await restart(first, { maxMessages: 2 });
    expect((await second.messages()).map((message) => message.text)).toEqual(['tiga', 'dua']);
  });
});

describe('dataFile that is not one', () => {
  it('refuses a file that is not SQLite, naming it, and leaves it untouched', async () => {
    writeFileSync(dataFile, 'catatan belanja: telur, gula\n');
    await expect(createSandbox({ dataFile })).rejects.toThrow(
      `${dataFile} is not a kabar-sandbox data file (it is not an SQLite database); choose another file, or move this one away`,
    );
    expect(readFileSync(dataFile, 'utf8')).toBe('catatan belanja: telur, gula\n');
  });

  it('refuses another program’s SQLite database', async () => {
    const sqlite = await initSqlJs();
    const db = new sqlite.Database();
    db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('halo')");
    const foreign = db.export();
    db.close();
    writeFileSync(dataFile, foreign);
    await expect(createSandbox({ dataFile })).rejects.toThrow(
      `${dataFile} is not a kabar-sandbox data file (an SQLite database of something else)`,
    );
    expect(new Uint8Array(readFileSync(dataFile))).toEqual(foreign);
  });

  it('reports a damaged sandbox file as corrupt, naming it', async () => {
    const sandbox = await start();
    await uploadKiremMedia(sandbox);
    running = [];
    await sandbox.close();

    const sqlite = await initSqlJs();
    const db = new sqlite.Database(readFileSync(dataFile));
    db.exec("UPDATE media SET bytes = x'00'");
    writeFileSync(dataFile, db.export());
    db.close();
    await expect(createSandbox({ dataFile })).rejects.toThrow(
      `${dataFile} is corrupt: media[0].sha256 does not match its bytes`,
    );

    const truncated = readFileSync(dataFile).subarray(0, 5000);
    writeFileSync(dataFile, truncated);
    await expect(createSandbox({ dataFile })).rejects.toThrow(`${dataFile} is corrupt: `);
  });
});
