// Cold start: how long `import('@kabar/core')` plus one provider takes in a fresh process (the
// median of 10), against a fresh process importing a one-line module, which is what Node's ESM
// loader costs on its own; then core + one provider bundled, minified and gzipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const PROCESSES = 10;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kabar-startup-'));
const tiny = join(scratch, 'tiny.mjs');
writeFileSync(tiny, 'export const ready = true;\n');

let scripts = 0;
/** Milliseconds a fresh Node process takes to load `modules`, measured inside it. */
function loadMs(modules, load, extension) {
  scripts += 1;
  const script = join(scratch, `load-${scripts}.${extension}`);
  writeFileSync(
    script,
    `const started = performance.now();
${modules.map((m) => `${load}(${JSON.stringify(m)});`).join('\n')}
process.stdout.write(String(performance.now() - started));
`,
  );
  return Number(execFileSync(process.execPath, [script], { encoding: 'utf8' }));
}
const importMs = (modules) => loadMs(modules, 'await import', 'mjs');
const requireMs = (modules) => loadMs(modules, 'require', 'cjs');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const esm = [join(dist, 'index.js'), join(dist, 'kirem.js')];
const cjs = [join(dist, 'index.cjs'), join(dist, 'kirem.cjs')];
const baseline = [];
const measured = [];
const measuredCjs = [];
// Interleaved, so drift on this machine weighs on both alike.
for (let i = 0; i < PROCESSES; i++) {
  baseline.push(importMs([tiny]));
  measured.push(importMs(esm));
  measuredCjs.push(requireMs(cjs));
}

async function gzipBytes(contents) {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('..', import.meta.url)) },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0].contents).byteLength;
}
const bundle = await gzipBytes(
  "export { createClient } from './dist/index.js'; export { kirem } from './dist/kirem.js';",
);
const whole = await gzipBytes("export * from './dist/index.js'; export * from './dist/kirem.js';");

const fmt = (values) => values.map((v) => v.toFixed(1)).join(' ');
console.log(`ESM import of a one-line module (ms): ${fmt(baseline)}`);
console.log(`ESM import of @kabar/core + kirem (ms): ${fmt(measured)}`);
console.log(`require of @kabar/core + kirem (ms):   ${fmt(measuredCjs)}`);
console.log(`bundle createClient + kirem: ${(bundle / 1024).toFixed(1)} KiB min+gzip`);
console.log(`bundle every export of core + kirem: ${(whole / 1024).toFixed(1)} KiB min+gzip`);
console.log(
  `RESULT core.startup cold_ms=${median(measured).toFixed(1)} baseline_ms=${median(baseline).toFixed(1)} ratio=${(median(measured) / median(baseline)).toFixed(2)} own_ms=${(median(measured) - median(baseline)).toFixed(1)} cjs_ms=${median(measuredCjs).toFixed(1)} bundle_gzip_bytes=${bundle} processes=${PROCESSES}`,
);
