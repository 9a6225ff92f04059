import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // @kabar/nestjs's own tests and sources, with every @nestjs import answered by NestJS 10 from
  // this package instead of the NestJS 11 that @kabar/nestjs develops against.
  resolve: {
    alias: [
      {
        find: /^@nestjs\/(common|core|testing|terminus|platform-express|platform-fastify)$/,
        replacement: `${here('./node_modules/@nestjs')}/$1`,
      },
    ],
  },
  test: {
    dir: here('../nestjs/src'),
    include: ['**/*.test.ts'],
    setupFiles: [here('./nest10-guard.ts')],
    testTimeout: 15_000,
  },
});
