// NestJS's CommonJS starter (`"module": "commonjs"`, so TypeScript resolves like node10 and
// ignores `exports`): every public subpath of every package must resolve, with types, and load
// with require().
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The tsconfig `nest new` generates for a CommonJS project, with skipLibCheck off so an
// unresolved import inside a package's own declarations is an error too.
const NEST_STARTER = {
  module: 'commonjs',
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: 'ES2021',
  sourceMap: true,
  outDir: './dist',
  baseUrl: './',
  incremental: false,
  skipLibCheck: false,
  strictNullChecks: true,
  noImplicitAny: false,
  strictBindCallApply: false,
  forceConsistentCasingInFileNames: true,
  noFallthroughCasesInSwitch: false,
  types: ['node'],
};

// ESM-only at heart: vitest cannot be require()d, so this entry is for ESM test files only.
const ESM_ONLY = new Set(['@kabar/sandbox/vitest']);

/** Every subpath the installed @kabar packages export, from their own package.json. */
export function exportedSubpaths(project, packages) {
  return packages.flatMap((name) => {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'),
    );
    return Object.keys(manifest.exports ?? { '.': null })
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
  });
}

/**
 * Compiles a NestJS CommonJS project that imports every subpath and registers WhatsAppModule,
 * then runs it with node. Returns `{ subpaths, errors }`.
 */
export function checkCommonJs(project, packages) {
  const dir = join(project, 'nest-commonjs');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const subpaths = exportedSubpaths(project, packages);
  const imports = subpaths.map((subpath, i) => `import * as entry${i} from '${subpath}';`);
  const loaded = subpaths.map((subpath, i) =>
    ESM_ONLY.has(subpath) ? `'types only'` : `Object.keys(entry${i}).length`,
  );
  writeFileSync(
    join(dir, 'src/main.ts'),
    `import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { kirem } from '@kabar/core/kirem';
import { WhatsAppModule, WhatsAppService } from '@kabar/nestjs';
${imports.filter((_, i) => !ESM_ONLY.has(subpaths[i])).join('\n')}
${subpaths.flatMap((subpath, i) => (ESM_ONLY.has(subpath) ? [`${imports[i].replace('import *', 'import type *')}\nexport type Entry${i} = keyof typeof entry${i};`] : [])).join('\n')}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      provider: kirem({ apiKey: 'unused-in-this-check', baseUrl: 'http://127.0.0.1:9/kirem' }),
      isGlobal: true,
    }),
  ],
})
class AppModule {}

async function main() {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const whatsapp: WhatsAppService = app.get(WhatsAppService);
  const exportsPerEntry: Array<number | string> = [${loaded.join(', ')}];
  console.log(JSON.stringify({ service: typeof whatsapp.send, exportsPerEntry }));
  await app.close();
}
void main();
`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: NEST_STARTER, include: ['src'] }, null, 2),
  );
  // dist/ sits inside this CommonJS package, and require() finds the project's node_modules.
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  const errors = [];
  const tsc = spawnSync(
    join(project, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.json', '--pretty', 'false'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) errors.push(`tsc (module commonjs): ${tsc.stdout}${tsc.stderr}`.trim());
  else {
    const run = spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) errors.push(`node dist/main.js: ${run.stdout}${run.stderr}`.trim());
    else {
      const { service, exportsPerEntry } = JSON.parse(run.stdout.trim().split('\n').pop());
      if (service !== 'function') errors.push('WhatsAppService.send is not a function');
      exportsPerEntry.forEach((count, i) => {
        if (count === 0) errors.push(`require('${subpaths[i]}') exported nothing`);
      });
    }
  }
  return { subpaths, errors };
}
