export {
  type A1Range,
  columnIndex,
  columnLetters,
  formatRange,
  parseA1Range,
} from './a1.js';
export {
  type BroadcastSheetOptions,
  broadcastSheet,
  type RowFailure,
  type SheetBroadcastSummary,
  type SheetProgress,
} from './broadcast-sheet.js';
export {
  COLUMN_ROLES,
  type ColumnRole,
  detectLayout,
  normalizeHeader,
  SEED_COLUMNS,
  type SheetLayout,
} from './columns.js';
export { SheetsConfigError } from './errors.js';
export { envName, GATEWAYS, type Gateway, providerFromEnv } from './gateways.js';
export {
  createSheetsClient,
  type GoogleAuthOptions,
  googleAuth,
  type ServiceAccountKey,
  SHEETS_SCOPE,
  type SheetsAuth,
  type SheetsClientOptions,
} from './google.js';
export {
  type CompileMessageOptions,
  compileMessage,
  DEFAULT_NAME,
  DEFAULT_TEMPLATE_PARAMS,
  type SheetMessage,
} from './message.js';
export { paceSends, type SendRate, type SendWindow } from './pace.js';
export {
  createProgressReporter,
  type ProgressOptions,
  type ProgressOutput,
  type ProgressReporter,
} from './progress.js';
export {
  DEFAULT_PAGE_ROWS,
  type ReadSheetOptions,
  readSheetRows,
  type SheetReader,
  type SheetReadStats,
} from './reader.js';
export { formatReport } from './report.js';
export {
  cellText,
  isAlreadySent,
  isOptedOut,
  type SheetRow,
  STATUS_FAILED_PREFIX,
  STATUS_OPTED_OUT,
  STATUS_OUTSIDE_WINDOW,
  STATUS_SENT,
} from './rows.js';
export { type CliIo, runCli } from './run-cli.js';
export type { SheetsApi } from './sheets-api.js';
export {
  type RowResult,
  SheetWriter,
  type SheetWriterOptions,
  type SheetWriterStats,
  valueRanges,
} from './writer.js';
