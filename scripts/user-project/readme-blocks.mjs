// Every TypeScript and JavaScript code block of every README, type-checked in the user project
// against the packed packages, under strict mode, with `moduleResolution` node16 and bundler.
//
// Conventions, so a block is what a user can paste:
// - Each block is a whole module: its imports and everything it names are in it.
// - A block whose first line is a comment naming a file (`// app.module.ts`) is written under
//   that name, so other blocks of the same README can import it (`./app.module.js`).
// - Shapes and signatures that are not code go in ```text blocks.
// - `<!-- main-example -->` on the line before a block marks the README's main example, which the
//   examples step runs against a sandbox.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const LANGUAGES = { ts: 'ts', typescript: 'ts', tsx: 'tsx', js: 'js', javascript: 'js', mjs: 'js' };
const MAIN_MARKER = '<!-- main-example -->';
const FILE_NAME = /^\/\/ ([\w./-]+\.(?:ts|tsx|js|mjs))\s*$/;

/** Every README of the repository: the root's and each workspace package's. */
export function readmes() {
  const found = [join(root, 'README.md')];
  for (const group of ['packages', 'apps', 'examples']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'README.md');
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
}

/** The code blocks of one README with their language, first line number and file name. */
export function blocksOf(readme) {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w+)?/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`${relative(root, readme)}:${i + 1}: unclosed code block`);
    const language = LANGUAGES[fence[1] ?? ''];
    if (language) {
      const code = lines.slice(i + 1, end);
      const named = FILE_NAME.exec(code[0] ?? '');
      const previous = lines.slice(0, i).findLast((line) => line.trim() !== '');
      blocks.push({
        readme: relative(root, readme),
        line: i + 2, // the block's first line of code
        language,
        code: `${code.join('\n')}\n`,
        file: named ? named[1] : `block-${i + 2}.${language}`,
        main: previous?.trim() === MAIN_MARKER,
      });
    }
    i = end;
  }
  return blocks;
}

const COMMON = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  // Blocks are modules even without an import, so two blocks may both declare `app`.
  moduleDetection: 'force',
  // NestJS's decorators, as its starter sets them.
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  jsx: 'react-jsx',
};

/** The resolutions every block must compile under. */
export const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

/** The directory name a README's blocks are written under. */
export function slugOf(readme) {
  return readme.replace(/\/README\.md$|README\.md$/, '').replace(/\//g, '__') || 'root';
}

/**
 * Writes every block under `<project>/readmes/<readme>/`, type-checks them all once per
 * resolution and returns each block with the errors found (an empty list when it compiles).
 */
export function checkReadmeBlocks(project) {
  const base = join(project, 'readmes');
  rmSync(base, { recursive: true, force: true });
  const blocks = readmes().flatMap(blocksOf);
  const byPath = new Map();
  for (const block of blocks) {
    const dir = join(base, slugOf(block.readme));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, block.file);
    if (byPath.has(path)) {
      throw new Error(`${block.readme}:${block.line}: a second block named ${block.file}`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, block.code);
    byPath.set(relative(project, path), block);
    block.errors = [];
  }
  // The compiler API rather than tsc: tsc stops at syntax errors and would then call every other
  // block fine; asking per file gives each block its own syntax and type errors.
  const ts = typescriptOf(project);
  for (const [name, options] of Object.entries(RESOLUTIONS)) {
    const { program } = readmeProgram(ts, project, options);
    const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    if (global.length > 0) throw new Error(`tsc [${name}]: ${format(ts, global[0])}`);
    for (const [path, block] of byPath) {
      const file = program.getSourceFile(join(project, path));
      const diagnostics = [
        ...program.getSyntacticDiagnostics(file),
        ...program.getSemanticDiagnostics(file),
      ];
      for (const diagnostic of diagnostics) {
        const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        block.errors.push(
          `[${name}] ${block.readme}:${block.line + line}: ${format(ts, diagnostic)}`,
        );
      }
    }
  }
  return blocks;
}

/** The TypeScript the user project installed (not the workspace's). */
export function typescriptOf(project) {
  return createRequire(join(project, 'package.json'))('typescript');
}

/** A program over every written block, with the options of one resolution. */
export function readmeProgram(ts, project, options, overrides = {}) {
  const parsed = ts.parseJsonConfigFileContent(
    { compilerOptions: { ...COMMON, ...options, ...overrides }, include: ['readmes'] },
    ts.sys,
    project,
  );
  return { program: ts.createProgram(parsed.fileNames, parsed.options), options: parsed.options };
}

function format(ts, diagnostic) {
  return `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}
