import {
  buildRequest,
  cutOutcome,
  parseResponse,
  redact,
  type SendJob,
  type SendOutcome,
} from './gateway';
import { type CellValue, detectLayout, type Layout, planRow, type RowPlan, STATUS } from './layout';
import { fillMessage, usesPromo } from './message';
import { gatewayLabel } from './registry';
import {
  type Credentials,
  loadCredentials,
  loadSettings,
  missingConfiguration,
  PROPERTY,
  type PropertyStore,
  type Settings,
  secretsOf,
  sendsText,
} from './settings';

/** The handler of the continuation trigger. */
export const CONTINUE_FUNCTION = 'continueBroadcast';
const LOCK_WAIT_MS = 1000;
/**
 * A gateway that leaves this many rows in a row unclear is down or misconfigured: the run stops
 * rather than mark the rest of the sheet TIDAK PASTI.
 */
const UNCLEAR_STOP = 3;

/** What a broadcast did with its rows, for the summary and Status Broadcast. */
export interface Counts {
  sent: number;
  /** Every row that was not sent: invalid numbers, empty promo codes, gateway errors. */
  failed: number;
  /** Of `failed`: throttled, 5xx or network errors, worth another run. */
  retryable: number;
  /** Maybe delivered, maybe not (Fonnte, Wablas): marked TIDAK PASTI in this run. */
  unclear: number;
  /** Skipped because an earlier run marked them TIDAK PASTI. */
  held: number;
  alreadySent: number;
  /** Opted out in the sheet's opt-out column, or refused by the gateway as opted out (131050). */
  optOut: number;
  /** Refused by the gateway because the 24-hour window is closed (131047). */
  outsideWindow: number;
  duplicate: number;
}

/** The cursor of a broadcast that continues in a later execution. */
interface RunState {
  id: string;
  sheetId: number;
  /** 1-based sheet row the next part starts at. */
  nextRow: number;
  parts: number;
  counts: Counts;
}

interface Snapshot {
  raw: CellValue[][];
  display: string[][];
}

type PartEnd = 'finished' | 'timeUp' | 'stopped';

interface PartResult {
  end: PartEnd;
  run: RunState;
  /** Rows still to send when the part ended early. */
  remaining: number;
  /** Why the part stopped by itself, when it did. */
  reason?: string;
}

const zeroCounts = (): Counts => ({
  sent: 0,
  failed: 0,
  retryable: 0,
  unclear: 0,
  held: 0,
  alreadySent: 0,
  optOut: 0,
  outsideWindow: 0,
  duplicate: 0,
});

