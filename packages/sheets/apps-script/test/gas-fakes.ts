import { randomUUID } from 'node:crypto';
import vm from 'node:vm';
import type { SyncRequest, SyncResult } from './sync-http';

/**
 * In-memory fakes of the Apps Script services the bundle uses, recording every call, and a loader
 * that runs the built Code.js in a fresh vm context per execution (as Apps Script does), with a
 * fake clock behind Date, Utilities.sleep and UrlFetchApp.
 */

export type Cell = string | number | boolean | Date | null;

export interface FetchBackend {
  fetchAllSync(requests: SyncRequest[]): { results: SyncResult[]; elapsedMs: number };
}

export interface GasOptions {
  /** The active sheet, row by row (index 0 is sheet row 1). */
  rows: Cell[][];
  sheetName?: string;
  http: FetchBackend;
  /** Simulated duration of one fetchAll; default: the real round trip to the sandbox. */
  fetchAllMs?: number;
  /** Answers to YES_NO alerts, in order; default YES. */
  answers?: ('YES' | 'NO')[];
}

export interface Counters {
  getDataRange: number;
  getRange: number;
  getValues: number;
  getDisplayValues: number;
  setValues: number;
  setValue: number;
  cellsWritten: number;
  flush: number;
  fetch: number;
  fetchAll: number;
  requests: number;
  sleeps: number;
  sleepMs: number;
  propertyReads: number;
  propertyWrites: number;
}

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: unknown;
}

export interface FakeTrigger {
  uid: string;
  handler: string;
  afterMs: number;
  dueAt: number;
}

export interface Alert {
  title: string;
  prompt: string;
  buttons: string;
  answer: string;
}

const START = Date.parse('2025-06-02T01:00:00Z');

const BUTTON = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' } as const;
const BUTTON_SET = {
  OK: 'OK',
  OK_CANCEL: 'OK_CANCEL',
  YES_NO: 'YES_NO',
  YES_NO_CANCEL: 'YES_NO_CANCEL',
} as const;

