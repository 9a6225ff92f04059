import { BlockLists } from './block-list';
import { ConversationStore } from './conversations';
import { SandboxEvents } from './events';
import { FaultStore } from './faults';
import { IdempotencyStore } from './idempotency';
import { KIRIMY_REQUESTS_PER_MINUTE } from './kirimy';
import { KirimySessions } from './kirimy-sessions';
import { MediaStore } from './media';
import type { ResolvedOptions } from './options';
import { ProfileStore } from './profiles';
import { QirimBatches, QirimTemplates } from './qirim-notifications';
import { QirimOtps } from './qirim-otp';
import { RateWindow } from './rate-window';
import { ResumableUploads } from './resumable-uploads';
import { Clock, ServiceWindows } from './service-window';
import { MessageStore, ReadLog } from './store';
import { TemplateStore } from './templates';
import type { TemplateProvider } from './types';
import { WaviroAcks } from './waviro-acks';
import { WaviroBot } from './waviro-bot';
import { WaviroKeywords } from './waviro-keywords';
import { WebhookTargets } from './webhook-config';
import { WebhookDeliveries } from './webhook-delivery';
import { WebhookLogStore } from './webhook-logs';

/** Everything one sandbox remembers. Each store's reset() returns it to its initial contents. */
export interface SandboxState {
  readonly options: ResolvedOptions;
  readonly startedAt: number;
  /** Real time plus what tests advanced it by (Kirem's and Meta's messages, webhooks, windows). */
  readonly clock: Clock;
  /** WhatsApp's 24-hour customer service windows on Kirem and Meta, and whether they are enforced. */
  readonly windows: ServiceWindows;
  readonly events: SandboxEvents;
  readonly messages: MessageStore;
  readonly reads: ReadLog;
  readonly media: MediaStore;
  /** Meta's Resumable Upload API sessions and the files they finished. */
  readonly uploads: ResumableUploads;
  /** Meta's Block Users API: who each business number has blocked. */
  readonly blocked: BlockLists;
  readonly templates: Record<TemplateProvider, TemplateStore>;
  readonly profiles: ProfileStore;
  readonly conversations: ConversationStore;
  readonly webhookLogs: WebhookLogStore;
  readonly webhooks: WebhookTargets;
  readonly deliveries: WebhookDeliveries;
  readonly faults: FaultStore;
  readonly idempotency: IdempotencyStore;
  readonly kirimy: { readonly sessions: KirimySessions; readonly rate: RateWindow };
  readonly qirim: {
    readonly otps: QirimOtps;
    readonly templates: QirimTemplates;
    readonly batches: QirimBatches;
  };
  readonly waviro: {
    readonly bot: WaviroBot;
    readonly acks: WaviroAcks;
    readonly keywords: WaviroKeywords;
  };
}

export function createState(options: ResolvedOptions): SandboxState {
  const webhookLogs = new WebhookLogStore(options.maxMessages);
  const events = new SandboxEvents();
  return {
    options,
    startedAt: Date.now(),
    clock: new Clock(),
    windows: new ServiceWindows(options.enforceWindow),
    events,
    messages: new MessageStore(options.maxMessages, (message) =>
      events.emit({ type: 'message.created', data: message }),
    ),
    reads: new ReadLog(options.maxMessages, (read) =>
      events.emit({ type: 'read.created', data: read }),
    ),
    media: new MediaStore(options.maxMediaBytes, options.maxMessages),
    uploads: new ResumableUploads(options.maxMediaBytes, options.maxMessages),
    blocked: new BlockLists(),
    templates: { kirem: new TemplateStore(), meta: new TemplateStore() },
    profiles: new ProfileStore(),
    conversations: new ConversationStore(),
    webhookLogs,
    webhooks: new WebhookTargets(options.webhooks),
    // Kirem's own analytics API lists its webhook deliveries, so each one is logged there too.
    deliveries: new WebhookDeliveries(options.maxMessages, (delivery) => {
      events.emit({ type: 'delivery.created', data: delivery });
      if (delivery.provider !== 'kirem') return;
      webhookLogs.add({
        url: delivery.url,
        event: delivery.kind === 'status' ? 'messages.status' : 'messages.received',
        status_code: delivery.status ?? 0,
        is_success: delivery.status !== null && delivery.status >= 200 && delivery.status < 300,
        duration_ms: delivery.durationMs,
      });
    }),
    faults: new FaultStore(),
    idempotency: new IdempotencyStore(options.maxMessages),
    qirim: {
      otps: new QirimOtps(options.qirim.otpDailyLimit),
      templates: new QirimTemplates(),
      batches: new QirimBatches(options.maxMessages),
    },
    waviro: {
      bot: new WaviroBot(),
      acks: new WaviroAcks(options.maxMessages),
      keywords: new WaviroKeywords(),
    },
    kirimy: {
      sessions: new KirimySessions(),
      rate: new RateWindow(KIRIMY_REQUESTS_PER_MINUTE, 60_000),
    },
  };
}

export function resetState(state: SandboxState): void {
  state.clock.reset();
  state.windows.reset();
  state.messages.reset();
  state.reads.reset();
  state.media.reset();
  state.uploads.reset();
  state.blocked.reset();
  state.templates.kirem.reset();
  state.templates.meta.reset();
  state.profiles.reset();
  state.conversations.reset();
  state.webhookLogs.reset();
  state.webhooks.reset();
  state.deliveries.reset();
  state.faults.reset();
  state.idempotency.reset();
  state.kirimy.sessions.reset();
  state.kirimy.rate.reset();
  state.qirim.otps.reset();
  state.qirim.templates.reset();
  state.qirim.batches.reset();
  state.waviro.bot.reset();
  state.waviro.acks.reset();
  state.waviro.keywords.reset();
  state.events.emit({ type: 'sandbox.reset', data: {} });
}
