import { type ControlCalls, createControlCalls } from './control-calls.js';
import { DIALECT_LIST } from './sandbox.js';
import type {
  ActiveFault,
  ClockState,
  ConversationPage,
  DeliveredMessage,
  DeliveryFilter,
  DialectControls,
  Fault,
  ForcedStatus,
  InboundInput,
  MessageDetail,
  MessageFilter,
  MessagePage,
  Provider,
  Read,
  SandboxControl,
  SandboxInfo,
  SandboxMessage,
  SandboxSession,
  SandboxSettings,
  SharedControl,
  StatusError,
  TemplateProvider,
  TemplateStatus,
  WebhookConfig,
  WebhookDelivery,
  WebhookProvider,
  WebhookTarget,
} from './types.js';

/** A SandboxControl whose every method is one HTTP call to the control API at `url`. */
export function createControlClient(
  url: string,
  credentials: SandboxInfo['credentials'],
): SandboxControl {
  const calls = createControlCalls(url);
  return {
    url,
    // Each gateway's credentials, under its name, as /api/v1/info reported them.
    ...credentials,
    ...sharedMethods(calls),
    ...dialectMethods(calls),
  };
}

// Every DialectControls entry intersected. TypeScript has no operator for that, so it is inferred
// from one function per provider taking that entry: inferring one parameter from them intersects.
type DialectMethods = {
  [P in Provider]: (methods: DialectControls[P]) => void;
}[Provider] extends (methods: infer All) => void
  ? All
  : never;

// The return type is a Pick of SandboxControl so that a DialectControls entry its extends list
// leaves out is a compile error here; one it has but the table lacks fails in createControlClient.
function dialectMethods(calls: ControlCalls): Pick<SandboxControl, keyof DialectMethods> {
  // The cast adds nothing the table does not guarantee: its `satisfies` gives every provider a
  // dialect whose client returns that provider's DialectControls entry, so merging them all has
  // every entry's methods.
  return Object.assign(
    {},
    ...DIALECT_LIST.map((dialect) => dialect.client(calls)),
  ) as DialectMethods;
}

function sharedMethods({
  call,
  required,
  optional,
  query,
}: ControlCalls): Omit<SharedControl, 'url' | Provider> {
  return {
    async messages(filter = {}) {
      const result = await required<{ messages: SandboxMessage[] }>(
        'GET',
        `/messages${query(filter)}`,
      );
      return result.messages;
    },
    latest: (filter = {}) => optional<SandboxMessage>(`/messages/latest${query(filter)}`),
    async clear() {
      await call('DELETE', '/messages');
    },
    async reset() {
      await call('POST', '/reset');
    },
    /** GET /api/v1/export: the session as one JSON document. */
    exportSession: () => required<SandboxSession>('GET', '/export'),
    /** POST /api/v1/import: a reset, then the document's content; a malformed one rejects (400). */
    async importSession(session: SandboxSession) {
      await call('POST', '/import', session);
    },
    fault: (fault: Fault) => required<ActiveFault>('POST', '/faults', fault),
    async clearFaults() {
      await call('DELETE', '/faults');
    },
    async setTemplateStatus(
      provider: TemplateProvider,
      name: string,
      status: TemplateStatus,
      reason?: string,
    ) {
      const path = `/templates/${provider}/${encodeURIComponent(name)}/status`;
      await call('POST', path, { status, ...(reason === undefined ? {} : { reason }) });
    },
    async reads(provider?: Provider) {
      const result = await required<{ reads: Read[] }>('GET', `/reads${query({ provider })}`);
      return result.reads;
    },
    setWebhook: (provider: WebhookProvider, target: WebhookTarget) =>
      required<WebhookConfig>('PUT', `/webhooks/${provider}`, target),
    async webhooks() {
      return (await required<{ webhooks: WebhookConfig[] }>('GET', '/webhooks')).webhooks;
    },
    async removeWebhook(provider: WebhookProvider) {
      await call('DELETE', `/webhooks/${provider}`);
    },
    inbound: (input: InboundInput) => required<DeliveredMessage>('POST', '/inbound', input),
    async deliveries(filter: DeliveryFilter = {}) {
      const path = `/webhooks/deliveries${query({ provider: filter.provider })}`;
      return (await required<{ deliveries: WebhookDelivery[] }>('GET', path)).deliveries;
    },
    redeliver: (id: string) =>
      required<WebhookDelivery>('POST', `/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`),
    setMessageStatus: (id: string, status: ForcedStatus, error?: StatusError) =>
      required<DeliveredMessage>('POST', `/messages/${encodeURIComponent(id)}/status`, {
        status,
        ...(error ? { error } : {}),
      }),
    settings: () => required<SandboxSettings>('GET', '/settings'),
    setEnforceWindow: (on: boolean) =>
      required<SandboxSettings>('PUT', '/settings', { enforceWindow: on }),
    clock: () => required<ClockState>('GET', '/clock'),
    advanceClock: (ms: number) => required<ClockState>('POST', '/clock', { advanceMs: ms }),
    searchMessages: (filter: MessageFilter = {}) =>
      required<MessagePage>('GET', `/messages${query(filter)}`),
    conversations: (filter: MessageFilter = {}) =>
      required<ConversationPage>('GET', `/conversations${query(filter)}`),
    messageDetail: (id: string) =>
      optional<MessageDetail>(`/messages/${encodeURIComponent(id)}/detail`),
  };
}
