import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    kirem: 'src/providers/kirem.ts',
    meta: 'src/providers/meta.ts',
    qirim: 'src/providers/qirim.ts',
    kirimy: 'src/providers/kirimy.ts',
    waviro: 'src/providers/waviro.ts',
    webhooks: 'src/webhooks/index.ts',
    bot: 'src/bot/index.ts',
    otp: 'src/otp/index.ts',
    broadcast: 'src/broadcast/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  splitting: true,
  sourcemap: false,
});