/** Menu "Kirim Broadcast": confirm, then send until done or the time budget runs out. */
export function sendBroadcast(): void {
  const startedAt = Date.now();
  const ui = SpreadsheetApp.getUi();
  const properties = PropertiesService.getScriptProperties();
  const settings = loadSettings(properties);
  const credentials = loadCredentials(properties);
  const missing = missingConfiguration(settings, credentials.apiKey);
  if (missing) {
    ui.alert(
      'Pengaturan belum lengkap',
      `${missing}\nBuka menu Kabar → Pengaturan.`,
      ui.ButtonSet.OK,
    );
    return;
  }
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(LOCK_WAIT_MS)) {
    ui.alert(
      'Broadcast sedang berjalan',
      'Broadcast lain sedang berjalan di spreadsheet ini. Tunggu sampai selesai (lihat Status Broadcast).',
      ui.ButtonSet.OK,
    );
    return;
  }
  try {
    const sheet = SpreadsheetApp.getActiveSpreadsheet().getActiveSheet();
    const snapshot = readSheet(sheet);
    const detected = detectLayout(snapshot.display);
    if (!detected) {
      ui.alert('Kolom nomor HP tidak ditemukan', HEADER_HELP, ui.ButtonSet.OK);
      return;
    }
    const layout = layoutForMessage(detected, settings);
    const layoutProblem = messageLayoutProblem(layout, settings);
    if (layoutProblem) {
      ui.alert('Kolom Kode Promo tidak ditemukan', layoutProblem, ui.ButtonSet.OK);
      return;
    }
    const preview = previewRows(layout, snapshot, layout.headerRow + 2);
    const held = preview.held > 0 ? `, ${preview.held} tidak pasti (cek dulu)` : '';
    const skipped = `Dilewati: ${preview.alreadySent} sudah terkirim, ${preview.optOut} opt-out, ${preview.duplicate} duplikat${held}.`;
    if (preview.toSend + preview.failed === 0) {
      ui.alert('Tidak ada yang perlu dikirim', skipped, ui.ButtonSet.OK);
      return;
    }
    const invalid =
      preview.failed > 0
        ? `\n${preview.failed} baris tidak bisa dikirim (nomor tidak valid atau kode promo kosong).`
        : '';
    const answer = ui.alert(
      'Konfirmasi Broadcast',
      `${whatIsSent(settings, preview)} ke ${preview.toSend} nomor?\n${skipped}${invalid}`,
      ui.ButtonSet.YES_NO,
    );
    if (answer !== ui.Button.YES) return;

    // A new broadcast replaces any unfinished one: rows already sent are skipped anyway.
    deleteContinuationTriggers();
    properties.deleteProperty(PROPERTY.run);
    properties.deleteProperty(PROPERTY.stop);
    const run: RunState = {
      id: Utilities.getUuid(),
      sheetId: sheet.getSheetId(),
      nextRow: layout.headerRow + 2,
      parts: 0,
      counts: zeroCounts(),
    };
    const result = runPart({
      settings,
      credentials,
      sheet,
      snapshot,
      layout,
      run,
      startedAt,
      properties,
    });
    ui.alert(titleFor(result.end), summaryText(result, settings), ui.ButtonSet.OK);
  } finally {
    lock.releaseLock();
  }
}

/** The time-driven trigger's function: picks up where the last part stopped. */
export function continueBroadcast(_event?: GoogleAppsScript.Events.TimeDriven): void {
  const startedAt = Date.now();
  // This execution's own trigger has fired; it and any stray copy go, a new one is made if needed.
  deleteContinuationTriggers();
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(LOCK_WAIT_MS)) {
    // The holder is a broadcast that schedules its own continuation if it runs out of time.
    console.log('Kabar: another broadcast holds the lock; this continuation exits.');
    return;
  }
  const properties = PropertiesService.getScriptProperties();
  try {
    const run = loadRun(properties);
    if (!run) return;
    const fail = (reason: string) => {
      properties.deleteProperty(PROPERTY.run);
      finish(properties, `Broadcast berhenti: ${reason}`);
    };
    if (properties.getProperty(PROPERTY.stop)) {
      properties.deleteProperty(PROPERTY.stop);
      const result: PartResult = { end: 'stopped', run, remaining: 0 };
      properties.deleteProperty(PROPERTY.run);
      finish(properties, summaryText(result, loadSettings(properties)));
      return;
    }
    const settings = loadSettings(properties);
    const credentials = loadCredentials(properties);
    const missing = missingConfiguration(settings, credentials.apiKey);
    if (missing) {
      fail(missing);
      return;
    }
    const sheet = SpreadsheetApp.getActiveSpreadsheet()
      .getSheets()
      .find((candidate) => candidate.getSheetId() === run.sheetId);
    if (!sheet) {
      fail('sheet tidak ditemukan (dihapus?).');
      return;
    }
    const snapshot = readSheet(sheet);
    const detected = detectLayout(snapshot.display);
    if (!detected) {
      fail('kolom nomor HP tidak ditemukan.');
      return;
    }
    const layout = layoutForMessage(detected, settings);
    const layoutProblem = messageLayoutProblem(layout, settings);
    if (layoutProblem) {
      fail(layoutProblem);
      return;
    }
    const result = runPart({
      settings,
      credentials,
      sheet,
      snapshot,
      layout,
      run,
      startedAt,
      properties,
    });
    if (result.end !== 'timeUp') {
      safeToast(summaryText(result, settings), titleFor(result.end));
    }
  } catch (error) {
    properties.deleteProperty(PROPERTY.run);
    const secrets = secretsOf(loadCredentials(properties));
    finish(properties, `Broadcast berhenti karena error: ${redact(errorMessage(error), secrets)}`);
  } finally {
    lock.releaseLock();
  }
}

