// A user's path, from a clean clone: pack every public package, install the tarballs with npm
// into a scratch project outside the workspace, type-check every README code block there, build
// a NestJS CommonJS project on every subpath, and run each README's main example against a
// sandbox. Prints every block and example with its result; exits 1 on any failure.
//   node scripts/user-project/index.mjs [--reuse] [--blocks-only]
//   --reuse: keep the project installed by an earlier run (no pack, no install);
//   --blocks-only: only the README code blocks, for editing READMEs.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll } from '../pack-all.mjs';
import { checkCommonJs } from './commonjs.mjs';
import { runMainExamples } from './examples.mjs';
import { checkReadmeBlocks } from './readme-blocks.mjs';
import { createUserProject, kabarPackages } from './setup.mjs';

const reuse = process.argv.includes('--reuse');
const blocksOnly = process.argv.includes('--blocks-only');
const project = join(tmpdir(), 'kabar-user-project');
let failures = 0;

async function step(name, work) {
  const started = performance.now();
  const result = await work();
  console.log(`user-project: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

const installed = reuse && existsSync(join(project, 'node_modules'));
const tarballs = installed
  ? undefined
  : await step('pack', () =>
      Object.fromEntries(Object.entries(packAll()).filter(([name]) => name.startsWith('@kabar/'))),
    );
if (tarballs) await step('npm install', () => createUserProject(tarballs, project));

const blocks = await step('README code blocks', () => checkReadmeBlocks(project));
console.log(`\nREADME code blocks (strict; moduleResolution node16 and bundler):`);
for (const block of blocks) {
  const ok = block.errors.length === 0;
  if (!ok) failures += 1;
  console.log(
    `  ${ok ? 'ok  ' : 'FAIL'} ${block.readme}:${block.line} ${block.file}${block.main ? ' (main example)' : ''}`,
  );
  for (const error of block.errors) console.log(`         ${error}`);
}
console.log(
  `  ${blocks.length} blocks, ${blocks.length - blocks.filter((b) => b.errors.length).length} ok`,
);

if (blocksOnly) process.exit(failures === 0 ? 0 : 1);

const commonjs = await step('NestJS CommonJS starter', () =>
  checkCommonJs(project, kabarPackages(project)),
);
console.log(
  `\nNestJS CommonJS starter (module commonjs, node10 resolution), ${commonjs.subpaths.length} entry points:`,
);
console.log(`  ${commonjs.errors.length === 0 ? 'ok  ' : 'FAIL'} ${commonjs.subpaths.join(', ')}`);
for (const error of commonjs.errors) console.log(`         ${error}`);
failures += commonjs.errors.length;

const examples = await step('main examples', () => runMainExamples(project, blocks));
console.log(`\nREADME main examples against a sandbox:`);
for (const example of examples) {
  if (example.error) failures += 1;
  console.log(
    `  ${example.error ? 'FAIL' : 'ok  '} ${example.readme}: ${example.error ?? example.outcome}`,
  );
}

console.log(`\nuser-project: ${failures === 0 ? 'all passed' : `${failures} failed`}`);
process.exit(failures === 0 ? 0 : 1);
