import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppsScript, REQUIRED_FUNCTIONS } from '../build.mjs';

// What `pnpm run deploy` hands to `clasp push`, checked without a Google account: a copy of the
// package's clasp setup (.clasp.json.example with a script id filled in, .claspignore) in a
// temporary project whose dist/apps-script the real build writes.

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const claspBin = createRequire(import.meta.url).resolve('@google/clasp');
const SCRIPT_ID = '1kabarTestScriptId_0123456789abcdefghijklmnopqrstuvwxyz';

let project: string;
let outDir: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'kabar-clasp-'));
  outDir = path.join(project, 'dist', 'apps-script');
  const template = await readFile(path.join(packageDir, '.clasp.json.example'), 'utf8');
  await writeFile(
    path.join(project, '.clasp.json'),
    template.replace('PASTE_YOUR_SCRIPT_ID_HERE', SCRIPT_ID),
  );
  await copyFile(path.join(packageDir, '.claspignore'), path.join(project, '.claspignore'));
  // Left by an earlier build or a `clasp clone`: the build must not leave it for clasp to push.
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'Code.gs'), 'function myFunction() {}\n');
  await buildAppsScript({ outDir });
}, 60_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

function run(file: string, args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // HOME is the empty project: no clasp login of whoever runs the tests is read.
    execFile(
      process.execPath,
      [file, ...args],
      { cwd, env: { PATH: process.env.PATH, HOME: project } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the folder clasp pushes (dist/apps-script)', () => {
  it('holds exactly Code.js and appsscript.json, the manifest being the package one', async () => {
    expect((await readdir(outDir)).sort()).toEqual(['Code.js', 'appsscript.json']);
    const manifest = JSON.parse(await readFile(path.join(outDir, 'appsscript.json'), 'utf8'));
    expect(manifest).toEqual(
      JSON.parse(await readFile(path.join(packageDir, 'apps-script', 'appsscript.json'), 'utf8')),
    );
    expect(manifest.runtimeVersion).toBe('V8');
  });

  it('Code.js parses as a classic script with no import, export or require, and defines the entry points as globals', async () => {
    const codePath = path.join(outDir, 'Code.js');
    const code = await readFile(codePath, 'utf8');

    // Apps Script loads each file as a script, never as a module: `export` is a syntax error.
    expect(() => new vm.Script(code, { filename: 'Code.js' })).not.toThrow();
    expect(() => new vm.Script(`${code}\nexport {};`)).toThrow(SyntaxError);
    // esbuild's parser lists every import statement, require() and import() it finds.
    const { metafile } = await build({
      entryPoints: [codePath],
      bundle: true,
      external: ['*'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.values(metafile.inputs);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.imports).toEqual([]);

    const context = vm.createContext({});
    vm.runInContext(code, context);
    for (const name of REQUIRED_FUNCTIONS) expect(typeof context[name], name).toBe('function');
  });

  it('is all clasp would push: its own file selection (rootDir + .claspignore) lists the two files, leaving others out', async () => {
    for (const stray of ['Code.js.map', 'old.gs', 'notes/readme.md', 'sub/Code.js']) {
      await mkdir(path.dirname(path.join(outDir, stray)), { recursive: true });
      await writeFile(path.join(outDir, stray), '// not part of the script\n');
    }

    // `clasp status` lists what `clasp push` would upload; it needs a script id but no login.
    const status = await run(claspBin, ['--json', 'show-file-status'], project);

    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const { filesToPush, untrackedFiles } = JSON.parse(status.stdout) as {
      filesToPush: string[];
      untrackedFiles: string[];
    };
    expect(filesToPush.sort()).toEqual([
      'dist/apps-script/Code.js',
      'dist/apps-script/appsscript.json',
    ]);
    expect(untrackedFiles).toEqual(
      expect.arrayContaining(['dist/apps-script/Code.js.map', 'dist/apps-script/old.gs']),
    );
  });
});

describe('apps-script/check-clasp.mjs, the first step of `pnpm run deploy`', () => {
  const check = path.join(packageDir, 'apps-script', 'check-clasp.mjs');

  async function checkWith(claspJson: string | undefined) {
    const dir = await mkdtemp(path.join(tmpdir(), 'kabar-clasp-check-'));
    if (claspJson !== undefined) await writeFile(path.join(dir, '.clasp.json'), claspJson);
    try {
      return await run(check, [], dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('refuses, saying how to set clasp up, without a .clasp.json, with the template as is, or with another rootDir', async () => {
    const template = await readFile(path.join(packageDir, '.clasp.json.example'), 'utf8');
    const cases: [string | undefined, RegExp][] = [
      [undefined, /no \.clasp\.json here/],
      [template, /has no scriptId of your own yet/],
      [
        JSON.stringify({ scriptId: SCRIPT_ID }),
        /rootDir is undefined; it must be "dist\/apps-script"/,
      ],
      [
        JSON.stringify({ scriptId: 'not an id', rootDir: 'dist/apps-script' }),
        /is not an Apps Script id/,
      ],
    ];
    for (const [claspJson, problem] of cases) {
      const result = await checkWith(claspJson);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(problem);
      expect(result.stderr).toContain('clasp create --type sheets');
      expect(result.stderr).toContain('clasp clone <scriptId> --rootDir dist/apps-script');
    }
  });

  it('lets a .clasp.json with a script id and the build folder through', async () => {
    const template = await readFile(path.join(packageDir, '.clasp.json.example'), 'utf8');
    const result = await checkWith(template.replace('PASTE_YOUR_SCRIPT_ID_HERE', SCRIPT_ID));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