/** Menu "Reset Status": clears status, message id and sent time of every row. */
export function resetStatus(): void {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.alert(
    'Reset Status',
    'Ini akan menghapus semua status, message ID, dan waktu kirim, sehingga semua baris bisa dikirim lagi. Lanjutkan?',
    ui.ButtonSet.YES_NO,
  );
  if (answer !== ui.Button.YES) return;
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(LOCK_WAIT_MS)) {
    ui.alert(
      'Broadcast sedang berjalan',
      'Tunggu sampai broadcast selesai, atau hentikan dulu.',
      ui.ButtonSet.OK,
    );
    return;
  }
  try {
    const sheet = SpreadsheetApp.getActiveSpreadsheet().getActiveSheet();
    const snapshot = readSheet(sheet);
    const layout = detectLayout(snapshot.display);
    if (!layout) {
      ui.alert('Kolom nomor HP tidak ditemukan', HEADER_HELP, ui.ButtonSet.OK);
      return;
    }
    const firstRow = layout.headerRow + 2;
    const rows = snapshot.raw.length - firstRow + 1;
    const addedColumns = new Set(layout.added.map((added) => added.column));
    const columns = outputColumns(layout).filter((column) => !addedColumns.has(column));
    if (rows > 0) {
      for (const group of contiguousGroups(columns)) {
        const blank = Array.from({ length: rows }, () => group.map(() => ''));
        sheet.getRange(firstRow, group[0] + 1, rows, group.length).setValues(blank);
      }
    }
    const properties = PropertiesService.getScriptProperties();
    deleteContinuationTriggers();
    properties.deleteProperty(PROPERTY.run);
    properties.deleteProperty(PROPERTY.stop);
    // New idempotency keys: the gateway must treat the next broadcast as new messages.
    properties.setProperty(PROPERTY.campaign, Utilities.getUuid());
    ui.alert(
      'Reset Status',
      `Status ${Math.max(rows, 0)} baris berhasil direset.`,
      ui.ButtonSet.OK,
    );
  } finally {
    lock.releaseLock();
  }
}

/** Menu "Hentikan Broadcast": the running part stops after its current chunk; no continuation. */
export function stopBroadcast(): void {
  const ui = SpreadsheetApp.getUi();
  const properties = PropertiesService.getScriptProperties();
  const pending = deleteContinuationTriggers() > 0 || properties.getProperty(PROPERTY.run) !== null;
  const lock = LockService.getScriptLock();
  if (lock.tryLock(0)) {
    try {
      const run = loadRun(properties);
      properties.deleteProperty(PROPERTY.run);
      properties.deleteProperty(PROPERTY.stop);
      if (run) {
        finish(
          properties,
          summaryText({ end: 'stopped', run, remaining: 0 }, loadSettings(properties)),
        );
      }
    } finally {
      lock.releaseLock();
    }
    ui.alert(
      'Hentikan Broadcast',
      pending ? 'Lanjutan broadcast dibatalkan.' : 'Tidak ada broadcast yang berjalan.',
      ui.ButtonSet.OK,
    );
    return;
  }
  properties.setProperty(PROPERTY.stop, String(Date.now()));
  ui.alert(
    'Hentikan Broadcast',
    'Broadcast akan berhenti setelah kelompok pesan yang sedang dikirim selesai.',
    ui.ButtonSet.OK,
  );
}

