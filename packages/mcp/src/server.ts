import { randomUUID } from 'node:crypto';
import {
  type ConversationTracker,
  type CountryCode,
  createClient,
  createConversationTracker,
  KabarError,
  memoryRequestLimiter,
  type Provider,
  type RequestLimiter,
  type SendPolicy,
  type WhatsAppClient,
} from '@kabar/core';
import {
  createOtpEngine,
  type OtpEngine,
  type OtpEngineOptions,
  type OtpTemplate,
  qirimOtpEngine,
} from '@kabar/core/otp';
import { createWebhookHandler, type WebhookHandler } from '@kabar/core/webhooks';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { memoryInbox } from './inbox.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { allowlistOf, type RateWindow, type SafetyOptions } from './safety.js';
import { BROADCAST_TOOLS } from './tools/broadcast.js';
import { CONVERSATION_TOOLS } from './tools/conversations.js';
import { annotationsOf, type Gateway, type ToolDefinition } from './tools/define.js';
import { LOG_TOOLS } from './tools/logs.js';
import { NUMBER_TOOLS } from './tools/numbers.js';
import { OTP_TOOLS } from './tools/otp.js';
import { SEND_TOOLS } from './tools/send.js';
import { TEMPLATE_TOOLS } from './tools/templates.js';

/** Every tool the server knows; each is offered only where a configured gateway can do it. */
export const TOOLS: readonly ToolDefinition[] = [
  ...SEND_TOOLS,
  ...BROADCAST_TOOLS,
  ...TEMPLATE_TOOLS,
  ...LOG_TOOLS,
  ...CONVERSATION_TOOLS,
  ...OTP_TOOLS,
  ...NUMBER_TOOLS,
];

/** What `createKabarMcp` takes. */
export interface KabarMcpOptions {
  /**
   * The gateways, by the name tools show (`{ toko: kirem({...}) }`). With more than one, every
   * tool takes a `gateway` argument naming one of those that can do it.
   */
  gateways: Record<string, Provider>;
  /**
   * Who may receive messages: numbers or prefixes in international form (`'628'`), or `'*'`.
   * Empty refuses every send.
   */
  allow: readonly string[];
  /** Sends validate and answer with the HTTP request they would make; nothing goes out. */
  dryRun?: boolean;
  /** Sends (and other writes) per MCP session. Default 30 a minute. */
  perSession?: RateWindow;
  /** Sends across all sessions. Default 120 a minute. */
  global?: RateWindow;
  /** Counts the writes; default in memory. Pass `redisRequestLimiter` to share it between instances. */
  limiter?: RequestLimiter;
  /** Where numbers without a country code are from. Default `ID`. */
  defaultRegion?: CountryCode;
  /**
   * Webhooks of these gateways (by the names in `gateways`), received by `serveHttp` at
   * `/webhooks/<name>`: their customers' messages fill Kabar's own inbox, so `list_conversations`
   * and `get_conversation` work on gateways that have no inbox of their own, and they keep the
   * `policy`'s window and consent current.
   */
  webhooks?: Record<string, { secret: string; verifyToken?: string }>;
  /**
   * Core's send policy for every send: marketing to a customer who opted out is refused
   * (`opted_out`), and on Meta and Kirem a free-form message outside the 24-hour window
   * (`outside_window`). The window opens when a webhook brings the customer's message, so give
   * `webhooks` with `window`.
   */
  policy?: SendPolicy;
  /**
   * One-time codes on gateways without their own (Qirim has them): core's OTP engine makes the
   * codes, keeps only keyed hashes (in memory unless `store` is given) and sends them through the
   * gateway, as an approved AUTHENTICATION `template` or, without one, a text.
   */
  otp?: Pick<OtpEngineOptions, 'secret' | 'store' | 'codeLength' | 'ttlSeconds'> & {
    template?: OtpTemplate;
  };
}

/** A gateway's webhook endpoint, mounted by `serveHttp` at `/webhooks/<gateway>`. */
export interface McpWebhook {
  /** The gateway's name in `gateways`. */
  gateway: string;
  handler: WebhookHandler;
}

/** A Kabar MCP server's gateways and guards, made once; `server()` makes one per MCP session. */
export interface KabarMcp {
  /** The configured gateways, in order. */
  readonly gateways: readonly Gateway[];
  /** The webhook endpoints of the gateways given in `webhooks`. */
  readonly webhooks: readonly McpWebhook[];
  /** The names of the tools offered, in order. */
  readonly toolNames: readonly string[];
  /** An `McpServer` for one session (one stdio process, one Streamable HTTP session). */
  server(sessionId?: string): McpServer;
}

// The package's version, put in by the build (tsup) and by vitest.
declare const __KABAR_MCP_VERSION__: string;

/**
 * Rethrows a `KabarError` with its code and wait in front, which the model acts on:
 * `outside_window: ...`, `resend_cooldown: ... (retry after 42 s)`. Its message is already free
 * of credentials.
 */
