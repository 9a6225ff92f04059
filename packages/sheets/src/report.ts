import type { SheetBroadcastSummary } from './broadcast-sheet.js';
import { formatDuration } from './progress.js';

/** The end-of-run report, for people: what went out, what was skipped and why, what failed and why. */
export function formatReport(summary: SheetBroadcastSummary): string {
  const lines: string[] = [];
  const { skipped } = summary;
  const title = summary.dryRun
    ? 'kabar-sheets: DRY RUN, nothing was sent and nothing was written'
    : summary.aborted
      ? 'kabar-sheets: broadcast STOPPED before the end'
      : 'kabar-sheets: broadcast finished';
  lines.push(title);
  lines.push(`  columns     ${summary.layout}`);
  lines.push(`  rows        ${summary.rows}`);
  lines.push(`  ${summary.dryRun ? 'would send' : 'sent      '}  ${summary.sent}`);
  lines.push(
    `  skipped     ${skipped.total} (opted out ${skipped.optedOut}, outside 24h window ${skipped.outsideWindow}, already sent ${skipped.alreadySent}, no phone ${skipped.noPhone})`,
  );
  const codes = Object.entries(summary.failureCodes)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  lines.push(
    `  ${summary.dryRun ? 'invalid   ' : 'failed    '}  ${summary.failed}${codes ? ` (${codes})` : ''}`,
  );
  for (const failure of summary.failures) {
    lines.push(`    row ${failure.row} (${failure.phone || 'no phone'}): ${failure.reason}`);
  }
  if (summary.failed > summary.failures.length) {
    lines.push(
      `    ... and ${summary.failed - summary.failures.length} more (see the status column)`,
    );
  }
  if (summary.dryRun && summary.preview.length > 0) {
    lines.push('  examples');
    for (const example of summary.preview) {
      lines.push(`    row ${example.row} -> ${example.to}: ${example.message}`);
    }
  }
  lines.push(`  duration    ${formatDuration(summary.durationMs)}`);
  if (!summary.dryRun) {
    lines.push(`  rate        ${summary.ratePerSecond.toFixed(1)} messages/s`);
  }
  if (summary.writes) {
    const { writes } = summary;
    lines.push(
      `  sheet       ${writes.rowsWritten} rows written in ${writes.writes} batchUpdate call${writes.writes === 1 ? '' : 's'}` +
        (writes.pendingRows > 0 ? `; ${writes.pendingRows} rows NOT written` : ''),
    );
  }
  if (summary.error) lines.push(`  error       ${summary.error}`);
  if (summary.aborted && !summary.dryRun) {
    lines.push('  Run the same command again to continue: rows already sent are skipped.');
  }
  return `${lines.join('\n')}\n`;
}

/** A sheet's cells as an aligned table, each row with its number, for `--sandbox`'s write-back. */
export function formatSheet(title: string, rows: readonly unknown[][]): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  const cells = rows.map((row, index) => [
    String(index + 1),
    ...Array.from({ length: width }, (_, column) => cellText(row[column])),
  ]);
  const widths = Array.from({ length: width + 1 }, (_, column) =>
    Math.max(...cells.map((row) => (row[column] as string).length)),
  );
  const lines = cells.map(
    (row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ')}`,
  );
  return `${title}\n${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function cellText(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
