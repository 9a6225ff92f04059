/** Runs the login example; with no settings it talks to the sandbox that `pnpm start` runs. */
import { createLoginApp } from './app.js';
import { loginSettings } from './settings.js';

const { host, port, app: options } = loginSettings();
const server = createLoginApp(options).listen(port, host, () => {
  console.log(`OTP login example on http://${host}:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