export class FakeGas {
  readonly rows: Cell[][];
  readonly sheetName: string;
  readonly sheetId = 1_234_567;
  readonly properties = new Map<string, string>();
  readonly triggers: FakeTrigger[] = [];
  readonly createdTriggers: FakeTrigger[] = [];
  readonly deletedTriggers: string[] = [];
  readonly alerts: Alert[] = [];
  readonly toasts: { message: string; title: string }[] = [];
  readonly logs: string[] = [];
  readonly menus: { title: string; items: [string, string][] }[] = [];
  readonly dialogs: { title: string; html: string }[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Every service call, e.g. 'Range.setValues', in order. */
  readonly calls: string[] = [];
  readonly answers: ('YES' | 'NO')[];
  counters: Counters = emptyCounters();
  /** Another execution holds the script lock. */
  lockHeldByOther = false;
  now = START;
  wallHttpMs = 0;
  readonly #http: FetchBackend;
  readonly #fetchAllMs: number | undefined;
  #lockOwner: number | undefined;
  /** Errors the fakes throw are made in the execution's realm, as Apps Script's own are. */
  #error: (message: string) => Error = (message) => new Error(message);
  #executions = 0;
  /** The execution running now (0: none). */
  #execution = 0;
  #inTrigger = false;
  static #script: vm.Script | undefined;
  static #scriptSource: string | undefined;

  constructor(
    readonly code: string,
    options: GasOptions,
  ) {
    this.rows = options.rows.map((row) => [...row]);
    this.sheetName = options.sheetName ?? 'Sheet1';
    this.#http = options.http;
    this.#fetchAllMs = options.fetchAllMs;
    this.answers = [...(options.answers ?? [])];
  }

  /**
   * Runs one execution: a fresh global scope with Code.js loaded, then `name(arg)`. Executions may
   * nest (a fake service calling run() stands for another user's click during this execution).
   */
  run(name: string, arg?: unknown, { trigger = false } = {}): unknown {
    const outer = { execution: this.#execution, inTrigger: this.#inTrigger };
    const context = this.#context();
    this.#executions += 1;
    const execution = this.#executions;
    this.#execution = execution;
    this.#inTrigger = trigger;
    try {
      const fn = context[name];
      if (typeof fn !== 'function') throw new Error(`Code.js has no top-level function ${name}`);
      return fn(arg);
    } finally {
      // Apps Script releases a lock its execution forgot.
      if (this.#lockOwner === execution) this.#lockOwner = undefined;
      this.#execution = outer.execution;
      this.#inTrigger = outer.inTrigger;
    }
  }

  /** Advances the clock past each pending trigger and runs its handler, as Apps Script would. */
  fireDueTriggers(): FakeTrigger[] {
    const due = [...this.triggers].sort((a, b) => a.dueAt - b.dueAt);
    for (const trigger of due) {
      if (!this.triggers.includes(trigger)) continue;
      if (this.now < trigger.dueAt) this.now = trigger.dueAt;
      this.run(trigger.handler, { triggerUid: trigger.uid, authMode: 'FULL' }, { trigger: true });
    }
    return due;
  }

  resetCounters(): void {
    this.counters = emptyCounters();
    this.calls.length = 0;
    this.requests.length = 0;
  }

  /** Every string a user or a log could see: cells, alerts, toasts, dialogs, logs. */
  visibleText(): string {
    return [
      ...this.rows.flat().map((cell) => String(cell ?? '')),
      ...this.alerts.map((alert) => `${alert.title} ${alert.prompt}`),
      ...this.toasts.map((toast) => `${toast.title} ${toast.message}`),
      ...this.dialogs.map((dialog) => dialog.html),
      ...this.logs,
    ].join('\n');
  }

  #context(): vm.Context {
    if (FakeGas.#scriptSource !== this.code) {
      FakeGas.#script = new vm.Script(this.code, { filename: 'Code.js' });
      FakeGas.#scriptSource = this.code;
    }
    const context = vm.createContext({
      SpreadsheetApp: this.#spreadsheetApp(),
      UrlFetchApp: this.#urlFetchApp(),
      PropertiesService: this.#propertiesService(),
      ScriptApp: this.#scriptApp(),
      LockService: this.#lockService(),
      Utilities: this.#utilities(),
      Session: { getScriptTimeZone: () => 'Asia/Jakarta' },
      HtmlService: {
        createHtmlOutput: (html: string) => {
          this.calls.push('HtmlService.createHtmlOutput');
          const output = {
            content: String(html),
            setWidth: () => output,
            setHeight: () => output,
            getContent: () => output.content,
          };
          return output;
        },
      },
      console: this.#console(),
      __kabarClock: { now: () => this.now },
    });
    // Date follows the fake clock; everything else about it is the real one.
    vm.runInContext(
      `(() => {
        const RealDate = Date;
        const clock = __kabarClock;
        function FakeDate(...args) {
          if (!new.target) return new RealDate(clock.now()).toString();
          return args.length > 0 ? new RealDate(...args) : new RealDate(clock.now());
        }
        FakeDate.now = () => clock.now();
        FakeDate.parse = RealDate.parse;
        FakeDate.UTC = RealDate.UTC;
        FakeDate.prototype = RealDate.prototype;
        globalThis.Date = FakeDate;
        delete globalThis.__kabarClock;
      })();`,
      context,
    );
    this.#error = vm.runInContext('(message) => new Error(message)', context);
    FakeGas.#script?.runInContext(context);
    return context;
  }

  #spreadsheetApp() {
    const sheet = this.#sheet();
    const spreadsheet = {
      getActiveSheet: () => {
        this.calls.push('Spreadsheet.getActiveSheet');
        return sheet;
      },
      getSheets: () => {
        this.calls.push('Spreadsheet.getSheets');
        return [sheet];
      },
      getSheetByName: (name: string) => (name === this.sheetName ? sheet : null),
      getId: () => 'spreadsheet-1',
      toast: (message: string, title = '', _timeout?: number) => {
        this.calls.push('Spreadsheet.toast');
        this.toasts.push({ message: String(message), title: String(title) });
      },
    };
    return {
      getActiveSpreadsheet: () => spreadsheet,
      getUi: () => {
        if (this.#inTrigger) {
          throw this.#error('Exception: Cannot call SpreadsheetApp.getUi() from this context.');
        }
        return this.#ui();
      },
      flush: () => {
        this.calls.push('SpreadsheetApp.flush');
        this.counters.flush += 1;
      },
    };
  }

  #ui() {
    const ui = {
      Button: BUTTON,
      ButtonSet: BUTTON_SET,
      alert: (...args: unknown[]) => {
        this.calls.push('Ui.alert');
        // alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons)
        const [title, prompt, buttons] =
          args.length >= 3
            ? [String(args[0]), String(args[1]), String(args[2])]
            : args.length === 2
              ? ['', String(args[0]), String(args[1])]
              : ['', String(args[0]), 'OK'];
        const answer = buttons.startsWith('YES') ? (this.answers.shift() ?? 'YES') : 'OK';
        this.alerts.push({ title, prompt, buttons, answer });
        return answer;
      },
      createMenu: (title: string) => {
        this.calls.push('Ui.createMenu');
        const items: [string, string][] = [];
        const menu = {
          addItem: (caption: string, fn: string) => {
            items.push([caption, fn]);
            return menu;
          },
          addSeparator: () => {
            items.push(['---', '']);
            return menu;
          },
          addToUi: () => {
            this.menus.push({ title, items });
          },
        };
        return menu;
      },
      showModalDialog: (output: { content: string }, title: string) => {
        this.calls.push('Ui.showModalDialog');
        this.dialogs.push({ title, html: output.content });
      },
    };
    return ui;
  }

