import type { ControlCalls } from '../../control-calls.js';
import type {
  Conversation,
  ConversationInput,
  KiremControl,
  KiremWebhookRetry,
  KiremWebhookTarget,
  KiremWebhookTargetInput,
  WebhookLog,
  WebhookLogInput,
} from '../../types.js';

/** Kirem's control methods, as requests to the routes in control.ts and routing-control.ts. */
export function kiremClient({ call, required }: ControlCalls): KiremControl {
  const targetPath = (id: string) => `/kirem/webhook-targets/${encodeURIComponent(id)}`;
  return {
    addWebhookLog: (entry: WebhookLogInput) =>
      required<WebhookLog>('POST', '/kirem/webhook-logs', entry),
    addConversation: (conversation: ConversationInput) =>
      required<Conversation>('POST', '/kirem/conversations', conversation),
    async kiremWebhookTargets() {
      const result = await required<{ targets: KiremWebhookTarget[] }>(
        'GET',
        '/kirem/webhook-targets',
      );
      return result.targets;
    },
    addKiremWebhookTarget: (target: KiremWebhookTargetInput) =>
      required<KiremWebhookTarget>('POST', '/kirem/webhook-targets', target),
    setKiremWebhookTarget: (id: string, target: Omit<KiremWebhookTarget, 'id'>) =>
      required<KiremWebhookTarget>('PUT', targetPath(id), target),
    async removeKiremWebhookTarget(id: string) {
      await call('DELETE', targetPath(id));
    },
    kiremWebhookRetry: () => required<KiremWebhookRetry>('GET', '/kirem/webhook-retry'),
    setKiremWebhookRetry: (delaysMs: number[]) =>
      required<KiremWebhookRetry>('PUT', '/kirem/webhook-retry', { delaysMs }),
  };
}
