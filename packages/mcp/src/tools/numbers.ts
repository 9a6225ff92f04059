import { normalizePhone } from '@kabar/core';
import { recipient } from '../schemas.js';
import { defineTool, needs } from './define.js';

/** The number's groups and who is on WhatsApp (Waviro). */
export const NUMBER_TOOLS = [
  defineTool({
    name: 'list_groups',
    title: 'List WhatsApp groups',
    description: 'The groups the business number is in, with their ids.',
    offered: needs('groups.list'),
    effect: 'read',
    input: {},
    run: (_args, { gateway }) => gateway.client.groups.list(),
  }),
  defineTool({
    name: 'check_number',
    title: 'Check whether a number is on WhatsApp',
    description: 'Asks the gateway whether a phone number has a WhatsApp account.',
    offered: needs('numbers.check'),
    effect: 'read',
    input: { phone: recipient },
    async run({ phone }, { gateway, safety }) {
      const number = normalizePhone(phone, { defaultRegion: safety.defaultRegion ?? 'ID' });
      return { phone: number, onWhatsApp: await gateway.client.numbers.check(number) };
    },
  }),
];
