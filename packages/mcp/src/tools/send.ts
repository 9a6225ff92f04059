import { z } from 'zod';
import {
  idempotencyKey,
  interactiveBody,
  interactiveFooter,
  interactiveHeader,
  language,
  listSection,
  recipient,
  replyButton,
  templateName,
  textBody,
} from '../schemas.js';
import { defineTool, needs } from './define.js';
import { sendMessage } from './send-flow.js';

const MEDIA = ['image', 'video', 'audio', 'document'] as const;
const media = z.enum(MEDIA);

/** The tools that send one message to one customer. */
export const SEND_TOOLS = [
  defineTool({
    name: 'send_text',
    title: 'Send a WhatsApp text',
    description:
      'Sends a text message to one customer. Free-form messages reach a customer only within 24 hours of their last message on Meta-based gateways; use send_template otherwise.',
    offered: needs('text'),
    effect: 'send',
    input: {
      to: recipient,
      text: textBody.describe('The message, at most 4096 characters'),
      idempotencyKey,
    },
    run: ({ to, text, idempotencyKey: key }, context) => sendMessage({ text }, to, key, context),
  }),
  defineTool({
    name: 'send_template',
    title: 'Send an approved WhatsApp template',
    description:
      'Sends an approved message template, its body parameters filled in order ({{1}}, {{2}}, ...). Templates may start a conversation at any time.',
    offered: needs('template'),
    effect: 'send',
    input: {
      to: recipient,
      name: templateName.describe('The template’s registered name'),
      language,
      params: z
        .array(z.string().min(1).max(1024))
        .max(100)
        .optional()
        .describe('The body’s parameters, in order'),
      idempotencyKey,
    },
    run: ({ to, name, language: code, params, idempotencyKey: key }, context) =>
      sendMessage({ template: { name, language: code, params } }, to, key, context),
  }),
  defineTool({
    name: 'send_media',
    title: 'Send an image, video, audio or document',
    description: 'Sends a file the gateway fetches from a public https link.',
    offered: (gateway) => MEDIA.some((kind) => gateway.client.supports(kind)),
    effect: 'send',
    input: {
      to: recipient,
      kind: media,
      link: z.url({ protocol: /^https?$/ }).describe('A public http(s) URL of the file'),
      caption: z.string().max(1024).optional().describe('Not for audio; at most 1024 characters'),
      filename: z.string().max(240).optional().describe('Documents only'),
      idempotencyKey,
    },
    async run({ to, kind, link, caption, filename, idempotencyKey: key }, context) {
      if (!context.gateway.client.supports(kind)) {
        throw new Error(`${context.gateway.name} cannot send ${kind} messages`);
      }
      const content =
        kind === 'audio'
          ? { audio: { link } }
          : kind === 'document'
            ? { document: { link, caption, filename } }
            : kind === 'image'
              ? { image: { link, caption } }
              : { video: { link, caption } };
      return sendMessage(content, to, key, context);
    },
  }),
  defineTool({
    name: 'send_buttons',
    title: 'Send a message with reply buttons',
    description:
      'Sends a message with up to three reply buttons; a tap comes back as a webhook carrying the button’s id.',
    offered: needs('interactive.buttons'),
    effect: 'send',
    input: {
      to: recipient,
      body: interactiveBody,
      buttons: z.array(replyButton).min(1).max(3),
      header: interactiveHeader,
      footer: interactiveFooter,
      idempotencyKey,
    },
    run: ({ to, body, buttons, header, footer, idempotencyKey: key }, context) =>
      sendMessage(
        { interactive: { type: 'buttons', body, buttons, header, footer } },
        to,
        key,
        context,
      ),
  }),
  defineTool({
    name: 'send_list',
    title: 'Send a list menu',
    description: 'Sends a message whose button opens a menu of up to 10 rows in sections.',
    offered: needs('interactive.list'),
    effect: 'send',
    input: {
      to: recipient,
      body: interactiveBody,
      button: z.string().min(1).max(20).describe('The label of the button that opens the list'),
      sections: z.array(listSection).min(1).max(10),
      header: interactiveHeader,
      footer: interactiveFooter,
      idempotencyKey,
    },
    run: ({ to, body, button, sections, header, footer, idempotencyKey: key }, context) =>
      sendMessage(
        { interactive: { type: 'list', body, button, sections, header, footer } },
        to,
        key,
        context,
      ),
  }),
  defineTool({
    name: 'send_location',
    title: 'Send a location pin',
    description: 'Sends a map pin, with an optional place name and address.',
    offered: needs('location'),
    effect: 'send',
    input: {
      to: recipient,
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(1000).optional(),
      address: z.string().max(1000).optional(),
      idempotencyKey,
    },
    run: ({ to, latitude, longitude, name, address, idempotencyKey: key }, context) =>
      sendMessage({ location: { latitude, longitude, name, address } }, to, key, context),
  }),
  defineTool({
    name: 'mark_as_read',
    title: 'Mark a customer’s message as read',
    description:
      'Shows blue ticks on an incoming message, by its message id from a webhook or log.',
    offered: needs('markAsRead'),
    effect: 'repeatable',
    input: { messageId: z.string().min(1).max(512) },
    async run({ messageId }, { gateway, safety }) {
      if (safety.dryRun) return { dryRun: true, marked: false, messageId };
      await gateway.client.markAsRead(messageId);
      return { marked: true, gateway: gateway.name, messageId };
    },
  }),
];
