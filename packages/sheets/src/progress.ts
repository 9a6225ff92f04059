import type { SheetProgress } from './broadcast-sheet.js';

/** Where progress goes: a writable stream such as `process.stderr`, or anything with `write`. */
export interface ProgressOutput {
  /** Writes text as is; lines end with their own `\n`. */
  write(text: string): unknown;
  /** True on a terminal: a bar redrawn in place instead of periodic lines. */
  isTTY?: boolean;
  /** The terminal's width in characters, for the bar. Default 80. */
  columns?: number;
}

/** Draws `broadcastSheet`'s progress; made by `createProgressReporter`. */
export interface ProgressReporter {
  /** Takes the latest progress; draws it only when the redraw interval has passed. */
  update(progress: SheetProgress): void;
  /**
   * Ends the progress output with one whole line of the final state, `final` (the run's real
   * totals) or else the latest update: on a terminal the bar, redrawn and closed with a newline;
   * elsewhere a plain line, unless the last one written already says the same.
   */
  finish(final?: SheetProgress): void;
}

/** How often `createProgressReporter` draws. */
export interface ProgressOptions {
  /** Redraw interval on a terminal. Default 100 ms. */
  redrawMs?: number;
  /** A plain line this often when the output is not a terminal (a log file, CI). Default 5000 ms. */
  lineMs?: number;
  /** The clock, in milliseconds. Default `performance.now`; replace it in tests. */
  now?: () => number;
}

/**
 * A progress bar on a terminal, redrawn in place at most every `redrawMs`; elsewhere one plain
 * line every `lineMs`, never a carriage return or a partial line, so logs and pipes stay
 * readable. Writes only to the given stream (stderr in the CLI).
 */
export function createProgressReporter(
  output: ProgressOutput,
  options: ProgressOptions = {},
): ProgressReporter {
  const tty = output.isTTY === true;
  const interval = tty ? (options.redrawMs ?? 100) : (options.lineMs ?? 5000);
  const now = options.now ?? (() => performance.now());
  let lastDraw = Number.NEGATIVE_INFINITY;
  let latest: SheetProgress | undefined;
  /** The last plain line written (not a terminal). */
  let lastLine: string | undefined;
  const bar = (progress: SheetProgress) => `\r\x1b[2K${barLine(progress, output.columns ?? 80)}`;
  const line = (progress: SheetProgress) => `kabar-sheets: ${plainLine(progress)}\n`;

  return {
    update(progress) {
      latest = progress;
      const at = now();
      if (at - lastDraw < interval) return;
      lastDraw = at;
      if (tty) {
        output.write(bar(progress));
      } else {
        lastLine = line(progress);
        output.write(lastLine);
      }
    },
    finish(final) {
      const state = final ?? latest;
      latest = undefined;
      if (!state) return;
      if (tty) {
        output.write(`${bar(state)}\n`);
        return;
      }
      const text = line(state);
      if (text !== lastLine) output.write(text);
      lastLine = text;
    },
  };
}

function counts(progress: SheetProgress): string {
  const sent = progress.dryRun ? 'ok' : 'sent';
  return `${sent} ${progress.sent} · skipped ${progress.skipped} · failed ${progress.failed}`;
}

function rate(progress: SheetProgress): number {
  return progress.elapsedMs > 0 ? progress.sent / (progress.elapsedMs / 1000) : 0;
}

export function plainLine(progress: SheetProgress): string {
  const of = progress.total === undefined ? '' : `/${progress.total}`;
  return `${progress.processed}${of} rows (${counts(progress)}), ${rate(progress).toFixed(1)}/s`;
}

export function barLine(progress: SheetProgress, columns: number): string {
  const { processed, total } = progress;
  const perSecond = rate(progress);
  const eta =
    total !== undefined && perSecond > 0 && processed < total
      ? ` · ETA ${formatDuration(((total - processed) / Math.max(perSecond, 0.001)) * 1000)}`
      : '';
  const tail = ` ${processed}${total === undefined ? '' : `/${total}`} · ${counts(progress)} · ${perSecond.toFixed(1)}/s${eta}`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 8));
  if (total === undefined || total === 0) return `[${spinner(processed, width)}]${tail}`;
  const ratio = Math.min(1, processed / total);
  const filled = Math.round(ratio * width);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}${tail}`;
}

function spinner(processed: number, width: number): string {
  const position = processed % width;
  return `${'-'.repeat(position)}#${'-'.repeat(width - position - 1)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${String(minutes - hours * 60).padStart(2, '0')}m`;
}