/** Menu "Status Broadcast". */
export function showStatus(): void {
  const ui = SpreadsheetApp.getUi();
  const properties = PropertiesService.getScriptProperties();
  const run = loadRun(properties);
  const last = properties.getProperty(PROPERTY.lastSummary);
  let text: string;
  if (run) {
    text = `Broadcast sedang berjalan / menunggu lanjutan otomatis (bagian ${run.parts} selesai, mulai baris ${run.nextRow}).\n\n${countsText(run.counts)}`;
  } else {
    text = last ?? 'Belum ada broadcast.';
  }
  ui.alert('Status Broadcast', text, ui.ButtonSet.OK);
}

/**
 * The layout rows are planned with. A text that has no `{promo}` needs no promo code, so an empty
 * promo cell does not fail its row.
 */
function layoutForMessage(layout: Layout, settings: Settings): Layout {
  if (!sendsText(settings.gateway) || usesPromo(settings.messageText)) return layout;
  const columns = { ...layout.columns };
  delete columns.promo;
  return { ...layout, columns };
}

/** Why the sheet cannot fill the message text, or undefined when it can. */
function messageLayoutProblem(layout: Layout, settings: Settings): string | undefined {
  if (!sendsText(settings.gateway) || layout.columns.promo !== undefined) return undefined;
  if (!usesPromo(settings.messageText)) return undefined;
  return 'Teks pesan memakai {promo}, tetapi sheet ini tidak punya kolom Kode Promo. Tambahkan kolomnya atau hapus {promo} dari teks pesan di Pengaturan.';
}

/** The confirmation's opening: the template, or the text as the first row will get it. */
function whatIsSent(settings: Settings, preview: Preview): string {
  const gateway = gatewayLabel(settings.gateway);
  if (!sendsText(settings.gateway)) {
    return `Kirim template "${settings.templateName}" lewat ${gateway}`;
  }
  const example = preview.first
    ? `\n\nContoh (baris ${preview.first.row}):\n${fillMessage(settings.messageText, preview.first).slice(0, 300)}\n\n`
    : ' ';
  return `Kirim pesan teks lewat ${gateway}${example}`;
}

const HEADER_HELP =
  'Beri judul kolom di baris header, misalnya: No HP, Nama, Kode Promo, Status, Message ID, Waktu Kirim, Opt Out. ' +
  'Judul dalam bahasa Inggris (Phone, Name, Promo Code, Status, Message ID, Sent At, STOP) juga dikenali.';

/**
 * How `ratePerSecond` is enforced: at most `limit` requests in any `windowMs`. A rate of 1/s or
 * more keeps whole requests per second (80/s: 80 per 1000 ms); a slower one spreads single
 * requests out (0.2/s: one per 5000 ms), so the average is the rate and no burst exceeds it.
 */
export function sendPace(ratePerSecond: number): { limit: number; windowMs: number } {
  const rate = ratePerSecond > 0 && Number.isFinite(ratePerSecond) ? ratePerSecond : 1;
  const limit = Math.max(1, Math.floor(rate));
  return { limit, windowMs: Math.ceil((limit * 1000) / rate) };
}

interface PartContext {
  settings: Settings;
  credentials: Credentials;
  sheet: GoogleAppsScript.Spreadsheet.Sheet;
  snapshot: Snapshot;
  layout: Layout;
  run: RunState;
  /** When this execution started (Apps Script counts its 6 minutes from there). */
  startedAt: number;
  properties: PropertyStore;
}

/**
 * Sends from `run.nextRow` in chunks of at most `chunkSize` requests, never more than the pace of
 * `ratePerSecond` allows in any window, writing each chunk's results with one setValues, until the
 * rows end, the time budget is spent, a stop is asked for or the gateway keeps answering unclearly.
 */
