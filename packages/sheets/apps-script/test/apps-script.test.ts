import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GATEWAYS } from '@kabar/core/gateways';
import { connectSandbox, type SandboxControl, type SandboxMessage } from '@kabar/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAppsScript, REGISTRY_FIELDS, registrySnapshot } from '../build.mjs';
import { type Cell, FakeGas } from './gas-fakes';
import { SandboxThread, type SyncRequest, type SyncResult } from './sync-http';

// The BUILT bundle (dist/apps-script/Code.js) runs in a Node vm with fakes of the Apps Script
// services. UrlFetchApp is answered by the real sandbox over HTTP: the sandbox lives on a worker
// thread, because the synchronous fetch blocks this one.

const KEY = 'kirem_test_key';
const SEED_HEADER = ['No HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt Out'];

let thread: SandboxThread;
let sandbox: SandboxControl;
let code: string;
let dist: string;

beforeAll(async () => {
  const built = await buildAppsScript();
  dist = built.dir;
  code = await readFile(built.codePath, 'utf8');
  thread = await SandboxThread.start();
  sandbox = await connectSandbox(thread.url);
}, 60_000);

afterAll(async () => {
  await thread?.close();
});

beforeEach(async () => {
  // The seed's broadcast template ({{1}} name, {{2}} promo code), created through Kirem's API and
  // approved through the control API, since new templates start PENDING.
  const response = await fetch(`${sandbox.kirem.baseUrl}/v1/templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'broadcast_promo',
      category: 'MARKETING',
      language: 'id',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Promo Spesial!' },
        {
          type: 'BODY',
          text: 'Halo {{1}}, Jangan lewatkan promo spesial kami! Gunakan kode *{{2}}* untuk mendapatkan diskon di seluruh produk.',
        },
      ],
    }),
  });
  expect(response.status).toBeLessThan(300);
  await sandbox.setTemplateStatus('kirem', 'broadcast_promo', 'APPROVED');
});

afterEach(async () => {
  await sandbox.reset();
});

function gasWith(rows: Cell[][], options: Partial<ConstructorParameters<typeof FakeGas>[1]> = {}) {
  const gas = new FakeGas(code, { rows, http: thread, ...options });
  const saved = gas.run('saveSettings', {
    gateway: 'kirem',
    apiKey: KEY,
    phoneNumberId: '',
    baseUrl: sandbox.kirem.baseUrl,
    templateName: 'broadcast_promo',
    language: 'id',
    ratePerSecond: '80',
    timeBudgetSeconds: '270',
  });
  expect(String(saved)).toContain('Tersimpan');
  gas.resetCounters();
  return gas;
}

/** 1000 unique numbers written three ways: 08..., a number that lost its 0, +62 with dashes. */
function phoneCell(index: number): Cell {
  const digits = String(index).padStart(6, '0');
  if (index % 3 === 0) return Number(`81230${digits}`);
  if (index % 3 === 1) return `081230${digits}`;
  return `+62 812-30${digits.slice(0, 2)}-${digits.slice(2)}`;
}
const normalized = (index: number) => `6281230${String(index).padStart(6, '0')}`;

function seedRows(
  count: number,
  extra: (index: number) => Partial<Record<number, Cell>> = () => ({}),
) {
  const rows: Cell[][] = [SEED_HEADER];
  for (let index = 1; index <= count; index++) {
    const row: Cell[] = [phoneCell(index), `Pelanggan ${index}`, `PROMO${index}`, '', '', '', ''];
    for (const [column, value] of Object.entries(extra(index))) row[Number(column)] = value ?? '';
    rows.push(row);
  }
  return rows;
}

async function allMessages(): Promise<SandboxMessage[]> {
  return sandbox.messages({ limit: 5000 });
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('the built bundle', () => {
  it('is plain Apps Script: top-level functions, no module syntax, a V8 manifest', async () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\brequire\s*\(/);
    for (const name of [
      'onOpen',
      'sendBroadcast',
      'resetStatus',
      'continueBroadcast',
      'openSettings',
      'saveSettings',
    ]) {
      expect(code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
    }
    const manifest = JSON.parse(await readFile(path.join(dist, 'appsscript.json'), 'utf8'));
    expect(manifest).toMatchObject({ timeZone: 'Asia/Jakarta', runtimeVersion: 'V8' });
    expect(manifest.oauthScopes).toEqual(
      expect.arrayContaining([
        'https://www.googleapis.com/auth/spreadsheets.currentonly',
        'https://www.googleapis.com/auth/script.external_request',
        'https://www.googleapis.com/auth/script.scriptapp',
        'https://www.googleapis.com/auth/script.container.ui',
      ]),
    );
  });
});

describe("the bundle's copy of core's gateway registry", () => {
  it('is plain data with the registry values, so no provider code runs in Apps Script', async () => {
    // Waviro's provider makes a fetch Headers object when its module loads; Apps Script has none.
    expect(code).not.toMatch(/\bnew Headers\(/);
    const snapshot = await registrySnapshot();
    expect(snapshot.map((entry) => entry.name)).toEqual(GATEWAYS.map((gateway) => gateway.name));
    snapshot.forEach((entry, index) => {
      const gateway = GATEWAYS[index];
      expect(
        Object.keys(entry).every((key) => REGISTRY_FIELDS.some((field) => field === key)),
      ).toBe(true);
      expect(entry.label).toBe(gateway?.label);
      expect(entry.defaultRateLimit).toEqual(gateway?.defaultRateLimit);
    });
    expect(code).toContain(JSON.stringify(GATEWAYS[0]?.label));
  });
});

describe('Kirim Broadcast', () => {
  it('sends 1,000 rows in one run, each exactly once, with few service calls', async () => {
    const gas = gasWith(seedRows(1000));
    const wallStart = performance.now();
    gas.run('sendBroadcast');
    const wallMs = performance.now() - wallStart;

    const confirm = gas.alerts[0];
    expect(confirm?.title).toBe('Konfirmasi Broadcast');
    expect(confirm?.prompt).toContain('ke 1000 nomor');
    const summary = gas.alerts.at(-1);
    expect(summary?.title).toBe('Broadcast selesai');
    expect(summary?.prompt).toContain('Terkirim: 1000');
    expect(summary?.prompt).toContain('Gagal: 0');
    expect(summary?.prompt).toContain('Sisa: 0');

    const messages = await allMessages();
    expect(messages).toHaveLength(1000);
    const perNumber = countBy(messages.map((message) => message.to));
    const byId = new Map(messages.map((message) => [message.id, message]));
    for (let index = 1; index <= 1000; index++) {
      expect(perNumber.get(normalized(index))).toBe(1);
      const [, , , status, messageId, sentAt] = gas.rows[index] ?? [];
      expect(status).toBe('TERKIRIM');
      const message = byId.get(String(messageId));
      expect(message?.to).toBe(normalized(index));
      expect(message?.text).toContain(`Halo Pelanggan ${index}, `);
      expect(message?.text).toContain(`*PROMO${index}*`);
      expect(String(sentAt)).toMatch(/^2025-06-02 \d\d:\d\d:\d\d$/);
    }

    const c = gas.counters;
    const simulatedSeconds = (gas.now - Date.parse('2025-06-02T01:00:00Z')) / 1000;
    console.log(
      `APPS_SCRIPT 1000 rows: fetchAll=${c.fetchAll} requests=${c.requests} fetch=${c.fetch} ` +
        `reads=${c.getValues + c.getDisplayValues} setValues=${c.setValues} setValue=${c.setValue} ` +
        `cellsWritten=${c.cellsWritten} sleep_ms=${c.sleepMs} simulated_s=${simulatedSeconds.toFixed(1)} ` +
        `wall_ms=${wallMs.toFixed(0)} http_wall_ms=${gas.wallHttpMs.toFixed(0)}`,
    );
    console.log(
      'APPS_SCRIPT seed script, 1000 rows: fetch=1000 fetchAll=0 setValue=3000 cellsWritten=3000 sleep_ms=2000000',
    );
    expect(c.requests).toBe(1000);
    expect(c.fetch).toBe(0);
    expect(c.fetchAll).toBeLessThanOrEqual(25);
    expect(c.setValue).toBe(0);
    expect(c.setValues).toBe(c.fetchAll);
    expect(c.cellsWritten).toBe(3000);
    expect(c.getValues + c.getDisplayValues).toBe(2);
    // 80/s: 1000 requests need at least 12 one-second windows, far from the seed's 2,000 s.
    expect(simulatedSeconds).toBeGreaterThanOrEqual(12);
    expect(c.sleepMs).toBeLessThan(20_000);
    expect(gas.triggers).toHaveLength(0);
    expect(gas.properties.has('KABAR_RUN')).toBe(false);
  });

  it('keeps every one-second window within the rate limit', async () => {
    const starts: number[] = [];
    const http = {
      fetchAllSync: (requests: Parameters<SandboxThread['fetchAllSync']>[0]) => {
        for (const _ of requests) starts.push(paced.now);
        return thread.fetchAllSync(requests);
      },
    };
    // Each fetchAll takes 120 ms, so a request reaches the gateway 0..120 ms after its batch started.
    const paced: FakeGas = new FakeGas(code, { rows: seedRows(300), http, fetchAllMs: 120 });
    paced.run('saveSettings', {
      gateway: 'kirem',
      apiKey: KEY,
      baseUrl: sandbox.kirem.baseUrl,
      templateName: 'broadcast_promo',
      language: 'id',
      ratePerSecond: '25',
    });
    paced.run('sendBroadcast');
    expect(await allMessages()).toHaveLength(300);
    // Two requests can share a one-second window at the gateway only if their batches started less
    // than 1000 + 120 ms apart.
    let worst = 0;
    for (const start of starts) {
      worst = Math.max(
        worst,
        starts.filter((other) => other >= start && other < start + 1120).length,
      );
    }
    expect(worst).toBe(25);
    expect(paced.counters.fetchAll).toBe(12);
    expect(paced.counters.sleepMs).toBeGreaterThan(0);
  });

  it('stops at the time budget, schedules continueBroadcast, and the trigger finishes the rest', async () => {
    // A slow gateway: every fetchAll takes 30 s of the 270 s budget.
    const gas = gasWith(seedRows(1000), { fetchAllMs: 30_000 });
    gas.run('sendBroadcast');

    const firstPart = (await allMessages()).length;
    expect(firstPart).toBeGreaterThan(0);
    expect(firstPart).toBeLessThan(1000);
    expect(gas.alerts.at(-1)?.title).toBe('Broadcast berlanjut otomatis');
    expect(gas.alerts.at(-1)?.prompt).toContain(`Sisa: ${1000 - firstPart}`);
    expect(gas.triggers.map((trigger) => trigger.handler)).toEqual(['continueBroadcast']);
    expect(gas.triggers[0]?.afterMs).toBe(60_000);
    expect(gas.properties.has('KABAR_RUN')).toBe(true);

    const parts = [firstPart];
    for (let round = 0; round < 10 && gas.triggers.length > 0; round++) {
      const fired = gas.fireDueTriggers();
      expect(fired).toHaveLength(1);
      // The continuation deleted the trigger that started it.
      expect(gas.deletedTriggers).toContain(fired[0]?.uid);
      parts.push((await allMessages()).length);
    }
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)).toBe(1000);
    expect(gas.triggers).toHaveLength(0);
    expect(gas.properties.has('KABAR_RUN')).toBe(false);
    expect(gas.toasts.at(-1)?.title).toBe('Broadcast selesai');
    expect(gas.toasts.at(-1)?.message).toContain('Terkirim: 1000');
    expect(gas.properties.get('KABAR_LAST_SUMMARY')).toContain('Terkirim: 1000');

    const perNumber = countBy((await allMessages()).map((message) => message.to));
    expect(perNumber.size).toBe(1000);
    expect([...perNumber.values()].every((count) => count === 1)).toBe(true);
    expect(gas.rows.slice(1).every((row) => row[3] === 'TERKIRIM')).toBe(true);
    console.log(`APPS_SCRIPT time budget: parts=${parts.length} cumulative=${parts.join(',')}`);
  });

  it('skips and marks opt-outs, duplicates and rows already sent; a second run sends nothing', async () => {
    const rows = seedRows(20, (index) => {
      if (index === 3) return { 6: 'STOP' };
      if (index === 7) return { 6: 'stop' };
      if (index === 9) return { 6: true };
      if (index === 5)
        return { 3: 'SUKSES', 4: 'wamid.from-the-seed-script', 5: '2025-05-01T10:00:00Z' };
      if (index === 12) return { 0: phoneCell(2) };
      return {};
    });
    const gas = gasWith(rows);
    gas.run('sendBroadcast');
    expect(gas.alerts[0]?.prompt).toContain('ke 15 nomor');
    expect(gas.alerts[0]?.prompt).toContain('1 sudah terkirim, 3 opt-out, 1 duplikat');

    const messages = await allMessages();
    expect(messages).toHaveLength(15);
    const sentTo = new Set(messages.map((message) => message.to));
    for (const index of [3, 5, 7, 9]) expect(sentTo.has(normalized(index))).toBe(false);
    for (const index of [3, 7, 9]) {
      expect(gas.rows[index]?.[3]).toBe('DILEWATI (Opt-Out)');
      expect(gas.rows[index]?.[4]).toBe('');
    }
    expect(gas.rows[12]?.[3]).toBe('DILEWATI (duplikat baris 3)');
    expect(gas.rows[5]?.slice(3, 6)).toEqual([
      'SUKSES',
      'wamid.from-the-seed-script',
      '2025-05-01T10:00:00Z',
    ]);

    gas.resetCounters();
    gas.run('sendBroadcast');
    expect(gas.alerts.at(-1)?.title).toBe('Tidak ada yang perlu dikirim');
    expect(gas.alerts.at(-1)?.prompt).toContain('16 sudah terkirim, 3 opt-out, 1 duplikat');
    expect(gas.counters.requests).toBe(0);
    expect(gas.counters.setValues).toBe(0);
    expect(await allMessages()).toHaveLength(15);
  });

  it('writes failures per row with the reason, sends the rest, and leaks no key', async () => {
    const rows = seedRows(60, (index) => {
      if (index === 4) return { 0: '12345' };
      if (index === 8) return { 0: 'bukan nomor' };
      if (index === 15) return { 2: '' };
      return {};
    });
    const gas = gasWith(rows);
    // The first two requests are refused with a message that (badly) echoes the key, the next three
    // hit a 500.
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 400,
      body: { status: 400, message: `Template ditolak untuk key ${KEY}`, errors: {} },
      times: 2,
    });
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 500, times: 3 });
    gas.run('sendBroadcast');

    expect(gas.rows[4]?.[3]).toBe('GAGAL: nomor HP tidak valid (12345)');
    expect(gas.rows[8]?.[3]).toBe('GAGAL: nomor HP tidak valid (bukan nomor)');
    expect(gas.rows[15]?.[3]).toBe('GAGAL: kode promo kosong');
    const statuses = gas.rows.slice(1).map((row) => String(row[3]));
    const refused = statuses.filter((status) => status.startsWith('GAGAL: HTTP 400'));
    const serverErrors = statuses.filter((status) => status.startsWith('GAGAL: HTTP 500'));
    expect(refused).toHaveLength(2);
    expect(refused[0]).toBe('GAGAL: HTTP 400 Template ditolak untuk key ***');
    expect(serverErrors).toHaveLength(3);
    expect(serverErrors.every((status) => status.endsWith('(coba lagi)'))).toBe(true);
    expect(statuses.filter((status) => status === 'TERKIRIM')).toHaveLength(52);
    expect(await allMessages()).toHaveLength(52);
    expect(gas.alerts.at(-1)?.prompt).toContain('Gagal: 8 (3 bisa dicoba lagi');
    expect(gas.visibleText()).not.toContain(KEY);

    // Running again retries the gateway failures only; nobody gets a second message.
    gas.run('sendBroadcast');
    const messages = await allMessages();
    expect(messages).toHaveLength(57);
    expect([...countBy(messages.map((message) => message.to)).values()].every((n) => n === 1)).toBe(
      true,
    );
    expect(gas.visibleText()).not.toContain(KEY);
  });

  it('skips rows the gateway refuses for the contact (window closed, opted out) and counts them in the summary', async () => {
    const gas = gasWith(seedRows(10));
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 400,
      body: {
        status: 400,
        message: 'Re-engagement message',
        errors: { code: 131047, details: 'More than 24 hours have passed' },
      },
      times: 2,
    });
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 400,
      body: { status: 400, message: 'User stopped marketing messages', errors: { code: 131050 } },
      times: 1,
    });
    gas.run('sendBroadcast');

    const statuses = gas.rows.slice(1).map((row) => String(row[3]));
    expect(statuses.filter((s) => s === 'DILEWATI (Di luar 24 jam)')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'DILEWATI (Opt-Out)')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'TERKIRIM')).toHaveLength(7);
    expect(statuses.some((s) => s.startsWith('GAGAL'))).toBe(false);
    const summary = gas.alerts.at(-1)?.prompt ?? '';
    expect(summary).toContain('Gagal: 0');
    expect(summary).toContain(
      'Dilewati: 3 (sudah terkirim 0, opt-out 1, di luar 24 jam 2, duplikat 0)',
    );
    expect(gas.logs.join('\n')).toContain('7 sent, 3 skipped, 0 failed');

    // The window may be open next time: those rows are tried again, and now go out.
    gas.run('sendBroadcast');
    expect(gas.rows.slice(1).filter((row) => row[3] === 'TERKIRIM')).toHaveLength(10);
  });

  it('marks a chunk cut by a dropped connection retryable; the rerun does not double-send (Idempotency-Key)', async () => {
    const gas = gasWith(seedRows(10));
    await sandbox.fault({ provider: 'kirem', path: '/messages', reset: true, times: 1 });
    gas.run('sendBroadcast');
    // UrlFetchApp.fetchAll threw for the whole batch although 9 of the 10 messages went out.
    expect(
      gas.rows.slice(1).every((row) => String(row[3]).startsWith('GAGAL: koneksi gagal')),
    ).toBe(true);
    expect(gas.rows.slice(1).every((row) => String(row[3]).endsWith('(coba lagi)'))).toBe(true);
    expect(await allMessages()).toHaveLength(9);

    gas.run('sendBroadcast');
    const messages = await allMessages();
    expect(messages).toHaveLength(10);
    expect(countBy(messages.map((message) => message.to)).size).toBe(10);
    const ids = new Set(messages.map((message) => message.id));
    expect(gas.rows.slice(1).every((row) => row[3] === 'TERKIRIM' && ids.has(String(row[4])))).toBe(
      true,
    );
  });

  it('does not send while another execution holds the lock (double click)', async () => {
    const gas = gasWith(seedRows(5));
    gas.lockHeldByOther = true;
    gas.run('sendBroadcast');
    expect(gas.alerts.map((alert) => alert.title)).toEqual(['Broadcast sedang berjalan']);
    expect(gas.counters.requests).toBe(0);
    expect(gas.counters.setValues).toBe(0);
    expect(await allMessages()).toHaveLength(0);

    gas.lockHeldByOther = false;
    gas.run('sendBroadcast');
    expect(await allMessages()).toHaveLength(5);
    expect(gas.calls.filter((call) => call === 'Lock.releaseLock')).toHaveLength(1);
  });

  it('asks first and sends nothing when the answer is No', async () => {
    const gas = gasWith(seedRows(5), { answers: ['NO'] });
    gas.run('sendBroadcast');
    expect(gas.alerts).toHaveLength(1);
    expect(gas.counters.requests).toBe(0);
    expect(await allMessages()).toHaveLength(0);
  });

  it('finds an Indonesian header below a title, phone numbers stored as numbers, and adds status columns', async () => {
    const rows: Cell[][] = [
      ['Daftar Promo Juni', '', '', '', ''],
      ['', '', '', '', ''],
      ['No', 'Nama Pelanggan', 'Nomor WhatsApp', 'Kode Voucher', 'Berhenti'],
      [1, 'Budi', 81234567890, 'HEMAT10', ''],
      [2, 'Siti', '0812 3456 7891', 'HEMAT20', ''],
      [3, 'Andi', '+62-812-3456-7892', 'HEMAT30', 'ya'],
      [4, 'Rina', 6281234567893, 'HEMAT40', ''],
    ];
    const gas = gasWith(rows);
    gas.run('sendBroadcast');
    expect(gas.rows[2]).toEqual([...(rows[2] ?? []), 'Status', 'Message ID', 'Waktu Kirim']);
    const messages = await allMessages();
    expect(messages.map((message) => message.to).sort()).toEqual([
      '6281234567890',
      '6281234567891',
      '6281234567893',
    ]);
    const budi = messages.find((message) => message.to === '6281234567890');
    expect(budi?.text).toContain('Halo Budi,');
    expect(budi?.text).toContain('*HEMAT10*');
    expect(gas.rows[3]?.slice(5, 7)).toEqual(['TERKIRIM', budi?.id]);
    expect(gas.rows[5]?.[5]).toBe('DILEWATI (Opt-Out)');
    // The "No" column (1, 2, 3, 4) was not mistaken for phone numbers.
    expect(gas.rows.slice(3).map((row) => row[0])).toEqual([1, 2, 3, 4]);
  });

  it('Hentikan Broadcast stops a running part after its chunk and cancels a pending continuation', async () => {
    let stopping: FakeGas | undefined;
    let batches = 0;
    const http = {
      fetchAllSync: (requests: Parameters<SandboxThread['fetchAllSync']>[0]) => {
        batches += 1;
        // While the second chunk is in flight the user clicks "Hentikan Broadcast" (another execution).
        if (batches === 2 && stopping) stopping.run('stopBroadcast');
        return thread.fetchAllSync(requests);
      },
    };
    const gas = gasWith(seedRows(400), { http });
    stopping = gas;
    gas.lockHeldByOther = false;
    gas.run('sendBroadcast');
    // The stop could not take the lock, so it left a flag the running part saw after chunk 2.
    expect(gas.alerts.map((alert) => alert.title)).toEqual([
      'Konfirmasi Broadcast',
      'Hentikan Broadcast',
      'Broadcast dihentikan',
    ]);
    expect(await allMessages()).toHaveLength(80);
    expect(gas.properties.has('KABAR_STOP')).toBe(false);
    expect(gas.triggers).toHaveLength(0);

    // A part cut by the time budget leaves a trigger; stopping cancels it.
    const slow = gasWith(seedRows(400), { fetchAllMs: 100_000 });
    slow.run('sendBroadcast');
    expect(slow.triggers).toHaveLength(1);
    slow.run('showStatus');
    expect(slow.alerts.at(-1)?.prompt).toContain('menunggu lanjutan otomatis');
    slow.run('stopBroadcast');
    expect(slow.alerts.at(-1)?.prompt).toBe('Lanjutan broadcast dibatalkan.');
    expect(slow.triggers).toHaveLength(0);
    expect(slow.properties.has('KABAR_RUN')).toBe(false);
    slow.run('showStatus');
    expect(slow.alerts.at(-1)?.prompt).toContain('Terkirim: ');
  });

  it('a continuation that finds the lock taken exits without sending', async () => {
    const gas = gasWith(seedRows(200), { fetchAllMs: 100_000 });
    gas.run('sendBroadcast');
    const first = (await allMessages()).length;
    expect(gas.triggers).toHaveLength(1);
    gas.lockHeldByOther = true;
    gas.fireDueTriggers();
    expect((await allMessages()).length).toBe(first);
    expect(gas.triggers).toHaveLength(0);
    expect(gas.logs.at(-1)).toContain('holds the lock');
  });

  it('resets status, message id and sent time so the sheet can be sent again', async () => {
    const gas = gasWith(seedRows(6));
    gas.run('sendBroadcast');
    expect(await allMessages()).toHaveLength(6);
    gas.resetCounters();
    gas.run('resetStatus');
    expect(gas.counters.setValues).toBe(1);
    expect(gas.rows.slice(1).every((row) => row[3] === '' && row[4] === '' && row[5] === '')).toBe(
      true,
    );
    gas.run('sendBroadcast');
    expect(await allMessages()).toHaveLength(12);
  });
});

describe('menu and settings', () => {
  it('onOpen builds the menu', () => {
    const gas = new FakeGas(code, { rows: [SEED_HEADER], http: thread });
    gas.run('onOpen', { authMode: 'LIMITED' });
    expect(gas.menus).toHaveLength(1);
    const items = gas.menus[0]?.items ?? [];
    expect(items).toEqual(
      expect.arrayContaining([
        ['Kirim Broadcast', 'sendBroadcast'],
        ['Reset Status', 'resetStatus'],
        ['Pengaturan', 'openSettings'],
      ]),
    );
    // Every menu item names a top-level function of the bundle.
    for (const [, fn] of items.filter(([caption]) => caption !== '---')) {
      expect(code).toMatch(new RegExp(`^function ${fn}\\(`, 'm'));
    }
  });

  it('stores settings in script properties, never in the sheet or the dialog', () => {
    const rows: Cell[][] = [SEED_HEADER, ['081234567890', 'Budi', 'X1', '', '', '', '']];
    const gas = new FakeGas(code, { rows, http: thread });
    gas.run('openSettings');
    expect(gas.dialogs[0]?.html).toContain('name="apiKey"');
    expect(gas.dialogs[0]?.html).toContain('wajib diisi');

    expect(() =>
      gas.run('saveSettings', { gateway: 'kirem', templateName: 'broadcast_promo' }),
    ).toThrow(/API key/);
    expect(() =>
      gas.run('saveSettings', {
        gateway: 'meta',
        apiKey: 'secret-token',
        templateName: 'broadcast_promo',
      }),
    ).toThrow(/Phone number ID wajib/);
    const message = gas.run('saveSettings', {
      gateway: 'kirem',
      apiKey: 'kirem_live_rahasia',
      phoneNumberId: '',
      baseUrl: 'https://api.kirem.co/v1/messages',
      templateName: 'broadcast_promo',
      language: 'id',
      ratePerSecond: '40',
      timeBudgetSeconds: '240',
    });
    expect(message).toBe('Tersimpan. Pesan dikirim ke https://api.kirem.co/v1/messages');
    expect(gas.properties.get('KABAR_API_KEY')).toBe('kirem_live_rahasia');
    expect(JSON.parse(gas.properties.get('KABAR_SETTINGS') ?? '{}')).toMatchObject({
      gateway: 'kirem',
      baseUrl: 'https://api.kirem.co',
      templateName: 'broadcast_promo',
      ratePerSecond: 40,
      timeBudgetSeconds: 240,
    });
    expect(gas.properties.get('KABAR_SETTINGS')).not.toContain('rahasia');

    // Saving again with an empty key field keeps the stored key.
    gas.run('saveSettings', {
      gateway: 'kirem',
      apiKey: '',
      templateName: 'promo_lain',
      language: 'en_US',
    });
    expect(gas.properties.get('KABAR_API_KEY')).toBe('kirem_live_rahasia');

    gas.run('openSettings');
    const html = gas.dialogs[1]?.html ?? '';
    expect(html).toContain('value="promo_lain"');
    expect(html).toContain('tersimpan');
    expect(html).not.toContain('rahasia');
    expect(gas.counters.setValues + gas.counters.setValue).toBe(0);
    expect(gas.rows).toEqual(rows);
    expect(code).not.toContain('kirem_live_');
  });

  it('sends through the Meta Cloud API when the gateway is meta', async () => {
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'APPROVED');
    const gas = new FakeGas(code, { rows: seedRows(5), http: thread });
    gas.run('saveSettings', {
      gateway: 'meta',
      apiKey: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      baseUrl: sandbox.meta.baseUrl,
      templateName: 'promo_diskon_baru',
      language: 'id',
    });
    gas.run('sendBroadcast');
    const messages = await allMessages();
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => message.provider === 'meta')).toBe(true);
    expect(gas.requests[0]?.url).toBe(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
    );
    expect(gas.requests[0]?.headers['Idempotency-Key']).toBeUndefined();
    expect(
      gas.rows.slice(1).every((row) => row[3] === 'TERKIRIM' && String(row[4]).length > 0),
    ).toBe(true);
    expect(gas.visibleText()).not.toContain(sandbox.meta.accessToken);
  });

  it('refuses to send before the settings are complete', async () => {
    const gas = new FakeGas(code, { rows: seedRows(3), http: thread });
    gas.run('sendBroadcast');
    expect(gas.alerts[0]?.title).toBe('Pengaturan belum lengkap');
    expect(gas.counters.requests).toBe(0);
  });
});

const FONNTE_TOKEN = 'fonnte-token-rahasia-123';
const WABLAS_TOKEN = 'wablas-token-rahasia-456';
const WABLAS_SECRET = 'wablas-secret-rahasia-789';

/**
 * A gateway played by the test: `answer` gets each request with its form fields and returns the
 * HTTP answer, or `{ error }` for a request that fails below HTTP (UrlFetchApp then throws for the
 * whole batch). Records when each batch started on the fake clock.
 */
function scriptedGateway(answer: (request: SyncRequest, fields: URLSearchParams) => SyncResult) {
  const gateway = {
    gas: undefined as FakeGas | undefined,
    starts: [] as number[],
    fields: [] as URLSearchParams[],
    fetchAllSync(requests: SyncRequest[]) {
      const results = requests.map((request) => {
        const fields = new URLSearchParams(request.body ?? '');
        gateway.fields.push(fields);
        gateway.starts.push(gateway.gas?.now ?? 0);
        return answer(request, fields);
      });
      return { results, elapsedMs: 1 };
    },
  };
  return gateway;
}

const fonnteSent = (id: number): SyncResult => ({
  status: 200,
  body: JSON.stringify({
    detail: 'success! message in queue',
    id: [id],
    process: 'pending',
    requestid: 369052479,
    status: true,
    target: ['6281234567891'],
  }),
});

/** A FakeGas on a scripted gateway, with that gateway's settings saved. */
function gasOn(
  gateway: ReturnType<typeof scriptedGateway>,
  rows: Cell[][],
  settings: Record<string, string>,
  options: Partial<ConstructorParameters<typeof FakeGas>[1]> = {},
) {
  const gas = new FakeGas(code, { rows, http: gateway, fetchAllMs: 200, ...options });
  gateway.gas = gas;
  expect(String(gas.run('saveSettings', settings))).toContain('Tersimpan');
  gas.resetCounters();
  return gas;
}

const fonnteSettings = {
  gateway: 'fonnte',
  apiKey: FONNTE_TOKEN,
  baseUrl: 'https://fonnte.example.test',
  messageText: 'Halo {name}, pakai kode *{promo}* ya.',
};

describe('Fonnte and Wablas in the bundle (gateway answers scripted by the test)', () => {
  it('sends the row-filled text to Fonnte one message every 5 s and writes its ids', () => {
    let next = 142223099;
    const gateway = scriptedGateway(() => fonnteSent(next++));
    const gas = gasOn(gateway, seedRows(5), fonnteSettings);
    expect(JSON.parse(gas.properties.get('KABAR_SETTINGS') ?? '{}')).toMatchObject({
      gateway: 'fonnte',
      ratePerSecond: 0.2,
    });
    gas.run('sendBroadcast');

    expect(gas.alerts[0]?.prompt).toContain('Kirim pesan teks lewat Fonnte');
    expect(gas.alerts[0]?.prompt).toContain('Halo Pelanggan 1, pakai kode *PROMO1* ya.');
    expect(gas.alerts.at(-1)?.title).toBe('Broadcast selesai');
    expect(gas.requests.map((request) => request.url)).toEqual(
      Array(5).fill('https://fonnte.example.test/send'),
    );
    for (const request of gas.requests) {
      expect(request.headers.Authorization).toBe(FONNTE_TOKEN);
      expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
      expect(request.headers['Idempotency-Key']).toBeUndefined();
    }
    gateway.fields.forEach((fields, index) => {
      expect(Object.fromEntries(fields)).toEqual({
        target: normalized(index + 1),
        message: `Halo Pelanggan ${index + 1}, pakai kode *PROMO${index + 1}* ya.`,
        countryCode: '0',
      });
    });
    // One request per fetchAll, each starting 5 s after the previous one returned.
    expect(gas.counters.fetchAll).toBe(5);
    const gaps = gateway.starts
      .slice(1)
      .map((start, index) => start - (gateway.starts[index] ?? 0));
    expect(gaps.every((gap) => gap >= 5000 && gap <= 5400)).toBe(true);
    gas.rows.slice(1).forEach((row, index) => {
      expect(row.slice(3, 5)).toEqual(['TERKIRIM', String(142223099 + index)]);
    });
    expect(gas.visibleText()).not.toContain(FONNTE_TOKEN);
  });

  it('paces a long Fonnte broadcast across executions through the continuation trigger', () => {
    let next = 1;
    const gateway = scriptedGateway(() => fonnteSent(next++));
    const gas = gasOn(gateway, seedRows(120), fonnteSettings);
    gas.run('sendBroadcast');
    const firstPart = gateway.fields.length;
    // 270 s at one message per 5.2 s (5 s apart, plus the 200 ms each request takes).
    expect(firstPart).toBeGreaterThan(45);
    expect(firstPart).toBeLessThan(60);
    expect(gas.alerts.at(-1)?.title).toBe('Broadcast berlanjut otomatis');
    expect(gas.triggers.map((trigger) => trigger.handler)).toEqual(['continueBroadcast']);
    for (let round = 0; round < 5 && gas.triggers.length > 0; round++) gas.fireDueTriggers();
    expect(gas.triggers).toHaveLength(0);
    expect(gateway.fields.map((fields) => fields.get('target'))).toEqual(
      Array.from({ length: 120 }, (_, index) => normalized(index + 1)),
    );
    const gaps = gateway.starts
      .slice(1)
      .map((start, index) => start - (gateway.starts[index] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5000);
    expect(gas.toasts.at(-1)?.message).toContain('Terkirim: 120');
    expect(gas.rows.slice(1).every((row) => row[3] === 'TERKIRIM')).toBe(true);
  });

  it('marks maybe-delivered rows TIDAK PASTI and never sends them again by itself', () => {
    let next = 1;
    const gateway = scriptedGateway((_request, fields) => {
      if (fields.get('target') === normalized(2))
        return { status: 502, body: '<html>Bad gateway</html>' };
      if (fields.get('target') === normalized(4)) {
        return { error: 'Address unavailable: https://fonnte.example.test/send (ECONNRESET)' };
      }
      if (fields.get('target') === normalized(5)) {
        return { status: 200, body: '{"reason":"invalid token","status":false}' };
      }
      return fonnteSent(next++);
    });
    const gas = gasOn(gateway, seedRows(6), fonnteSettings);
    gas.run('sendBroadcast');
    const statuses = gas.rows.slice(1).map((row) => String(row[3]));
    expect(statuses[1]).toBe(
      'TIDAK PASTI: Fonnte HTTP 502: respons bukan JSON (cek dulu, kosongkan Status untuk kirim ulang)',
    );
    expect(statuses[3]).toMatch(/^TIDAK PASTI: koneksi gagal: .*ECONNRESET/);
    // A refusal is definite: nothing was sent, so a later run may send it.
    expect(statuses[4]).toBe('GAGAL: Fonnte: invalid token');
    expect(statuses.filter((status) => status === 'TERKIRIM')).toHaveLength(3);
    const summary = gas.alerts.at(-1)?.prompt ?? '';
    expect(summary).toContain('Gagal: 1');
    expect(summary).toContain('Tidak pasti: 2 (mungkin sudah terkirim');

    // The next run sends the refused row only.
    gateway.fields.length = 0;
    gas.run('sendBroadcast');
    expect(gas.alerts.at(-2)?.prompt).toContain('ke 1 nomor');
    expect(gas.alerts.at(-2)?.prompt).toContain('2 tidak pasti (cek dulu)');
    expect(gateway.fields.map((fields) => fields.get('target'))).toEqual([normalized(5)]);
    expect(gas.alerts.at(-1)?.prompt).toContain('tidak pasti 2');

    // Once someone has checked and cleared a status, that row goes out again (with the refused
    // row, which this gateway keeps refusing).
    const row2 = gas.rows[2];
    if (row2) row2[3] = '';
    gateway.fields.length = 0;
    gas.run('sendBroadcast');
    expect(gateway.fields.map((fields) => fields.get('target'))).toEqual([
      normalized(2),
      normalized(5),
    ]);
    expect(gas.rows[4]?.[3]).toMatch(/^TIDAK PASTI/);
    expect(gas.visibleText()).not.toContain(FONNTE_TOKEN);
  });

  it('stops after three unclear answers in a row instead of marking the whole sheet', () => {
    const gateway = scriptedGateway(() => ({ status: 503, body: 'Service Unavailable' }));
    const gas = gasOn(gateway, seedRows(10), fonnteSettings);
    gas.run('sendBroadcast');
    expect(gateway.fields).toHaveLength(3);
    const statuses = gas.rows.slice(1).map((row) => String(row[3]));
    expect(
      statuses.slice(0, 3).every((status) => status.startsWith('TIDAK PASTI: Fonnte HTTP 503')),
    ).toBe(true);
    expect(statuses.slice(3).every((status) => status === '')).toBe(true);
    const last = gas.alerts.at(-1);
    expect(last?.title).toBe('Broadcast dihentikan');
    expect(last?.prompt).toContain('Sisa: 7');
    expect(last?.prompt).toContain('tidak memberi jawaban yang jelas untuk 3 pesan berturut-turut');
    expect(gas.triggers).toHaveLength(0);
  });

  it('sends through Wablas with token.secretKey, and no secret reaches the sheet, the dialog or the log', () => {
    const gateway = scriptedGateway((request, fields) => {
      expect(request.headers.Authorization).toBe(`${WABLAS_TOKEN}.${WABLAS_SECRET}`);
      if (fields.get('phone') === normalized(1)) {
        return {
          status: 500,
          body: '{"status":false,"message":"token invalid or device expired"}',
        };
      }
      if (fields.get('phone') === normalized(2)) {
        return {
          status: 400,
          body: JSON.stringify({ status: false, message: `secret key invalid: ${WABLAS_SECRET}` }),
        };
      }
      return {
        status: 200,
        body: JSON.stringify({
          status: true,
          message: 'Message is pending and waiting to be processed',
          data: {
            device_id: 'A5DOYJ',
            quota: 88,
            messages: [
              {
                id: `uuid-${fields.get('phone')}`,
                phone: fields.get('phone'),
                message: fields.get('message'),
                status: 'pending',
              },
            ],
          },
        }),
      };
    });
    const gas = gasOn(gateway, seedRows(4), {
      gateway: 'wablas',
      apiKey: WABLAS_TOKEN,
      secretKey: WABLAS_SECRET,
      server: 'bdg',
      messageText: 'Halo {name}! Kode {promo} untuk {phone}.',
    });
    expect(gas.properties.get('KABAR_SECRET_KEY')).toBe(WABLAS_SECRET);
    expect(gas.properties.get('KABAR_SETTINGS')).not.toContain('rahasia');
    gas.run('sendBroadcast');

    expect(gas.requests[0]?.url).toBe('https://bdg.wablas.com/api/send-message');
    expect(Object.fromEntries(gateway.fields[2] ?? [])).toEqual({
      phone: normalized(3),
      message: `Halo Pelanggan 3! Kode PROMO3 untuk ${normalized(3)}.`,
    });
    expect(gas.rows.slice(1).map((row) => String(row[3]))).toEqual([
      'GAGAL: Wablas HTTP 500: token invalid or device expired',
      'GAGAL: Wablas HTTP 400: secret key invalid: ***',
      'TERKIRIM',
      'TERKIRIM',
    ]);
    expect(gas.rows[3]?.[4]).toBe(`uuid-${normalized(3)}`);
    gas.run('openSettings');
    gas.run('showStatus');
    const visible = gas.visibleText();
    expect(visible).not.toContain(WABLAS_TOKEN);
    expect(visible).not.toContain(WABLAS_SECRET);
  });

  it('asks for a promo column when the text uses {promo}, and needs none when it does not', () => {
    const gateway = scriptedGateway(() => fonnteSent(1));
    const rows: Cell[][] = [
      ['No HP', 'Nama'],
      ['081234567890', 'Budi'],
    ];
    const gas = gasOn(gateway, rows, fonnteSettings);
    gas.run('sendBroadcast');
    expect(gas.alerts.map((alert) => alert.title)).toEqual(['Kolom Kode Promo tidak ditemukan']);
    expect(gateway.fields).toHaveLength(0);

    // Without {promo}, a row with an empty promo cell is no failure.
    const withEmptyPromo = gasOn(
      gateway,
      seedRows(2, (index) => (index === 2 ? { 2: '' } : {})),
      {
        ...fonnteSettings,
        messageText: 'Halo {nama}, toko kami buka lagi!',
      },
    );
    withEmptyPromo.run('sendBroadcast');
    expect(withEmptyPromo.rows.slice(1).map((row) => row[3])).toEqual(['TERKIRIM', 'TERKIRIM']);
    expect(gateway.fields.at(-1)?.get('message')).toBe('Halo Pelanggan 2, toko kami buka lagi!');
  });

  it("offers the registry's gateways the bundle can send through, with the registry's labels", () => {
    const gas = new FakeGas(code, { rows: [SEED_HEADER], http: thread });
    gas.run('openSettings');
    const html = gas.dialogs[0]?.html ?? '';
    const options = [...html.matchAll(/<option value="([^"]+)"[^>]*>([^<]+)<\/option>/g)].map(
      ([, value, label]) => [value, label],
    );
    const expected = GATEWAYS.filter((gateway) =>
      ['kirem', 'meta', 'fonnte', 'wablas'].includes(gateway.name),
    ).map((gateway) => [gateway.name, gateway.label]);
    expect(options).toEqual(expected);
    expect(html).toContain('name="messageText"');
    expect(html).toContain('name="secretKey"');
    expect(html).toContain('name="server"');

    // A gateway change without its own token is refused: the old key must not go to another vendor.
    gas.run('saveSettings', { gateway: 'kirem', apiKey: KEY, templateName: 'broadcast_promo' });
    expect(() => gas.run('saveSettings', { ...fonnteSettings, apiKey: '' })).toThrow(
      /Gateway diganti ke Fonnte/,
    );
    expect(gas.properties.get('KABAR_API_KEY')).toBe(KEY);
  });
});

describe('Fonnte and Wablas through @kabar/sandbox', () => {
  it('sends through Fonnte when the gateway is fonnte', async () => {
    const { fonnte } = sandbox;
    const gas = new FakeGas(code, { rows: seedRows(5), http: thread });
    gas.run('saveSettings', {
      gateway: 'fonnte',
      apiKey: fonnte.token,
      baseUrl: fonnte.baseUrl,
      messageText: 'Halo {name}, pakai kode *{promo}* ya.',
    });
    gas.run('sendBroadcast');
    const messages = await allMessages();
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => String(message.provider) === 'fonnte')).toBe(true);
    expect(gas.requests[0]?.url).toBe(`${fonnte.baseUrl}/send`);
    expect(gas.requests[0]?.headers.Authorization).toBe(fonnte.token);
    expect(gas.requests[0]?.headers['Idempotency-Key']).toBeUndefined();
    const byId = new Map(messages.map((message) => [message.id, message]));
    for (let index = 1; index <= 5; index++) {
      const [, , , status, messageId] = gas.rows[index] ?? [];
      expect(status).toBe('TERKIRIM');
      const message = byId.get(String(messageId));
      expect(message?.to).toBe(normalized(index));
      expect(message?.text).toBe(`Halo Pelanggan ${index}, pakai kode *PROMO${index}* ya.`);
    }
    expect(gas.visibleText()).not.toContain(fonnte.token);
  });

  it('sends through Wablas when the gateway is wablas', async () => {
    const { wablas } = sandbox;
    const gas = new FakeGas(code, { rows: seedRows(5), http: thread });
    gas.run('saveSettings', {
      gateway: 'wablas',
      apiKey: wablas.token,
      secretKey: wablas.secretKey,
      baseUrl: wablas.baseUrl,
      messageText: 'Halo {name}, pakai kode *{promo}* ya.',
    });
    gas.run('sendBroadcast');
    const messages = await allMessages();
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => String(message.provider) === 'wablas')).toBe(true);
    expect(gas.requests[0]?.url).toBe(`${wablas.baseUrl}/api/send-message`);
    expect(gas.requests[0]?.headers.Authorization).toBe(`${wablas.token}.${wablas.secretKey}`);
    const byId = new Map(messages.map((message) => [message.id, message]));
    for (let index = 1; index <= 5; index++) {
      const [, , , status, messageId] = gas.rows[index] ?? [];
      expect(status).toBe('TERKIRIM');
      const message = byId.get(String(messageId));
      expect(message?.to).toBe(normalized(index));
      expect(message?.text).toBe(`Halo Pelanggan ${index}, pakai kode *PROMO${index}* ya.`);
    }
    const visible = gas.visibleText();
    expect(visible).not.toContain(wablas.token);
    expect(visible).not.toContain(wablas.secretKey);
  });
});
