#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseCliArgs, USAGE } from './cli-args.js';
import { startSandbox } from './index.js';
import { VERSION } from './options.js';
import { DIALECT_LIST, WEBHOOK_WIRES } from './sandbox.js';
import type { RunningSandbox, SandboxOptions, WebhookConfig } from './types.js';

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (command.kind === 'error') {
    process.stderr.write(`kabar-sandbox: ${command.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }

  const { port, host } = command.options;
  const sandbox = await startSandbox(command.options).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `port ${port} on ${host} is in use (another kabar-sandbox, or \`pnpm start\` already running?). Stop it, or choose another port: --port <n>, or --port 0 for any free one`,
    );
  });
  process.stdout.write(banner(sandbox, await sandbox.webhooks(), command.options));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`kabar-sandbox: ${signal}, shutting down\n`);
    await sandbox.close();
    // Requests held by an injected latency fault would otherwise keep the process alive.
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The webhook secrets deliveries are signed with, each gateway's configured or default one. */
function secretLines(webhooks: WebhookConfig[]): string[] {
  return WEBHOOK_WIRES.flatMap((wire) => {
    const secret =
      webhooks.find((webhook) => webhook.provider === wire.provider)?.secret ?? wire.defaultSecret;
    // Wablas signs nothing: there is no secret to give the receiving app.
    return secret ? [`  secret       ${wire.provider.padEnd(7)}${secret}`] : [];
  });
}

function banner(
  sandbox: RunningSandbox,
  webhooks: WebhookConfig[],
  options: SandboxOptions,
): string {
  const templates =
    options.templates === 'none'
      ? 'none (--no-seed)'
      : 'the documented ones and broadcast_promo, notif_pesanan_baru, order_shipped, pesan_baru, kode_masuk (approved)';
  return [
    `kabar-sandbox ${VERSION} listening on ${sandbox.url}`,
    `  inbox        ${sandbox.url}/`,
    `  control API  ${sandbox.url}/api/v1`,
    ...DIALECT_LIST.map(
      (dialect) => `  ${dialect.name.padEnd(13)}${dialect.banner(sandbox[dialect.name])}`,
    ),
    ...webhooks.map((webhook) => `  webhook      ${webhook.provider} -> ${webhook.url}`),
    '  webhook secrets your app checks signatures with:',
    ...secretLines(webhooks),
    `  templates    ${templates}`,
    ...(options.dataFile
      ? [`  data         ${resolve(options.dataFile)} (messages, templates, media, deliveries)`]
      : []),
    ...(options.enforceWindow
      ? ['  24h window   enforced on kirem and meta (131047 outside it)']
      : []),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kabar-sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
