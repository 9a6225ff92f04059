import type {
  ActiveFault,
  ClockState,
  Conversation,
  ConversationInput,
  DeliveredMessage,
  Deliveries,
  DeliveryFilter,
  Fault,
  FonnteDevice,
  FonnteDeviceChange,
  FonnteDevicePatch,
  FonnteGroup,
  ForcedStatus,
  InboundInput,
  KirimySession,
  KirimySessionPatch,
  MessageFilter,
  Provider,
  QirimOtp,
  QirimTemplate,
  Read,
  SandboxControl,
  SandboxInfo,
  SandboxMessage,
  SandboxSettings,
  StatusError,
  TemplateProvider,
  TemplateStatus,
  UserPreferenceInput,
  WablasDevice,
  WablasDevicePatch,
  WablasNumber,
  WaviroAck,
  WaviroConnection,
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
} from './types.js';

/** A SandboxControl whose every method is one HTTP call to the control API at `url`. */
export function createControlClient(
  url: string,
  credentials: SandboxInfo['credentials'],
): SandboxControl {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    // The control API takes writes only as JSON, bodiless ones (reset, redeliver) included.
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' } }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined;
    const payload = await response.json();
    if (!response.ok) {
      const detail = (payload as { error?: string }).error ?? JSON.stringify(payload);
      throw new Error(
        `kabar-sandbox: ${method} /api/v1${path} failed with ${response.status}: ${detail}`,
      );
    }
    return payload as T;
  }

  async function required<T>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await call<T>(method, path, body);
    if (result === undefined)
      throw new Error(`kabar-sandbox: ${method} /api/v1${path} returned no body`);
    return result;
  }

  /** A GET whose 404 means "there is none". */
  async function optional<T>(path: string): Promise<T | undefined> {
    const response = await fetch(`${url}/api/v1${path}`);
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`kabar-sandbox: GET /api/v1${path} failed with ${response.status}`);
    return (await response.json()) as T;
  }

  return {
    url,
    // Each gateway's credentials, under its name, as /api/v1/info reported them.
    ...credentials,
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
    addWebhookLog: (entry: WebhookLogInput) =>
      required<WebhookLog>('POST', '/kirem/webhook-logs', entry),
    addConversation: (conversation: ConversationInput) =>
      required<Conversation>('POST', '/kirem/conversations', conversation),
    async kirimySessions() {
      const result = await required<{ sessions: KirimySession[] }>('GET', '/kirimy/sessions');
      return result.sessions;
    },
    setKirimySession: (id: string, patch: KirimySessionPatch) =>
      required<KirimySession>('POST', `/kirimy/sessions/${encodeURIComponent(id)}`, patch),
    qirimOtp: (phone: string) => optional<QirimOtp>(`/qirim/otp${query({ phone })}`),
    addQirimTemplate: (template: QirimTemplate) =>
      required<QirimTemplate>('POST', '/qirim/templates', template),
    addWaviroGroup: (group: { id: string; name: string }) =>
      required<WaviroGroup>('POST', '/waviro/groups', group),
    async waviroGroups() {
      return (await required<{ groups: WaviroGroup[] }>('GET', '/waviro/groups')).groups;
    },
    setWaviroConnection: (connection: { authenticated: boolean; number?: string }) =>
      required<WaviroConnection>('POST', '/waviro/connection', connection),
    setWaviroNumber: (number: WaviroNumber) =>
      required<WaviroNumber>('POST', '/waviro/numbers', number),
    async waviroAcks() {
      return (await required<{ acks: WaviroAck[] }>('GET', '/waviro/acks')).acks;
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
    userPreference: (input: UserPreferenceInput) =>
      required<Deliveries>('POST', '/user-preferences', input),
    addWaviroKeyword: (keyword: WaviroKeyword) =>
      required<WaviroKeyword>('POST', '/waviro/keywords', keyword),
    fonnteDevice: () => required<FonnteDevice>('GET', '/fonnte/device'),
    setFonnteDevice: (patch: FonnteDevicePatch) =>
      required<FonnteDeviceChange>('PUT', '/fonnte/device', patch),
    addFonnteGroup: (group: FonnteGroup) => required<FonnteGroup>('POST', '/fonnte/groups', group),
    async fonnteGroups() {
      return (await required<{ groups: FonnteGroup[] }>('GET', '/fonnte/groups')).groups;
    },
    async setFonnteUnregistered(numbers: string[]) {
      const path = '/fonnte/unregistered';
      return (await required<{ numbers: string[] }>('PUT', path, { numbers })).numbers;
    },
    wablasDevice: () => required<WablasDevice>('GET', '/wablas/device'),
    setWablasDevice: (patch: WablasDevicePatch) =>
      required<WablasDevice>('PUT', '/wablas/device', patch),
    setWablasNumber: (number: WablasNumber) =>
      required<WablasNumber>('PUT', '/wablas/numbers', number),
    verifyMetaWebhook: (verifyToken: string) =>
      required<WebhookVerification>('POST', '/webhooks/meta/verify', { verifyToken }),
    settings: () => required<SandboxSettings>('GET', '/settings'),
    setEnforceWindow: (on: boolean) =>
      required<SandboxSettings>('PUT', '/settings', { enforceWindow: on }),
    clock: () => required<ClockState>('GET', '/clock'),
    advanceClock: (ms: number) => required<ClockState>('POST', '/clock', { advanceMs: ms }),
  };
}

function query(filter: MessageFilter | Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}
