// A scratch project outside the workspace, as a user would make one: `npm install` of the packed
// tarballs plus the frameworks the READMEs use, at the versions the workspace tests against.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

function workspaceVersion(manifestPath, name) {
  const manifest = JSON.parse(readFileSync(join(root, manifestPath), 'utf8'));
  const version = manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
  if (!version) throw new Error(`${manifestPath} does not pin ${name}`);
  return version;
}

/** What the READMEs import besides Kabar, pinned to what the workspace itself tests with. */
function thirdParty() {
  const pins = {
    express: 'examples/otp-login/package.json',
    '@types/express': 'packages/express/package.json',
    '@nestjs/common': 'examples/nestjs/package.json',
    '@nestjs/core': 'examples/nestjs/package.json',
    '@nestjs/platform-express': 'examples/nestjs/package.json',
    '@nestjs/config': 'examples/nestjs/package.json',
    '@nestjs/terminus': 'examples/nestjs/package.json',
    '@nestjs/testing': 'examples/nestjs/package.json',
    'reflect-metadata': 'examples/nestjs/package.json',
    rxjs: 'examples/nestjs/package.json',
    ioredis: 'packages/redis/package.json',
    bullmq: 'packages/redis/package.json',
    fastify: 'packages/fastify/package.json',
    hono: 'packages/hono/package.json',
    'prom-client': 'packages/prometheus/package.json',
    vitest: 'package.json',
    typescript: 'package.json',
  };
  return [
    ...Object.entries(pins).map(
      ([name, manifest]) => `${name}@${workspaceVersion(manifest, name)}`,
    ),
    // Not used inside the workspace: the Next.js README's route handler imports `after`.
    'next@15.5.9',
    '@types/node@20',
  ];
}

/**
 * Creates the scratch project (outside the workspace, so nothing resolves from its
 * node_modules) and installs the tarballs with npm. Returns its directory.
 */
export function createUserProject(tarballs, directory = join(tmpdir(), 'kabar-user-project')) {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'package.json'),
    `${JSON.stringify({ name: 'kabar-user-project', private: true, type: 'module' }, null, 2)}\n`,
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...Object.values(tarballs),
      ...thirdParty(),
    ],
    { cwd: directory, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return directory;
}

/** The @kabar packages installed in the project. */
export function kabarPackages(project) {
  return readdirSync(join(project, 'node_modules/@kabar')).map((name) => `@kabar/${name}`);
}
