export { type CliConfig, loadConfig } from './config.js';
export { type DryRunRequest, dryRunSend } from './dry-run.js';
export { type HttpOptions, MIN_TOKEN_LENGTH, type RunningHttp, serveHttp } from './http.js';
export type { Inbox, InboxConversation, InboxMessage } from './inbox.js';
export { type RateWindow, Refusal, type SafetyOptions } from './safety.js';
export {
  createKabarMcp,
  type KabarMcp,
  type KabarMcpOptions,
  type McpWebhook,
  TOOLS,
} from './server.js';
export { MAX_BROADCAST } from './tools/broadcast.js';
export type { Gateway, ToolContext, ToolDefinition, ToolEffect } from './tools/define.js';
