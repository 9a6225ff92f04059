import { createRequire } from 'node:module';
import { afterAll, expect } from 'vitest';

// The suite proves nothing about NestJS 10 if a NestJS 11 module slipped in through a path the
// aliases miss; after each test file, every loaded @nestjs package must be a 10.x.
afterAll(() => {
  const loaded = Object.keys(createRequire(import.meta.url).cache)
    .map((path) => /\/\.pnpm\/@nestjs\+([a-z-]+)@(\d+)\./.exec(path))
    .filter((match) => match !== null)
    .map(([, name, major]) => `${name}@${major}`);
  expect(loaded.length).toBeGreaterThan(0);
  expect([...new Set(loaded)].filter((entry) => !entry.endsWith('@10'))).toEqual([]);
});