function runPart(context: PartContext): PartResult {
  const { settings, credentials, sheet, snapshot, layout, properties } = context;
  const run: RunState = {
    ...context.run,
    counts: { ...context.run.counts },
    parts: context.run.parts + 1,
  };
  const budgetMs = settings.timeBudgetSeconds * 1000;
  const lastRow = snapshot.raw.length;
  const scope = `${campaignId(properties)}-${sheet.getSheetId()}`;
  const timeZone = Session.getScriptTimeZone();
  const secrets = secretsOf(credentials);
  const pace = sendPace(settings.ratePerSecond);
  const window: { at: number; count: number }[] = [];

  if (layout.added.length > 0) {
    const first = layout.added[0]?.column ?? 0;
    sheet
      .getRange(layout.headerRow + 1, first + 1, 1, layout.added.length)
      .setValues([layout.added.map((added) => added.header)]);
  }

  const seen = sentPhones(layout, snapshot);
  let row = Math.max(run.nextRow, layout.headerRow + 2);
  let end: PartEnd = 'finished';
  let reason: string | undefined;
  let unclearInARow = 0;

  while (row <= lastRow) {
    if (properties.getProperty(PROPERTY.stop)) {
      properties.deleteProperty(PROPERTY.stop);
      end = 'stopped';
      break;
    }
    if (unclearInARow >= UNCLEAR_STOP) {
      end = 'stopped';
      reason = `${gatewayLabel(settings.gateway)} tidak memberi jawaban yang jelas untuk ${unclearInARow} pesan berturut-turut; broadcast dihentikan agar tidak ada pesan ganda. Cek dashboard gateway dan baris berstatus TIDAK PASTI, lalu jalankan Kirim Broadcast lagi.`;
      break;
    }
    const elapsed = Date.now() - context.startedAt;
    if (elapsed >= budgetMs) {
      end = 'timeUp';
      break;
    }
    // Rate limit: requests are counted when their fetchAll returned, the latest they can have reached
    // the gateway, so no window at the gateway holds more than the pace allows.
    const now = Date.now();
    while (window.length > 0 && (window[0]?.at ?? 0) <= now - pace.windowMs) window.shift();
    const inWindow = window.reduce((sum, entry) => sum + entry.count, 0);
    const room = pace.limit - inWindow;
    if (room <= 0) {
      const wait = (window[0]?.at ?? now) + pace.windowMs - now;
      if (elapsed + wait >= budgetMs) {
        end = 'timeUp';
        break;
      }
      Utilities.sleep(wait);
      continue;
    }

    const chunk = collectChunk(layout, snapshot, row, Math.min(settings.chunkSize, room), seen);
    for (const key of Object.keys(chunk.counts) as (keyof Counts)[]) {
      run.counts[key] += chunk.counts[key];
    }
    let outcomes: SendOutcome[] = [];
    if (chunk.jobs.length > 0) {
      outcomes = sendChunk(settings, credentials, chunk.jobs, scope, secrets);
      window.push({ at: Date.now(), count: chunk.jobs.length });
    }
    const time = Utilities.formatDate(new Date(), timeZone, 'yyyy-MM-dd HH:mm:ss');
    chunk.jobs.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) {
        chunk.outputs.set(job.row, [STATUS.sent, outcome.messageId, time]);
        run.counts.sent += 1;
        unclearInARow = 0;
      } else if (outcome?.skip) {
        // Refused for who the contact is: skipped, like an opt-out in the sheet, never GAGAL.
        chunk.outputs.set(job.row, [STATUS[outcome.skip], '', time]);
        run.counts[outcome.skip] += 1;
        unclearInARow = 0;
      } else if (outcome?.unclear) {
        chunk.outputs.set(job.row, [STATUS.unclear(outcome.error), '', time]);
        run.counts.unclear += 1;
        unclearInARow += 1;
      } else {
        const error = outcome?.error ?? 'tidak ada respons';
        const retryable = outcome?.retryable ?? true;
        chunk.outputs.set(job.row, [STATUS.failed(error, retryable), '', time]);
        run.counts.failed += 1;
        if (retryable) run.counts.retryable += 1;
        unclearInARow = 0;
      }
    });
    for (const values of chunk.outputs.values()) {
      if (values[2] === undefined) values[2] = time;
    }
    writeOutputs(sheet, layout, snapshot, chunk.outputs);
    if (chunk.jobs.length > 0) {
      const sent = outcomes.filter((outcome) => outcome.ok).length;
      const skipped = outcomes.filter((outcome) => !outcome.ok && outcome.skip).length;
      const unclear = outcomes.filter((outcome) => !outcome.ok && outcome.unclear).length;
      const failed = chunk.jobs.length - sent - skipped - unclear;
      console.log(
        `Kabar: rows ${row}-${chunk.nextRow - 1}: ${sent} sent, ${skipped} skipped, ${failed} failed${unclear > 0 ? `, ${unclear} unclear` : ''}`,
      );
    }
    row = chunk.nextRow;
  }

  run.nextRow = row;
  if (end === 'timeUp') {
    properties.setProperty(PROPERTY.run, JSON.stringify(run));
    scheduleContinuation(settings);
    const remaining = previewRows(layout, snapshot, row, new Map(seen)).toSend;
    const result: PartResult = { end, run, remaining };
    properties.setProperty(PROPERTY.lastSummary, summaryText(result, settings));
    return result;
  }
  properties.deleteProperty(PROPERTY.run);
  deleteContinuationTriggers();
  const remaining = reason ? previewRows(layout, snapshot, row, new Map(seen)).toSend : 0;
  const result: PartResult = reason ? { end, run, remaining, reason } : { end, run, remaining };
  finish(properties, summaryText(result, settings));
  return result;
}

