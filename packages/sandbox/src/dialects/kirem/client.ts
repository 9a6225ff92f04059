import type { ControlCalls } from '../../control-calls.js';
import type {
  Conversation,
  ConversationInput,
  KiremControl,
  WebhookLog,
  WebhookLogInput,
} from '../../types.js';

/** Kirem's control methods, as requests to the routes in control.ts. */
export function kiremClient({ required }: ControlCalls): KiremControl {
  return {
    addWebhookLog: (entry: WebhookLogInput) =>
      required<WebhookLog>('POST', '/kirem/webhook-logs', entry),
    addConversation: (conversation: ConversationInput) =>
      required<Conversation>('POST', '/kirem/conversations', conversation),
  };
}
