import type { AddressInfo } from 'node:net';
import { createControlClient } from './control-client';
import { resolveOptions, sandboxInfo } from './options';
import { createSandboxServer } from './server';
import { createState } from './state';
import type { RunningSandbox, SandboxControl, SandboxInfo, SandboxOptions } from './types';

export type {
  ActiveFault,
  Conversation,
  ConversationInput,
  ConversationMessage,
  DeliveredMessage,
  Deliveries,
  DeliveryFilter,
  DeliveryKind,
  Fault,
  ForcedStatus,
  InboundInput,
  InboundMedia,
  KiremCredentials,
  KirimyCredentials,
  KirimySession,
  KirimySessionPatch,
  MessageFilter,
  MessageStatus,
  MetaCredentials,
  Provider,
  QirimCredentials,
  QirimOtp,
  QirimTemplate,
  Read,
  RunningSandbox,
  SandboxControl,
  SandboxInfo,
  SandboxMessage,
  SandboxOptions,
  StatusError,
  Template,
  TemplateCategory,
  TemplateComponent,
  TemplateProvider,
  TemplateStatus,
  UserPreferenceInput,
  WaviroAck,
  WaviroConnection,
  WaviroCredentials,
  WaviroGroup,
  WaviroKeyword,
  WaviroNumber,
  WebhookConfig,
  WebhookDelivery,
  WebhookLog,
  WebhookLogInput,
  WebhookProvider,
  WebhookTarget,
  WebhookVerification,
} from './types';

/** Starts a sandbox in this process. Resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const resolved = resolveOptions(options);
  const server = createSandboxServer(createState(resolved));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(resolved.host)}:${port}`;
  const control = createControlClient(url, sandboxInfo(resolved, url).credentials);
  return {
    ...control,
    port,
    host: resolved.host,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from the client under test would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** The test helper: a sandbox on a free port, same as startSandbox with its default port 0. */
export function createSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ ...options, port: options.port ?? 0 });
}

/** Controls a sandbox that is already running elsewhere (another process, a container). */
export async function connectSandbox(url: string): Promise<SandboxControl> {
  const base = url.replace(/\/+$/, '');
  const response = await fetch(`${base}/api/v1/info`);
  if (!response.ok) {
    throw new Error(`kabar-sandbox: GET ${base}/api/v1/info failed with ${response.status}`);
  }
  const info = (await response.json()) as SandboxInfo;
  return createControlClient(base, info.credentials);
}

// A wildcard bind address is not something a client can connect to; loopback reaches it.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