interface Chunk {
  jobs: SendJob[];
  /** Per sheet row: status, message id, sent time (filled in after the fetch). */
  outputs: Map<number, CellValue[]>;
  counts: Counts;
  nextRow: number;
}

/** Walks rows from `from` until `limit` rows are ready to send, planning every row it passes. */
function collectChunk(
  layout: Layout,
  snapshot: Snapshot,
  from: number,
  limit: number,
  seen: Map<string, number>,
): Chunk {
  const chunk: Chunk = { jobs: [], outputs: new Map(), counts: zeroCounts(), nextRow: from };
  let row = from;
  while (row <= snapshot.raw.length && chunk.jobs.length < limit) {
    const plan = planAt(layout, snapshot, row);
    applyPlan(plan, row, seen, chunk);
    row += 1;
  }
  chunk.nextRow = row;
  return chunk;
}

function applyPlan(plan: RowPlan, row: number, seen: Map<string, number>, chunk: Chunk): void {
  switch (plan.kind) {
    case 'empty':
      return;
    case 'sent':
      chunk.counts.alreadySent += 1;
      return;
    case 'unclear':
      chunk.counts.held += 1;
      return;
    case 'optOut':
      chunk.counts.optOut += 1;
      chunk.outputs.set(row, [STATUS.optOut, '', '']);
      return;
    case 'invalid':
      chunk.counts.failed += 1;
      chunk.outputs.set(row, [STATUS.invalidPhone(plan.input), '']);
      return;
    case 'missingPromo':
      chunk.counts.failed += 1;
      chunk.outputs.set(row, [STATUS.missingPromo, '']);
      return;
    case 'send': {
      const first = seen.get(plan.phone);
      if (first !== undefined) {
        chunk.counts.duplicate += 1;
        chunk.outputs.set(row, [STATUS.duplicate(first), '', '']);
        return;
      }
      seen.set(plan.phone, row);
      chunk.jobs.push({ row, phone: plan.phone, params: plan.params });
    }
  }
}

interface Preview {
  toSend: number;
  failed: number;
  alreadySent: number;
  optOut: number;
  duplicate: number;
  held: number;
  /** The first row that would be sent, to show what its message looks like. */
  first?: SendJob;
}

/** Counts what a run from `from` would do, without touching anything. */
function previewRows(
  layout: Layout,
  snapshot: Snapshot,
  from: number,
  seen: Map<string, number> = sentPhones(layout, snapshot),
): Preview {
  const chunk: Chunk = { jobs: [], outputs: new Map(), counts: zeroCounts(), nextRow: from };
  for (let row = from; row <= snapshot.raw.length; row++) {
    applyPlan(planAt(layout, snapshot, row), row, seen, chunk);
  }
  const { failed, alreadySent, optOut, duplicate, held } = chunk.counts;
  const [first] = chunk.jobs;
  const preview: Preview = {
    toSend: chunk.jobs.length,
    failed,
    alreadySent,
    optOut,
    duplicate,
    held,
  };
  if (first) preview.first = first;
  return preview;
}

