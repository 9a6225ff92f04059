// Preloaded into the kabar-sheets bin by memory.bench.mjs (node --import): writes the process's
// kernel high-water mark, the main thread and the broadcast's worker together, to the file named
// by BENCH_PEAK_RSS_FILE when the process exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  writeFileSync(process.env.BENCH_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS / 1024));
});