  #width(): number {
    return Math.max(0, ...this.rows.map((row) => lastFilled(row) + 1));
  }

  #lastRow(): number {
    for (let index = this.rows.length - 1; index >= 0; index--) {
      if (lastFilled(this.rows[index] ?? []) >= 0) return index + 1;
    }
    return 0;
  }

  #sheet() {
    const range = (row: number, column: number, numRows: number, numColumns: number) => {
      const cells = () =>
        Array.from({ length: numRows }, (_, r) =>
          Array.from(
            { length: numColumns },
            (_, c) => this.rows[row - 1 + r]?.[column - 1 + c] ?? '',
          ),
        );
      const object = {
        getValues: () => {
          this.calls.push('Range.getValues');
          this.counters.getValues += 1;
          return cells();
        },
        getDisplayValues: () => {
          this.calls.push('Range.getDisplayValues');
          this.counters.getDisplayValues += 1;
          return cells().map((line) => line.map(display));
        },
        setValues: (values: Cell[][]) => {
          this.calls.push('Range.setValues');
          this.counters.setValues += 1;
          if (!Array.isArray(values) || values.length !== numRows) {
            throw this.#error(
              `Exception: The number of rows in the data does not match the number of rows in the range. The data has ${values?.length} but the range has ${numRows}.`,
            );
          }
          values.forEach((line, r) => {
            if (line.length !== numColumns) {
              throw this.#error(
                `Exception: The number of columns in the data does not match the number of columns in the range. The data has ${line.length} but the range has ${numColumns}.`,
              );
            }
            line.forEach((value, c) => {
              this.#write(row + r, column + c, value);
            });
          });
          this.counters.cellsWritten += numRows * numColumns;
          return object;
        },
        setValue: (value: Cell) => {
          this.calls.push('Range.setValue');
          this.counters.setValue += 1;
          this.#write(row, column, value);
          this.counters.cellsWritten += 1;
          return object;
        },
        getRow: () => row,
        getColumn: () => column,
        getNumRows: () => numRows,
        getNumColumns: () => numColumns,
      };
      return object;
    };
    return {
      getName: () => this.sheetName,
      getSheetId: () => this.sheetId,
      getLastRow: () => this.#lastRow(),
      getLastColumn: () => this.#width(),
      getDataRange: () => {
        this.calls.push('Sheet.getDataRange');
        this.counters.getDataRange += 1;
        return range(1, 1, Math.max(1, this.#lastRow()), Math.max(1, this.#width()));
      },
      getRange: (row: number, column: number, numRows = 1, numColumns = 1) => {
        this.calls.push('Sheet.getRange');
        this.counters.getRange += 1;
        if (row < 1 || column < 1 || numRows < 1 || numColumns < 1) {
          throw this.#error('Exception: Range not found');
        }
        return range(row, column, numRows, numColumns);
      },
    };
  }

  #write(row: number, column: number, value: Cell): void {
    while (this.rows.length < row) this.rows.push([]);
    const line = this.rows[row - 1] ?? [];
    while (line.length < column) line.push('');
    line[column - 1] = isDate(value) ? new Date(value.getTime()) : value;
    this.rows[row - 1] = line;
  }

  #urlFetchApp() {
    const toSync = (url: string, params: Record<string, unknown> = {}): SyncRequest => {
      const method = String(params.method ?? 'get').toUpperCase();
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries((params.headers as object) ?? {})) {
        headers[key] = String(value);
      }
      if (params.payload !== undefined) {
        headers['Content-Type'] = String(params.contentType ?? 'application/x-www-form-urlencoded');
      }
      const payload = params.payload === undefined ? undefined : String(params.payload);
      let parsed: unknown = payload;
      try {
        parsed = payload === undefined ? undefined : JSON.parse(payload);
      } catch {
        // not JSON
      }
      this.requests.push({ url, method, headers, payload: parsed });
      return payload === undefined
        ? { url, method, headers }
        : { url, method, headers, body: payload };
    };
    const respond = (result: SyncResult | undefined, mute: boolean) => {
      if (!result || 'error' in result) {
        throw this.#error(`Exception: ${result ? result.error : 'no response'}`);
      }
      if (!mute && result.status >= 400) {
        throw this.#error(
          `Exception: Request failed for ${result.status} returned code ${result.status}. Truncated server response: ${result.body.slice(0, 100)}`,
        );
      }
      return {
        getResponseCode: () => result.status,
        getContentText: () => result.body,
        getHeaders: () => ({}),
      };
    };
    const batch = (requests: SyncRequest[]) => {
      const { results, elapsedMs } = this.#http.fetchAllSync(requests);
      this.wallHttpMs += elapsedMs;
      this.now += this.#fetchAllMs ?? Math.max(1, Math.ceil(elapsedMs));
      return results;
    };
    return {
      fetch: (url: string, params: Record<string, unknown> = {}) => {
        this.calls.push('UrlFetchApp.fetch');
        this.counters.fetch += 1;
        this.counters.requests += 1;
        const [result] = batch([toSync(url, params)]);
        return respond(result, params.muteHttpExceptions === true);
      },
      fetchAll: (requests: ({ url: string } & Record<string, unknown>)[]) => {
        this.calls.push('UrlFetchApp.fetchAll');
        this.counters.fetchAll += 1;
        this.counters.requests += requests.length;
        const results = batch(requests.map((request) => toSync(request.url, request)));
        // Apps Script throws for the whole batch when any request fails below HTTP.
        return results.map((result, index) =>
          respond(result, requests[index]?.muteHttpExceptions === true),
        );
      },
    };
  }

  #propertiesService() {
    const properties = {
      getProperty: (key: string) => {
        this.counters.propertyReads += 1;
        return this.properties.get(key) ?? null;
      },
      setProperty: (key: string, value: string) => {
        this.counters.propertyWrites += 1;
        this.properties.set(key, String(value));
        return properties;
      },
      deleteProperty: (key: string) => {
        this.counters.propertyWrites += 1;
        this.properties.delete(key);
        return properties;
      },
      getProperties: () => Object.fromEntries(this.properties),
    };
    return { getScriptProperties: () => properties };
  }

  #scriptApp() {
    const wrap = (trigger: FakeTrigger) => ({
      getHandlerFunction: () => trigger.handler,
      getUniqueId: () => trigger.uid,
      getEventType: () => 'CLOCK',
      getTriggerSource: () => 'CLOCK',
    });
    return {
      newTrigger: (handler: string) => ({
        timeBased: () => ({
          after: (afterMs: number) => ({
            create: () => {
              this.calls.push('ScriptApp.newTrigger.create');
              if (this.triggers.length >= 20) {
                throw this.#error('Exception: This script has too many triggers.');
              }
              const trigger: FakeTrigger = {
                uid: randomUUID(),
                handler,
                afterMs,
                dueAt: this.now + afterMs,
              };
              this.triggers.push(trigger);
              this.createdTriggers.push(trigger);
              return wrap(trigger);
            },
          }),
        }),
      }),
      getProjectTriggers: () => {
        this.calls.push('ScriptApp.getProjectTriggers');
        return this.triggers.map(wrap);
      },
      deleteTrigger: (trigger: { getUniqueId(): string }) => {
        this.calls.push('ScriptApp.deleteTrigger');
        const index = this.triggers.findIndex((t) => t.uid === trigger.getUniqueId());
        if (index >= 0) {
          this.deletedTriggers.push(trigger.getUniqueId());
          this.triggers.splice(index, 1);
        }
      },
    };
  }

  #lockService() {
    return {
      getScriptLock: () => ({
        tryLock: (timeoutMs: number) => {
          this.calls.push('Lock.tryLock');
          if (
            this.lockHeldByOther ||
            (this.#lockOwner !== undefined && this.#lockOwner !== this.#execution)
          ) {
            this.now += timeoutMs;
            return false;
          }
          this.#lockOwner = this.#execution;
          return true;
        },
        releaseLock: () => {
          this.calls.push('Lock.releaseLock');
          if (this.#lockOwner === this.#execution) this.#lockOwner = undefined;
        },
        hasLock: () => this.#lockOwner === this.#execution,
      }),
    };
  }

  #utilities() {
    return {
      sleep: (ms: number) => {
        this.calls.push('Utilities.sleep');
        this.counters.sleeps += 1;
        this.counters.sleepMs += ms;
        this.now += ms;
      },
      formatDate: (date: Date, timeZone: string, format: string) => {
        if (timeZone !== 'Asia/Jakarta' || format !== 'yyyy-MM-dd HH:mm:ss') {
          throw new Error(`fake formatDate supports Asia/Jakarta yyyy-MM-dd HH:mm:ss only`);
        }
        return new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      },
      getUuid: () => randomUUID(),
    };
  }

  #console() {
    const log = (...args: unknown[]) => this.logs.push(args.map(String).join(' '));
    return { log, info: log, warn: log, error: log };
  }
}

function emptyCounters(): Counters {
  return {
    getDataRange: 0,
    getRange: 0,
    getValues: 0,
    getDisplayValues: 0,
    setValues: 0,
    setValue: 0,
    cellsWritten: 0,
    flush: 0,
    fetch: 0,
    fetchAll: 0,
    requests: 0,
    sleeps: 0,
    sleepMs: 0,
    propertyReads: 0,
    propertyWrites: 0,
  };
}

/** Dates made inside the vm are not `instanceof` this realm's Date. */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function lastFilled(row: Cell[]): number {
  for (let index = row.length - 1; index >= 0; index--) {
    const cell = row[index];
    if (cell !== '' && cell !== null && cell !== undefined) return index;
  }
  return -1;
}

/** What Sheets shows for a value in a cell with automatic formatting. */
function display(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (isDate(value)) return value.toISOString();
  return String(value);
}
