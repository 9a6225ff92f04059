#!/usr/bin/env node
import { parseCliArgs, USAGE } from './cli-args.js';
import { startSandbox } from './index.js';
import { VERSION } from './options.js';
import { DIALECT_LIST } from './sandbox.js';
import type { RunningSandbox, WebhookConfig } from './types.js';

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

  const sandbox = await startSandbox(command.options);
  process.stdout.write(
    banner(sandbox, await sandbox.webhooks(), command.options.enforceWindow === true),
  );

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

function banner(
  sandbox: RunningSandbox,
  webhooks: WebhookConfig[],
  enforceWindow: boolean,
): string {
  return [
    `kabar-sandbox ${VERSION} listening on ${sandbox.url}`,
    `  inbox        ${sandbox.url}/`,
    `  control API  ${sandbox.url}/api/v1`,
    ...DIALECT_LIST.map(
      (dialect) => `  ${dialect.name.padEnd(13)}${dialect.banner(sandbox[dialect.name])}`,
    ),
    ...webhooks.map((webhook) => `  webhook      ${webhook.provider} -> ${webhook.url}`),
    ...(enforceWindow ? ['  24h window   enforced on kirem and meta (131047 outside it)'] : []),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kabar-sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
