// `pnpm start`: the sandbox on 127.0.0.1:4010 and the demo keyword bot on 127.0.0.1:4020, wired
// together (the sandbox posts Kirem webhooks to the bot; the bot replies through the sandbox).
import { spawn, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync(
  'turbo',
  [
    'run',
    'build',
    '--filter=@kabar/demo-keyword-bot...',
    '--filter=@kabar/example-otp-login...',
    '--output-logs=errors-only',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const processes = [
  spawn(
    process.execPath,
    [
      'packages/sandbox/dist/cli.js',
      '--port',
      '4010',
      '--host',
      '127.0.0.1',
      '--webhook-url',
      'kirem=http://127.0.0.1:4020/webhook',
    ],
    { cwd: root, stdio: 'inherit' },
  ),
  spawn(process.execPath, ['apps/keyword-bot/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: '4020' },
  }),
  spawn(process.execPath, ['examples/otp-login/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: '4030' },
  }),
];

console.log(
  '\nOpen http://127.0.0.1:4010/ and write "halo", "harga" or "bantuan" as a Kirem customer;' +
    '\nopen http://127.0.0.1:4030/ to log in with a WhatsApp code (it arrives in the inbox).\n',
);

// One stops, everything stops: a half-running demo only confuses.
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of processes) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of processes) child.on('exit', (code) => stop(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
