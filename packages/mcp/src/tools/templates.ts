import { z } from 'zod';
import { confirmWithUser } from '../confirm.js';
import { countWrite } from '../safety.js';
import { language, templateName } from '../schemas.js';
import { defineTool, needs } from './define.js';

const status = z.enum(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED']);

/** Listing, reading and creating message templates. */
export const TEMPLATE_TOOLS = [
  defineTool({
    name: 'list_templates',
    title: 'List message templates',
    description: 'The gateway’s message templates, with their review status.',
    offered: needs('templates.list'),
    effect: 'read',
    input: { status: status.optional().describe('Only templates in this review status') },
    run: ({ status: wanted }, { gateway }) => gateway.client.templates.list({ status: wanted }),
  }),
  defineTool({
    name: 'get_template',
    title: 'Get one message template',
    description: 'One template by name or id: its components, parameters and status.',
    offered: needs('templates.get'),
    effect: 'read',
    input: { name: templateName.describe('The template’s name or id') },
    run: ({ name }, { gateway }) => gateway.client.templates.get(name),
  }),
  defineTool({
    name: 'create_template',
    title: 'Create a message template (submits it for review)',
    description:
      'Creates a template with a text body and submits it to WhatsApp’s review. A person at the client must confirm it first.',
    offered: needs('templates.create'),
    effect: 'write',
    input: {
      name: z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _')
        .describe('Lowercase letters, digits and _'),
      language,
      category: z.enum(['MARKETING', 'UTILITY']),
      body: z.string().min(1).max(1024).describe('The text, with {{1}}, {{2}}, ... for parameters'),
      examples: z
        .array(z.string().min(1))
        .optional()
        .describe('One sample value per parameter, which review needs'),
    },
    async run({ name, language: code, category, body, examples }, context) {
      const definition = {
        name,
        language: code,
        category,
        components: [
          {
            type: 'BODY' as const,
            text: body,
            example: examples ? { body_text: [examples] } : undefined,
          },
        ],
      };
      if (context.safety.dryRun) return { dryRun: true, created: false, definition };
      await confirmWithUser(
        context.server,
        `create the ${category.toLowerCase()} template "${name}" (${code}) on ${context.gateway.name} and submit it for review`,
      );
      await countWrite(context.safety, context.sessionId);
      return context.gateway.client.templates.create(definition);
    },
  }),
];
