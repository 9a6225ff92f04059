/**
 * The slice of the Apps Script services this bundle uses, typed by hand (no @types/google-apps-script
 * needed). The `declare const`s are module-scoped for the type checker and resolve to Apps Script's
 * globals at run time; they are read only inside functions, never while the bundle loads.
 */

export type CellValue = string | number | boolean | Date | null;

export interface GasRange {
  getValues(): CellValue[][];
  getDisplayValues(): string[][];
  setValues(values: CellValue[][]): GasRange;
}

export interface GasSheet {
  getDataRange(): GasRange;
  getRange(row: number, column: number, numRows?: number, numColumns?: number): GasRange;
  getLastRow(): number;
  getLastColumn(): number;
  getSheetId(): number;
  getName(): string;
}

export interface GasSpreadsheet {
  getActiveSheet(): GasSheet;
  getSheets(): GasSheet[];
  toast(message: string, title?: string, timeoutSeconds?: number): void;
}

export interface GasMenu {
  addItem(caption: string, functionName: string): GasMenu;
  addSeparator(): GasMenu;
  addToUi(): void;
}

export interface GasHtmlOutput {
  setWidth(width: number): GasHtmlOutput;
  setHeight(height: number): GasHtmlOutput;
}

export interface GasUi {
  readonly Button: { readonly OK: unknown; readonly YES: unknown; readonly NO: unknown };
  readonly ButtonSet: { readonly OK: unknown; readonly YES_NO: unknown };
  alert(title: string, prompt: string, buttons: unknown): unknown;
  createMenu(caption: string): GasMenu;
  showModalDialog(userInterface: GasHtmlOutput, title: string): void;
}

export interface GasFetchRequest {
  url: string;
  method: 'get' | 'post';
  contentType?: string;
  headers?: Record<string, string>;
  payload?: string;
  muteHttpExceptions: boolean;
  followRedirects?: boolean;
}

export interface GasHttpResponse {
  getResponseCode(): number;
  getContentText(): string;
}

export interface GasProperties {
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): GasProperties;
  deleteProperty(key: string): GasProperties;
}

export interface GasTrigger {
  getHandlerFunction(): string;
  getUniqueId(): string;
}

export interface GasLock {
  tryLock(timeoutInMillis: number): boolean;
  releaseLock(): void;
}

/** The event object of an installable time-driven trigger. */
export interface TimeTriggerEvent {
  triggerUid?: string;
}

declare const SpreadsheetApp: {
  getActiveSpreadsheet(): GasSpreadsheet;
  getUi(): GasUi;
  flush(): void;
};
declare const UrlFetchApp: { fetchAll(requests: GasFetchRequest[]): GasHttpResponse[] };
declare const PropertiesService: { getScriptProperties(): GasProperties };
declare const ScriptApp: {
  newTrigger(functionName: string): {
    timeBased(): { after(durationMillis: number): { create(): GasTrigger } };
  };
  getProjectTriggers(): GasTrigger[];
  deleteTrigger(trigger: GasTrigger): void;
};
declare const LockService: { getScriptLock(): GasLock };
declare const Utilities: {
  sleep(milliseconds: number): void;
  formatDate(date: Date, timeZone: string, format: string): string;
  getUuid(): string;
};
declare const Session: { getScriptTimeZone(): string };
declare const HtmlService: { createHtmlOutput(html: string): GasHtmlOutput };

/** Apps Script's services, looked up when called. */
export const gas = {
  spreadsheet: () => SpreadsheetApp.getActiveSpreadsheet(),
  ui: () => SpreadsheetApp.getUi(),
  flush: () => SpreadsheetApp.flush(),
  fetchAll: (requests: GasFetchRequest[]) => UrlFetchApp.fetchAll(requests),
  properties: () => PropertiesService.getScriptProperties(),
  scriptApp: () => ScriptApp,
  scriptLock: () => LockService.getScriptLock(),
  sleep: (milliseconds: number) => Utilities.sleep(milliseconds),
  formatDate: (date: Date, timeZone: string, format: string) =>
    Utilities.formatDate(date, timeZone, format),
  uuid: () => Utilities.getUuid(),
  timeZone: () => Session.getScriptTimeZone(),
  html: (html: string) => HtmlService.createHtmlOutput(html),
};