function explain(error: unknown): never {
  if (!KabarError.isInstance(error)) throw error;
  const wait = error.retryAfter === undefined ? '' : ` (retry after ${error.retryAfter} s)`;
  throw new Error(`${error.code}: ${error.message}${wait}`);
}

/** The gateway's own OTP, or the engine the `otp` option describes, or none. */
function otpEngineOf(client: WhatsAppClient, otp: KabarMcpOptions['otp']): OtpEngine | undefined {
  if (client.supports('otp')) return qirimOtpEngine(client);
  if (!otp) return undefined;
  const { template, ...engine } = otp;
  return createOtpEngine({ ...engine, delivery: { client, template } });
}

/**
 * Kabar's MCP server: WhatsApp tools over the given gateways, each offered only where one of
 * them can do it (core's capability table), with the allowlist, dry runs, rate limits,
 * idempotency keys and confirmations in front of every send. Throws `invalid_config` for no
 * gateway or a malformed allowlist entry.
 *
 * @example
 * ```ts
 * import { kirem } from '@kabar/core/kirem';
 * import { createKabarMcp } from '@kabar/mcp';
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 *
 * const mcp = createKabarMcp({
 *   gateways: { kirem: kirem({ apiKey: process.env.KIREM_API_KEY ?? '' }) },
 *   allow: ['628'],
 * });
 * await mcp.server().connect(new StdioServerTransport());
 * ```
 */
export function createKabarMcp(options: KabarMcpOptions): KabarMcp {
  const { policy } = options;
  const webhookOptions = options.webhooks ?? {};
  const gateways: Gateway[] = Object.entries(options.gateways).map(([name, provider]) => {
    const client = createClient({ provider, defaultRegion: options.defaultRegion ?? 'ID', policy });
    return {
      name,
      provider,
      client,
      inbox: webhookOptions[name] ? memoryInbox() : undefined,
      otp: otpEngineOf(client, options.otp),
    };
  });
  if (gateways.length === 0) {
    throw new KabarError('invalid_config', 'kabar-mcp: configure at least one gateway');
  }
  const tracker: ConversationTracker | undefined = policy
    ? createConversationTracker({
        window: policy.window?.store,
        business: policy.window?.business,
        consent: policy.consent,
        now: policy.now,
      })
    : undefined;
  const webhooks = Object.entries(webhookOptions).map(([name, { secret, verifyToken }]) => {
    const gateway = gateways.find((candidate) => candidate.name === name);
    if (!gateway) {
      throw new KabarError('invalid_config', `kabar-mcp: webhooks.${name} names no gateway`);
    }
    const handler = createWebhookHandler({
      provider: gateway.provider.name as never,
      secret,
      verifyToken,
      tracker,
      onEvents: (events) => gateway.inbox?.receive(events),
      logger: {
        warn: (message) => process.stderr.write(`kabar-mcp: ${message}\n`),
        error: (message) => process.stderr.write(`kabar-mcp: ${message}\n`),
      },
    });
    return { gateway: name, handler };
  });
  const safety: SafetyOptions = {
    allow: allowlistOf(options.allow),
    dryRun: options.dryRun,
    perSession: options.perSession,
    global: options.global,
    limiter: options.limiter ?? memoryRequestLimiter(),
    defaultRegion: options.defaultRegion,
  };
  const offered = TOOLS.map((tool) => ({
    tool,
    able: gateways.filter((gateway) => tool.offered(gateway)),
  })).filter(({ able }) => able.length > 0);

  return {
    gateways,
    webhooks,
    toolNames: offered.map(({ tool }) => tool.name),
    server(sessionId = randomUUID()) {
      const server = new McpServer(
        { name: 'kabar-mcp', title: 'Kabar WhatsApp', version: __KABAR_MCP_VERSION__ },
        {
          instructions:
            'WhatsApp through Kabar. Numbers are in international form (6281234567890). Sends reach real people: only allowlisted numbers are accepted, and broadcasts and new templates need a person to confirm them.',
        },
      );
      for (const { tool, able } of offered) {
        const names = able.map((gateway) => gateway.name) as [string, ...string[]];
        const input =
          gateways.length > 1
            ? {
                ...tool.input,
                gateway: z.enum(names).optional().describe(`Which gateway; default ${names[0]}`),
              }
            : tool.input;
        server.registerTool(
          tool.name,
          {
            title: tool.title,
            description: tool.description,
            inputSchema: input,
            annotations: { title: tool.title, ...annotationsOf(tool.effect) },
          },
          async (args: Record<string, unknown>) => {
            const wanted = args.gateway;
            const gateway = able.find((g) => g.name === wanted) ?? (able[0] as Gateway);
            const value = await tool
              .run(args as never, { gateway, safety, sessionId, server })
              .catch(explain);
            return { content: [{ type: 'text', text: JSON.stringify(value ?? null, null, 2) }] };
          },
        );
      }
      registerResources(server, gateways);
      registerPrompts(server, gateways);
      return server;
    },
  };
}