/**
 * Phones of rows already sent, or maybe sent (TIDAK PASTI), anywhere in the sheet, so a later row
 * with the same number is a duplicate.
 */
function sentPhones(layout: Layout, snapshot: Snapshot): Map<string, number> {
  const seen = new Map<string, number>();
  const sentLayout = { ...layout, columns: { ...layout.columns, messageId: -1, status: -1 } };
  for (let row = layout.headerRow + 2; row <= snapshot.raw.length; row++) {
    const kind = planAt(layout, snapshot, row).kind;
    if (kind !== 'sent' && kind !== 'unclear') continue;
    const plan = planAt(sentLayout, snapshot, row);
    if (plan.kind === 'send' && !seen.has(plan.phone)) seen.set(plan.phone, row);
  }
  return seen;
}

function planAt(layout: Layout, snapshot: Snapshot, row: number): RowPlan {
  return planRow(layout, snapshot.raw[row - 1] ?? [], snapshot.display[row - 1] ?? []);
}

/**
 * One fetchAll. A network failure makes Apps Script throw for the whole batch although some
 * messages may have gone out: every row is retryable where the gateway drops duplicates (Kirem's
 * Idempotency-Key) and unclear where it does not (Fonnte, Wablas).
 */
function sendChunk(
  settings: Settings,
  credentials: Credentials,
  jobs: SendJob[],
  scope: string,
  secrets: string[],
): SendOutcome[] {
  const requests = jobs.map((job) => buildRequest(settings, credentials, job, scope));
  let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
  try {
    responses = UrlFetchApp.fetchAll(requests);
  } catch (error) {
    const reason = redact(errorMessage(error), secrets).slice(0, 200);
    console.log(`Kabar: fetchAll failed for ${jobs.length} rows: koneksi gagal: ${reason}`);
    return jobs.map(() => cutOutcome(settings.gateway, reason));
  }
  return jobs.map((_job, index) => {
    const response = responses[index];
    if (!response) return cutOutcome(settings.gateway, 'tidak ada respons');
    return parseResponse(
      settings.gateway,
      response.getResponseCode(),
      response.getContentText(),
      secrets,
    );
  });
}

function outputColumns(layout: Layout): number[] {
  const { status, messageId, sentAt } = layout.columns;
  return [status, messageId, sentAt];
}

/** Sorted column indexes split into runs of adjacent columns. */
function contiguousGroups(columns: number[]): [number, ...number[]][] {
  const sorted = [...new Set(columns)].sort((a, b) => a - b);
  const groups: [number, ...number[]][] = [];
  for (const column of sorted) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === column - 1) last.push(column);
    else groups.push([column]);
  }
  return groups;
}

/**
 * One setValues per run of adjacent output columns (one in the seed's layout) over the rows from the
 * first to the last changed row; rows in between keep the values read at the start.
 */
function writeOutputs(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  layout: Layout,
  snapshot: Snapshot,
  outputs: Map<number, CellValue[]>,
): void {
  if (outputs.size === 0) return;
  const rows = [...outputs.keys()];
  const first = Math.min(...rows);
  const last = Math.max(...rows);
  const fields = outputColumns(layout);
  for (const group of contiguousGroups(fields)) {
    const block: CellValue[][] = [];
    for (let row = first; row <= last; row++) {
      const values = outputs.get(row);
      block.push(
        group.map((column) => {
          const field = fields.indexOf(column);
          if (values) return values[field] ?? '';
          return snapshot.raw[row - 1]?.[column] ?? '';
        }),
      );
    }
    sheet.getRange(first, group[0] + 1, block.length, group.length).setValues(block);
  }
  // Make the statuses durable before the next chunk goes out.
  SpreadsheetApp.flush();
}

