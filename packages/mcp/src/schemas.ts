import { LIMITS } from '@kabar/core';
import { z } from 'zod';

// WhatsApp's limits (core's LIMITS, from Meta's reference) in the tools' input schemas, so a
// model reads them in the schema and a call past one fails validation naming the field, before
// anything is sent.

/** A recipient: a number in international form, or local Indonesian (08...). */
export const recipient = z
  .string()
  .min(6)
  .max(32)
  .describe('The customer’s WhatsApp number, e.g. 6281234567890 or 081234567890');

/** An optional deduplication key, echoed in the answer so a retry can reuse it. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe(
    'Reuse the key a failed or uncertain call returned to retry it without sending twice; left out, a new one is made',
  );

export const textBody = z.string().min(1).max(LIMITS.textBody);

export const replyButton = z.object({
  id: z.string().min(1).max(LIMITS.buttonId).describe('Returned in the webhook when tapped'),
  title: z.string().min(1).max(LIMITS.buttonTitle).describe('The label, at most 20 characters'),
});

export const listRow = z.object({
  id: z.string().min(1).max(LIMITS.rowId),
  title: z.string().min(1).max(LIMITS.rowTitle),
  description: z.string().max(LIMITS.rowDescription).optional(),
});

export const listSection = z.object({
  title: z.string().max(LIMITS.listSectionTitle).optional(),
  rows: z.array(listRow).min(1).max(LIMITS.listRows),
});

export const interactiveBody = z.string().min(1).max(LIMITS.interactiveBody);
export const interactiveHeader = z.string().min(1).max(LIMITS.interactiveHeader).optional();
export const interactiveFooter = z.string().min(1).max(LIMITS.interactiveFooter).optional();

export const templateName = z.string().min(1).max(LIMITS.templateName);
export const language = z
  .string()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as id or en_US')
  .describe('The template’s language code, e.g. id or en_US');
