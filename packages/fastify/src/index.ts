export { type WhatsappWebhookOptions, whatsappWebhook } from './webhook-plugin.js';
