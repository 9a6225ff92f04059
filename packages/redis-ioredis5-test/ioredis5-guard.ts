import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { afterAll, expect } from 'vitest';

// The suite proves nothing about ioredis 5 and BullMQ 5 if a 6.x slipped in through a path the
// aliases miss. After each test file every ioredis and bullmq loaded must be a 5.x, ioredis must
// have been loaded, and bullmq too by the broadcast queue's tests. (Their worker processes check
// the same before they say they are ready: KABAR_REDIS_EXPECT_MAJORS in vitest.config.ts.)
afterAll(() => {
  const loaded = new Set(
    Object.keys(createRequire(import.meta.url).cache)
      .map((path) => /\/\.pnpm\/(ioredis|bullmq)@(\d+)\./.exec(path))
      .filter((match) => match !== null)
      .map(([, name, major]) => `${name}@${major}`),
  );
  const expected = ['ioredis@5'];
  if (basename(expect.getState().testPath ?? '').startsWith('broadcast-queue')) {
    expected.push('bullmq@5');
  }
  expect([...loaded].sort()).toEqual(expected.sort());
});
