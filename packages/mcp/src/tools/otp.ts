import { z } from 'zod';
import { admitRecipient, countWrite } from '../safety.js';
import { recipient } from '../schemas.js';
import { defineTool, needs } from './define.js';

/** One-time codes generated, sent and checked by the gateway (Qirim). */
export const OTP_TOOLS = [
  defineTool({
    name: 'request_otp',
    title: 'Send a one-time login code',
    description:
      'The gateway generates a code and sends it to the customer over WhatsApp; check it with verify_otp.',
    offered: needs('otp'),
    effect: 'send',
    input: { to: recipient },
    async run({ to }, context) {
      const phone = admitRecipient(to, context.safety);
      if (context.safety.dryRun) return { dryRun: true, sent: false, to: phone };
      await countWrite(context.safety, context.sessionId);
      return context.gateway.client.otp.request({ phone });
    },
  }),
  defineTool({
    name: 'verify_otp',
    title: 'Check a one-time code',
    description: 'Whether the code the customer gave is right. Each wrong try spends an attempt.',
    offered: needs('otp'),
    effect: 'write',
    input: { to: recipient, code: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') },
    run: ({ to, code }, { gateway, safety }) =>
      gateway.client.otp.verify({ phone: admitRecipient(to, safety), code }),
  }),
];
