#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig } from './config.js';
import { serveHttp } from './http.js';
import { createKabarMcp } from './server.js';

const USAGE = `kabar-mcp: WhatsApp for AI agents (MCP), through any gateway Kabar speaks.

Usage:
  kabar-mcp [--config kabar-mcp.json] [--dry-run]           stdio, for desktop clients
  kabar-mcp --http [--port 3333] [--host 127.0.0.1] [...]   Streamable HTTP at /mcp

One gateway from the environment:
  KABAR_GATEWAY           kirem, meta, qirim, waviro, kirimy, fonnte or wablas
  KABAR_API_KEY, ...      its settings (KABAR_BASE_URL, KABAR_PHONE_NUMBER_ID, ...)
Several: a JSON config file (--config or KABAR_MCP_CONFIG); see the README.

Safety:
  KABAR_MCP_ALLOW         numbers or prefixes that may receive messages (628,6281234567890),
                          or * for anyone; unset, every send is refused
  KABAR_MCP_DRY_RUN=1     validate and show the request, send nothing (also --dry-run)
  KABAR_MCP_SESSION_LIMIT sends per session, default 30/60 (30 per 60 s)
  KABAR_MCP_GLOBAL_LIMIT  sends across sessions, default 120/60
Conversations, policy and codes:
  KABAR_MCP_WEBHOOK_SECRET  receive the gateway's webhooks at /webhooks/<gateway> (with --http):
                          Kabar keeps the conversations (KABAR_MCP_VERIFY_TOKEN: Meta's handshake)
  KABAR_MCP_POLICY=1      refuse texts outside the 24-hour window and marketing to opted-out numbers
  KABAR_MCP_OTP_SECRET    one-time codes made here (16+ characters), sent through the gateway;
  KABAR_MCP_OTP_TEMPLATE  as this AUTHENTICATION template (name:language), else as a text
HTTP:
  KABAR_MCP_TOKEN         required: callers send Authorization: Bearer <token> (24+ characters)
  KABAR_MCP_ALLOWED_HOSTS Host names accepted besides 127.0.0.1 and localhost (mcp.toko.id)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      http: { type: 'boolean' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig(process.env, values.config);
  if (values['dry-run']) config.mcp.dryRun = true;
  const mcp = createKabarMcp(config.mcp);
  const mode = config.mcp.dryRun ? ' (dry run: nothing is sent)' : '';
  // stdout carries the protocol on stdio: everything for people goes to stderr.
  const say = (line: string) => process.stderr.write(`kabar-mcp: ${line}\n`);
  say(`gateways ${mcp.gateways.map((g) => `${g.name} (${g.provider.name})`).join(', ')}${mode}`);
  say(`tools ${mcp.toolNames.join(', ')}`);

  if (!values.http) {
    if (mcp.webhooks.length > 0) say('webhooks are received only with --http; ignoring them');
    await mcp.server().connect(new StdioServerTransport());
    return;
  }
  const running = await serveHttp(mcp, {
    ...config.http,
    token: config.http.token ?? '',
    port: values.port === undefined ? config.http.port : Number(values.port),
    host: values.host ?? config.http.host,
  });
  say(`listening at ${running.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kabar-mcp: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
  );
  process.exitCode = 2;
});