function readSheet(sheet: GoogleAppsScript.Spreadsheet.Sheet): Snapshot {
  const range = sheet.getDataRange();
  return { raw: range.getValues(), display: range.getDisplayValues() };
}

function loadRun(properties: PropertyStore): RunState | undefined {
  const stored = properties.getProperty(PROPERTY.run);
  if (!stored) return undefined;
  try {
    const run = JSON.parse(stored) as RunState;
    // A run stored by an older bundle lacks the newer counters.
    return { ...run, counts: { ...zeroCounts(), ...run.counts } };
  } catch {
    properties.deleteProperty(PROPERTY.run);
    return undefined;
  }
}

function campaignId(properties: PropertyStore): string {
  let id = properties.getProperty(PROPERTY.campaign);
  if (!id) {
    id = Utilities.getUuid();
    properties.setProperty(PROPERTY.campaign, id);
  }
  return id;
}

/** Deletes every continuation trigger; returns how many there were. */
export function deleteContinuationTriggers(): number {
  const scriptApp = ScriptApp;
  let deleted = 0;
  for (const trigger of scriptApp.getProjectTriggers()) {
    if (trigger.getHandlerFunction() === CONTINUE_FUNCTION) {
      scriptApp.deleteTrigger(trigger);
      deleted += 1;
    }
  }
  return deleted;
}

function scheduleContinuation(settings: Settings): void {
  deleteContinuationTriggers();
  // The next part starts with an empty rate window, so it must not start before the last
  // request's window has passed (a rate of 0.01/s spaces requests 100 s apart).
  const afterMs = Math.max(
    settings.continueAfterSeconds * 1000,
    sendPace(settings.ratePerSecond).windowMs,
  );
  ScriptApp.newTrigger(CONTINUE_FUNCTION).timeBased().after(afterMs).create();
}

function finish(properties: PropertyStore, summary: string): void {
  properties.setProperty(PROPERTY.lastSummary, summary);
  console.log(`Kabar: ${summary.replace(/\n/g, ' | ')}`);
}

function titleFor(end: PartEnd): string {
  if (end === 'timeUp') return 'Broadcast berlanjut otomatis';
  if (end === 'stopped') return 'Broadcast dihentikan';
  return 'Broadcast selesai';
}

function countsText(counts: Counts): string {
  const retry =
    counts.retryable > 0
      ? ` (${counts.retryable} bisa dicoba lagi: jalankan Kirim Broadcast lagi)`
      : '';
  const skipped =
    counts.alreadySent + counts.optOut + counts.outsideWindow + counts.duplicate + counts.held;
  const held = counts.held > 0 ? `, tidak pasti ${counts.held}` : '';
  const lines = [
    `Terkirim: ${counts.sent}`,
    `Gagal: ${counts.failed}${retry}`,
    `Dilewati: ${skipped} (sudah terkirim ${counts.alreadySent}, opt-out ${counts.optOut}, di luar 24 jam ${counts.outsideWindow}, duplikat ${counts.duplicate}${held})`,
  ];
  if (counts.unclear > 0) {
    lines.push(
      `Tidak pasti: ${counts.unclear} (mungkin sudah terkirim; cek di dashboard gateway, lalu kosongkan Status baris itu untuk mengirim ulang)`,
    );
  }
  return lines.join('\n');
}

function summaryText(result: PartResult, settings: Settings): string {
  const lines = [countsText(result.run.counts), `Sisa: ${result.remaining}`];
  if (result.reason) lines.push(`\n${result.reason}`);
  if (result.end === 'timeUp') {
    lines.push(
      `\nBatas waktu ${settings.timeBudgetSeconds} detik tercapai; sisanya dikirim otomatis sekitar ${settings.continueAfterSeconds} detik lagi. Lihat menu Status Broadcast.`,
    );
  }
  return lines.join('\n');
}

function safeToast(message: string, title: string): void {
  try {
    SpreadsheetApp.getActiveSpreadsheet().toast(message, title, 30);
  } catch {
    // No open editor to show it in; the summary is in Status Broadcast.
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
