import type { CloudChannel } from '../../cloud-api/channel.js';
import { ProfileStore } from '../../cloud-api/profiles.js';
import { TemplateStore } from '../../cloud-api/templates.js';
import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { ConversationStore } from './conversations.js';
import { KIREM_WEBHOOK, kiremMessageEvent, kiremStatusEvent } from './webhook-format.js';
import { WebhookLogStore } from './webhook-logs.js';
import { KiremWebhookRouting } from './webhook-routing.js';

/** What one sandbox keeps for Kirem: the credentials it accepts and Kirem's own stores. */
export interface KiremState {
  readonly options: { apiKeys: NonEmpty; phoneNumberIds: NonEmpty; channelIds: NonEmpty };
  readonly templates: TemplateStore;
  /** Business profiles per channel. */
  readonly profiles: ProfileStore;
  /** Chat sessions for Kirem's MCP tools. */
  readonly conversations: ConversationStore;
  /** Kirem's analytics webhook log. */
  readonly webhookLogs: WebhookLogStore;
  /** The webhook routing targets besides the webhook URL, and the retry schedule. */
  readonly routing: KiremWebhookRouting;
  /** How the Cloud API code shared with Meta sends, receives and reports for Kirem. */
  readonly channel: CloudChannel;
}

/** The shared state with Kirem's own under `kirem`, as Kirem's handlers take it. */
export type KiremContext = SandboxState & { readonly kirem: KiremState };

/** Kirem's credentials from the options (defaults when absent) and its stores, seeded. */
export function createKiremState(options: SandboxOptions, maxMessages: number): KiremState {
  const resolved = {
    apiKeys: credentialList('kirem.apiKeys', options.kirem?.apiKeys, 'kirem_test_key'),
    phoneNumberIds: credentialList(
      'kirem.phoneNumberIds',
      options.kirem?.phoneNumberIds,
      '1234567890',
    ),
    channelIds: credentialList('kirem.channelIds', options.kirem?.channelIds, 'chan-123'),
  };
  const templates = new TemplateStore(options.templates);
  const routing = new KiremWebhookRouting();
  return {
    options: resolved,
    templates,
    profiles: new ProfileStore(),
    conversations: new ConversationStore(),
    webhookLogs: new WebhookLogStore(maxMessages),
    routing,
    channel: {
      provider: 'kirem',
      // This sandbox's own copy, so its deliveries follow its routing targets and retries.
      webhook: { ...KIREM_WEBHOOK, routing },
      templates,
      defaultPhoneNumberId: resolved.phoneNumberIds[0],
      messageEvent(event) {
        // Kirem's webhook carries the message itself, so the store keeps the event as sent.
        const payload = kiremMessageEvent(event.content, {
          // Only Meta lets a sender without a number write in.
          from: event.from ?? '',
          messageId: event.messageId,
          timestamp: event.timestamp,
          ...(event.replyTo ? { context: { id: event.replyTo } } : {}),
        });
        return { payload, event: payload };
      },
      statusEvent: kiremStatusEvent,
    },
  };
}

/**
 * Back to the seeded templates, profiles and conversations, an empty webhook log, no routing
 * targets and the default retry schedule.
 */
export function resetKiremState(kirem: KiremState): void {
  kirem.templates.reset();
  kirem.profiles.reset();
  kirem.conversations.reset();
  kirem.webhookLogs.reset();
  kirem.routing.reset();
}
