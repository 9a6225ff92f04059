/** Runs the login example; with no settings it talks to the sandbox that `pnpm start` runs. */
import { createLoginApp } from './app.js';

const port = Number(process.env.PORT ?? 4030);
const app = createLoginApp({
  kiremApiKey: process.env.KIREM_API_KEY ?? 'kirem_test_key',
  kiremBaseUrl: process.env.KIREM_BASE_URL ?? 'http://127.0.0.1:4010/kirem',
  // Fixed defaults are fine for a local demo only; set real secrets anywhere else.
  otpSecret: process.env.OTP_SECRET ?? 'example-otp-secret-change-me',
  tokenSecret: process.env.TOKEN_SECRET ?? 'example-token-secret-change-me',
});
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`OTP login example on http://127.0.0.1:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
