import { ConversationStore } from './conversations';
import { FaultStore } from './faults';
import { IdempotencyStore } from './idempotency';
import { MediaStore } from './media';
import type { ResolvedOptions } from './options';
import { ProfileStore } from './profiles';
import { MessageStore, ReadLog } from './store';
import { TemplateStore } from './templates';
import type { Provider } from './types';
import { WebhookLogStore } from './webhook-logs';

/** Everything one sandbox remembers. Each store's reset() returns it to its initial contents. */
export interface SandboxState {
  readonly options: ResolvedOptions;
  readonly startedAt: number;
  readonly messages: MessageStore;
  readonly reads: ReadLog;
  readonly media: MediaStore;
  readonly templates: Record<Provider, TemplateStore>;
  readonly profiles: ProfileStore;
  readonly conversations: ConversationStore;
  readonly webhookLogs: WebhookLogStore;
  readonly faults: FaultStore;
  readonly idempotency: IdempotencyStore;
}

export function createState(options: ResolvedOptions): SandboxState {
  return {
    options,
    startedAt: Date.now(),
    messages: new MessageStore(options.maxMessages),
    reads: new ReadLog(options.maxMessages),
    media: new MediaStore(),
    templates: { kirem: new TemplateStore(), meta: new TemplateStore() },
    profiles: new ProfileStore(),
    conversations: new ConversationStore(),
    webhookLogs: new WebhookLogStore(options.maxMessages),
    faults: new FaultStore(),
    idempotency: new IdempotencyStore(options.maxMessages),
  };
}

export function resetState(state: SandboxState): void {
  state.messages.reset();
  state.reads.reset();
  state.media.reset();
  state.templates.kirem.reset();
  state.templates.meta.reset();
  state.profiles.reset();
  state.conversations.reset();
  state.webhookLogs.reset();
  state.faults.reset();
  state.idempotency.reset();
}
