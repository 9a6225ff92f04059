import type { WebhookDelivery, WebhookEvent } from '@kabar/core/webhooks';

/**
 * Your application's side of the webhook: it receives each delivery's new events (redeliveries
 * already left out) after Meta has its 200. Replace the logging with your own work: store the
 * message, answer with a `@kabar/core` client, or pass the events to a bot (`bot.handle(events)`).
 */
export async function handleWhatsAppEvents(
  events: WebhookEvent[],
  _delivery: WebhookDelivery,
): Promise<void> {
  for (const event of events) {
    if (event.kind === 'message' && event.content.type === 'text') {
      console.log(`WhatsApp from ${event.name ?? event.from}: ${event.content.text}`);
    } else if (event.kind === 'status') {
      console.log(`WhatsApp message ${event.messageId} is ${event.status}`);
    }
  }
}
