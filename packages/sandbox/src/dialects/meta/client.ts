import type { ControlCalls } from '../../control-calls.js';
import type {
  Deliveries,
  MetaControl,
  UserPreferenceInput,
  WebhookVerification,
} from '../../types.js';

/** Meta's control methods, as requests to the routes in control.ts. */
export function metaClient({ required }: ControlCalls): MetaControl {
  return {
    verifyMetaWebhook: (verifyToken: string) =>
      required<WebhookVerification>('POST', '/webhooks/meta/verify', { verifyToken }),
    userPreference: (input: UserPreferenceInput) =>
      required<Deliveries>('POST', '/user-preferences', input),
  };
}
