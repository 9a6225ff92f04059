export { type WhatsappWebhookOptions, whatsappWebhook } from './webhook.js';
