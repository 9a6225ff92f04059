import type {
  ActiveFault,
  Conversation,
  ConversationInput,
  Fault,
  MessageFilter,
  Provider,
  Read,
  SandboxControl,
  SandboxInfo,
  SandboxMessage,
  TemplateStatus,
  WebhookLog,
  WebhookLogInput,
} from './types';

/** A SandboxControl whose every method is one HTTP call to the control API at `url`. */
export function createControlClient(
  url: string,
  credentials: SandboxInfo['credentials'],
): SandboxControl {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
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

  return {
    url,
    kirem: credentials.kirem,
    meta: credentials.meta,
    async messages(filter = {}) {
      const result = await required<{ messages: SandboxMessage[] }>(
        'GET',
        `/messages${query(filter)}`,
      );
      return result.messages;
    },
    async latest(filter = {}) {
      const response = await fetch(`${url}/api/v1/messages/latest${query(filter)}`);
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new Error(`kabar-sandbox: latest message failed with ${response.status}`);
      return (await response.json()) as SandboxMessage;
    },
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
    async setTemplateStatus(provider: Provider, name: string, status: TemplateStatus) {
      const path = `/templates/${provider}/${encodeURIComponent(name)}/status`;
      await call('POST', path, { status });
    },
    async reads(provider?: Provider) {
      const result = await required<{ reads: Read[] }>('GET', `/reads${query({ provider })}`);
      return result.reads;
    },
    addWebhookLog: (entry: WebhookLogInput) =>
      required<WebhookLog>('POST', '/kirem/webhook-logs', entry),
    addConversation: (conversation: ConversationInput) =>
      required<Conversation>('POST', '/kirem/conversations', conversation),
  };
}

function query(filter: MessageFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}
