import { z } from 'zod';
import { admitRecipient, countWrite } from '../safety.js';
import { recipient } from '../schemas.js';
import { defineTool, type Gateway } from './define.js';

const hasOtp = (gateway: Gateway) => gateway.otp !== undefined;

/**
 * One-time login codes: made, sent and checked by the gateway (Qirim), or by core's OTP engine
 * and sent through the gateway (the `otp` option). Codes never appear in the answers.
 */
export const OTP_TOOLS = [
  defineTool({
    name: 'request_otp',
    title: 'Send a one-time login code',
    description:
      'Sends the customer a new code over WhatsApp; check what they type with verify_otp. A second request within a minute is refused (resend_cooldown).',
    offered: hasOtp,
    effect: 'send',
    input: { to: recipient },
    async run({ to }, { gateway, safety, sessionId }) {
      const phone = admitRecipient(to, safety);
      if (safety.dryRun) return { dryRun: true, sent: false, to: phone };
      await countWrite(safety, sessionId);
      return (gateway.otp as NonNullable<Gateway['otp']>).request({ phone });
    },
  }),
  defineTool({
    name: 'verify_otp',
    title: 'Check a one-time code',
    description:
      'Whether the code the customer gave is right (otp_incorrect, otp_expired, too_many_attempts otherwise). Each wrong try spends an attempt.',
    offered: hasOtp,
    effect: 'write',
    input: { to: recipient, code: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') },
    run: ({ to, code }, { gateway, safety }) =>
      (gateway.otp as NonNullable<Gateway['otp']>).verify({
        phone: admitRecipient(to, safety),
        code,
      }),
  }),
];
