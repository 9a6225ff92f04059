import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig } from './config.js';
import type { RunningService } from './service.js';
import { startAgainst } from './test-support.js';

// Docker is not available where these tests run: they check what the image and the compose file
// rely on instead of building them.
const APP = join(import.meta.dirname, '..');
const ROOT = join(APP, '..', '..');
const read = (path: string) => readFileSync(path, 'utf8');
const manifest = JSON.parse(read(join(APP, 'package.json'))) as {
  name: string;
  files: string[];
  scripts: Record<string, string>;
};

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuations joined, comments dropped). */
function stages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const found: Instruction[][] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') found.push([]);
    found.at(-1)?.push({ op: op.toUpperCase(), args });
  }
  return found;
}

const [build = [], runtime = [], ...extra] = stages(read(join(APP, 'Dockerfile')));
const runs = (stage: Instruction[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);
const env = Object.fromEntries(
  runtime
    .filter((i) => i.op === 'ENV')
    .flatMap((i) => i.args.split(/\s+/).map((pair) => pair.split('=') as [string, string])),
);
const compose = read(join(APP, 'compose.yaml'));
/** The lines of one compose service (indented under its two-space indented name). */
function service(name: string): string {
  return new RegExp(`^ {2}${name}:\\n((?: {4}.*\\n|\\n)*)`, 'm').exec(compose)?.[1] ?? '';
}
/** The environment variables the configuration reads, as its JSON Schema lists them. */
const known = new Set([
  'WOO_NOTIFY_CONFIG',
  ...[...read(join(APP, 'config.schema.json')).matchAll(/Environment: (WOO_NOTIFY_\w+)/g)].map(
    (m) => m[1],
  ),
]);

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage: pinned pnpm, production dependencies only, non-root', () => {
    expect(extra).toEqual([]);
    const rootManifest = JSON.parse(read(join(ROOT, 'package.json'))) as {
      packageManager: string;
    };
    expect(build[0]?.args).toMatch(/^node:20\S* AS build$/);
    expect(runtime[0]?.args).toBe(build[0]?.args.replace(/ AS build$/, ''));
    expect(runs(build)).toContain(`npm install --global ${rootManifest.packageManager}`);
    // The lockfile the build installs from, frozen.
    expect(runs(build)).toContain('pnpm install --frozen-lockfile');
    expect(existsSync(join(ROOT, 'pnpm-lock.yaml'))).toBe(true);
    const deploy = runs(build).find((r) => r.includes(' deploy '));
    expect(deploy).toBe(`pnpm --filter ${manifest.name} --prod deploy --legacy /prod`);
    expect(runtime).toContainEqual({ op: 'COPY', args: '--from=build /prod /app' });
    const user = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user).toEqual(['node']);
    // Nothing from the workspace but the deploy output reaches the image.
    expect(runtime.filter((i) => i.op === 'COPY')).toHaveLength(1);
  });

  it('starts the file the build produces and the deploy copies, as `pnpm start` does', () => {
    const cmd = JSON.parse(runtime.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
    expect(cmd).toEqual(['node', 'dist/main.js']);
    expect(manifest.scripts.start).toBe(cmd.join(' '));
    expect(runs(build)).toContain(`pnpm --filter "${manifest.name}..." run build`);
    expect(manifest.scripts.build).toContain('src/main.ts');
    expect(existsSync(join(APP, 'dist', 'main.js'))).toBe(true);
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'config.schema.json']));
  });

  it('listens on the default port on every interface, and refuses to start with the development secrets', () => {
    expect(Number(env.WOO_NOTIFY_PORT)).toBe(defaultConfig().port);
    expect(runtime.find((i) => i.op === 'EXPOSE')?.args).toBe(String(defaultConfig().port));
    expect(env.WOO_NOTIFY_HOST).toBe('0.0.0.0');
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(/WOO_NOTIFY_WEBHOOK_SECRET, WOO_NOTIFY_ADMIN_TOKEN/);
  });

  it('keeps installed and built files out of the build context', () => {
    const ignore = read(join(APP, 'Dockerfile.dockerignore')).split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
  });
});

describe('the Dockerfile healthcheck', () => {
  const sandbox = useSandbox();
  let running: RunningService | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const healthcheck = runtime.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
  const [command = '', ...args] = JSON.parse(
    /CMD (\[.*\])$/.exec(healthcheck)?.[1] ?? '[]',
  ) as string[];
  /** Runs the healthcheck command as Docker would, in a process of its own; its exit code. */
  const probe = (port: number) =>
    new Promise<number | null>((done) => {
      const child = spawn(command === 'node' ? process.execPath : command, args, {
        env: { PATH: process.env.PATH, WOO_NOTIFY_PORT: String(port) },
        timeout: 10_000,
      });
      child.on('exit', done);
    });

  it('asks /readyz of the service on WOO_NOTIFY_PORT: healthy while it runs, unhealthy once it stops', async () => {
    expect(healthcheck).toContain('/readyz');
    running = await startAgainst(sandbox);
    expect(await probe(running.port)).toBe(0);
    const { port } = running;
    await running.close();
    running = undefined;
    expect(await probe(port)).toBe(1);
  });
});

describe('compose.yaml', () => {
  it('runs the service on Redis, after Redis answers, with no SQLite volume', () => {
    const app = service('woo-notify');
    const redis = service('redis');
    expect(app).toContain('WOO_NOTIFY_OUTBOX: redis');
    expect(app).toContain('WOO_NOTIFY_REDIS_URL: redis://redis:6379');
    expect(app).toMatch(/depends_on:\n\s+redis:\n\s+condition: service_healthy/);
    expect(app).not.toContain('volumes:');
    expect(redis).toMatch(/healthcheck:\n\s+test: \["CMD", "redis-cli", "ping"\]/);
    const context = /context: (\S+)/.exec(app)?.[1] ?? '';
    const dockerfile = /dockerfile: (\S+)/.exec(app)?.[1] ?? '';
    expect(resolve(APP, context)).toBe(resolve(ROOT));
    expect(existsSync(join(resolve(APP, context), dockerfile))).toBe(true);
    // Published on the default port, on this machine only (a reverse proxy terminates HTTPS).
    expect(app).toContain(`"127.0.0.1:${env.WOO_NOTIFY_PORT}:${env.WOO_NOTIFY_PORT}"`);
  });

  it('sets only variables the configuration reads, and they make a valid Redis configuration', () => {
    const used = [
      ...`${compose}\n${read(join(APP, 'Dockerfile'))}`.matchAll(/WOO_NOTIFY_\w+/g),
    ].map((m) => m[0]);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
    // As the container sees it: the image's ENV, then compose's, required ones given by the operator.
    const given: Record<string, string> = { ...env };
    for (const [, name, value] of service('woo-notify').matchAll(/^\s+(WOO_NOTIFY_\w+): (.*)$/gm)) {
      const fallback = /^\$\{\w+:-(.*)\}$/.exec(value ?? '')?.[1];
      given[name as string] = value?.startsWith('${')
        ? (fallback ?? `a-value-for-${name}-long-enough`)
        : (value ?? '');
    }
    given.WOO_NOTIFY_ADMIN_PHONE = '6281299991111';
    const config = loadConfig({ env: given });
    expect(config.outbox).toEqual({
      kind: 'redis',
      url: 'redis://redis:6379',
      prefix: 'woo-notify',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.gateway.baseUrl).toBe('https://api.kirem.co');
  });
});
