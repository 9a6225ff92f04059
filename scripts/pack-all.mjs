// Packs every public package into .packs/ as npm would receive it: pnpm replaces each
// `workspace:` range with the real version, which npm itself cannot install
// (EUNSUPPORTEDPROTOCOL). Run after the build; prints the tarballs' paths.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** The workspace packages that are published: every `packages/*` not marked private. */
export function publicPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, 'package.json')))
    .map((path) => ({
      path,
      manifest: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => manifest.private !== true);
}

// The pinned pnpm, as the README's commands get it (corepack is not relied on).
function pnpm(args, cwd) {
  return execFileSync('npx', ['-y', 'pnpm@10.34.9', ...args], { cwd, encoding: 'utf8' });
}

/** Packs every public package into `destination`; returns the tarballs by package name. */
export function packAll(destination = join(root, '.packs')) {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const packages = publicPackages();
  for (const { path, manifest } of packages) {
    if (!existsSync(join(path, 'dist'))) {
      throw new Error(`${manifest.name} has no dist/: run the build first (pnpm build)`);
    }
  }
  const filters = packages.flatMap(({ manifest }) => ['--filter', manifest.name]);
  pnpm(['-r', ...filters, 'pack', '--pack-destination', destination], root);
  const tarballs = {};
  for (const { manifest } of packages) {
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    if (!existsSync(join(destination, file))) throw new Error(`pnpm pack made no ${file}`);
    tarballs[manifest.name] = join(destination, file);
  }
  return tarballs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, file] of Object.entries(packAll())) console.log(`${name}\t${file}`);
}
