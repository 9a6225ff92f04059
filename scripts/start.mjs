// `pnpm start`: the sandbox on 127.0.0.1:4010, the demo keyword bot on :4020 (Kirem webhooks), the
// OTP login example on :4030, the NestJS example on :4040 (Meta webhooks), the WooCommerce
// order notifier on :4050 and the MCP server on :4060 (Streamable HTTP), wired together: the sandbox posts each gateway's webhooks to its app,
// and the apps send through the sandbox.
import { spawn, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
// Every package, not only the demos': the CLIs the READMEs name (kabar-sheets, the n8n nodes)
// exist after the README's two commands.
const build = spawnSync('turbo', ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

// Published here on purpose: the MCP server below listens on 127.0.0.1 and reaches only the sandbox.
const MCP_DEV_TOKEN = 'kabar-mcp-local-dev-token-0000';

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
      '--webhook-url',
      'meta=http://127.0.0.1:4040/whatsapp/webhook',
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
  spawn(process.execPath, ['examples/nestjs/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: '4040' },
  }),
  spawn(process.execPath, ['dist/main.js'], {
    cwd: `${root}apps/woo-notify`,
    stdio: 'inherit',
    env: { ...process.env, WOO_NOTIFY_PORT: '4050' },
  }),
  // The sandbox's published Kirem key, and a token for this machine only (it listens on loopback).
  spawn(process.execPath, ['packages/mcp/dist/cli.js', '--http', '--port', '4060'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      KABAR_GATEWAY: 'kirem',
      KABAR_API_KEY: 'kirem_test_key',
      KABAR_BASE_URL: 'http://127.0.0.1:4010/kirem',
      KABAR_MCP_ALLOW: '628',
      KABAR_MCP_TOKEN: MCP_DEV_TOKEN,
    },
  }),
];

console.log(
  '\nOpen http://127.0.0.1:4010/ and write "halo", "harga" or "bantuan" as a Kirem customer;' +
    '\nopen http://127.0.0.1:4030/ to log in with a WhatsApp code (it arrives in the inbox);' +
    '\nwrite "halo" as a Meta customer for the NestJS shop bot on :4040, or ship an order with' +
    '\n  curl -X POST http://127.0.0.1:4040/orders/1042/shipped -H "content-type: application/json" \\' +
    '\n    -H "authorization: Bearer example-admin-token-change-me" \\' +
    '\n    -d \'{"phone":"081234567890","name":"Budi","courier":"JNE","trackingNumber":"JN123"}\'' +
    '\nand post a signed WooCommerce order to the notifier on :4050 with' +
    '\n  node apps/woo-notify/scripts/post-sample-order.mjs' +
    '\nAn AI agent can send through the MCP server at http://127.0.0.1:4060/mcp with' +
    `\n  Authorization: Bearer ${MCP_DEV_TOKEN}; try` +
    `\n  npx @modelcontextprotocol/inspector --cli http://127.0.0.1:4060/mcp --transport http --header "Authorization: Bearer ${MCP_DEV_TOKEN}" --method tools/list\n`,
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
