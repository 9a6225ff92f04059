import { MIN_SECRET_LENGTH, requireSecret } from '@kabar/core';
import {
  contentText,
  createWebhookHandler,
  type HandshakeQuery,
  memoryDedupeStore,
  WEBHOOK_PROVIDERS,
  type WebhookEvent,
  type WebhookEventKind,
  type WebhookHandler,
  type WebhookProvider,
} from '@kabar/core/webhooks';
import {
  type IDataObject,
  type IHookFunctions,
  type INodeType,
  type INodeTypeDescription,
  type IWebhookFunctions,
  type IWebhookResponseData,
  NodeConnectionTypes,
  NodeOperationError,
} from 'n8n-workflow';
import { kabarGatewayTest } from '../../shared/credential-test';
import { type Gateway, gatewayOf } from '../../shared/gateway';

type EventFilter = 'message' | 'button' | 'status' | 'account' | 'other';
/** Whether the trigger can receive this gateway's webhooks: the registry says it has some. */
const isWebhookGateway = (gateway: Gateway): gateway is WebhookProvider =>
  (WEBHOOK_PROVIDERS as readonly string[]).includes(gateway);

/**
 * The credential's webhook secret (Waviro: the keyword's webhook key), or a message saying what is
 * wrong with it. An empty or short secret would let anyone forge a signed webhook, so the trigger
 * neither activates nor answers with one.
 */
export function webhookSecretOf(
  credentials: IDataObject,
): { secret: string } | { problem: string } {
  try {
    return { secret: requireSecret(credentials.webhookSecret, "The credential's Webhook Secret") };
  } catch (error) {
    // requireSecret throws only its own invalid_config errors, which name the setting, never the value.
    return { problem: (error as Error).message };
  }
}

const ACCOUNT_KINDS = new Set<WebhookEventKind>([
  'template_status',
  'template_quality',
  'template_category',
  'account_update',
  'phone_number_quality',
  'phone_number_name',
  'connection',
]);

/**
 * Which of the trigger's event filters an event falls under: customer messages (Waviro keyword
 * calls included), button and list replies, delivery statuses, account and template updates (and
 * device connection events), or anything else (marketing opt-outs, echoes, history, calls, errors, unknown items).
 */
export function filterOf(event: WebhookEvent): EventFilter {
  switch (event.kind) {
    case 'message':
      return event.content.type === 'button' || event.content.type === 'list'
        ? 'button'
        : 'message';
    case 'status':
      return 'status';
    default:
      return ACCOUNT_KINDS.has(event.kind) ? 'account' : 'other';
  }
}

/**
 * One output item: the event as JSON (dates as ISO strings), with the typed text, tapped title,
 * caption or Waviro keyword as `text` and a tapped button's id as `buttonId`, for expressions.
 */
export function itemOf(event: WebhookEvent): IDataObject {
  const json = JSON.parse(JSON.stringify(event)) as IDataObject;
  if (event.kind === 'message' || event.kind === 'echo') {
    const { content } = event;
    const text = contentText(content);
    if (text !== undefined && text !== '') json.text = text;
    if (content.type === 'button' || content.type === 'list') json.buttonId = content.id;
  }
  return json;
}

/** At most this many trigger setups keep a handler (and its memory of handled items) at once. */
const MAX_HANDLERS = 50;
const handlers = new Map<string, WebhookHandler>();

/**
 * The handler of one trigger URL and setup, kept across requests so a redelivery is recognised.
 * The least recently used goes first; memory is per n8n process.
 */
function handlerFor(key: string, create: () => WebhookHandler): WebhookHandler {
  const handler = handlers.get(key) ?? create();
  handlers.delete(key);
  handlers.set(key, handler);
  if (handlers.size > MAX_HANDLERS) handlers.delete(handlers.keys().next().value as string);
  return handler;
}

export class KabarWhatsAppTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Kabar WhatsApp Trigger',
    name: 'kabarWhatsAppTrigger',
    icon: { light: 'file:kabar.svg', dark: 'file:kabar.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description:
      'Starts a workflow on incoming WhatsApp messages, button taps, Waviro keyword calls, delivery updates and account events from any gateway that sends webhooks, with the signature or secret checked',
    defaults: { name: 'Kabar WhatsApp Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'kabarWhatsAppApi', required: true, testedBy: 'kabarGatewayTest' }],
    webhooks: [
      { name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
      { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
    ],
    properties: [
      {
        displayName:
          "Paste this node's production webhook URL into the gateway's webhook settings (Kirem dashboard, Meta's app setup with the credential's verify token, a Waviro keyword's URL with its webhook key as the credential's Webhook Secret; for a gateway that signs nothing, add ?secret=<the credential's Webhook Secret> to the URL)",
        name: 'notice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Events',
        name: 'events',
        type: 'multiOptions',
        required: true,
        default: ['message', 'button'],
        description: 'What starts the workflow; everything else is acknowledged and dropped',
        options: [
          {
            name: 'Account and Template Updates',
            value: 'account',
            description:
              'Template approvals, quality and category changes, account, phone number quality and display name updates, and a WhatsApp session connecting or disconnecting',
          },
          {
            name: 'Button and List Replies',
            value: 'button',
            description: 'A customer tapped a reply button or picked a list row',
          },
          {
            name: 'Messages',
            value: 'message',
            description:
              'Text, media, location, Waviro keyword calls and other messages from customers',
          },
          {
            name: 'Other Events',
            value: 'other',
            description:
              'Marketing opt-outs and opt-ins, messages sent from the WhatsApp Business app, history sync, calls, errors and items Kabar cannot type',
          },
          {
            name: 'Status Updates',
            value: 'status',
            description:
              'Sent, delivered, read, played and failed updates for messages you sent (Waviro: its delivery acks)',
          },
        ],
      },
      {
        displayName: 'Waviro Keyword Reply',
        name: 'keywordReply',
        type: 'string',
        default: '',
        description:
          'Waviro only: the text a keyword call is answered with, which Waviro sends to the customer. Leave empty to answer with no reply and reply from the workflow with Kabar WhatsApp instead.',
      },
    ],
  };

  methods = { credentialTest: { kabarGatewayTest } };

  // Every gateway takes the URL in its own settings: there is nothing to register by API.
  webhookMethods = {
    default: {
      // Nothing exists remotely; answering false makes n8n call create, which checks the setup.
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return false;
      },
      async create(this: IHookFunctions): Promise<boolean> {
        const credentials = await this.getCredentials('kabarWhatsAppApi');
        const gateway = gatewayOf(credentials);
        if (!isWebhookGateway(gateway)) {
          throw new NodeOperationError(this.getNode(), unsupported(gateway));
        }
        const checked = webhookSecretOf(credentials);
        if ('problem' in checked) {
          throw new NodeOperationError(this.getNode(), checked.problem, {
            description: `Set the credential's Webhook Secret to the gateway's secret, or for Waviro the keyword's webhook key (at least ${MIN_SECRET_LENGTH} characters).`,
          });
        }
        return true;
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const credentials = await this.getCredentials('kabarWhatsAppApi');
    const gateway = gatewayOf(credentials);
    const response = this.getResponseObject();
    if (!isWebhookGateway(gateway)) {
      response.status(400).json({ error: 'unsupported_gateway', message: unsupported(gateway) });
      return { noWebhookResponse: true };
    }
    const checked = webhookSecretOf(credentials);
    if ('problem' in checked) {
      response.status(500).json({ error: 'misconfigured', message: checked.problem });
      return { noWebhookResponse: true };
    }
    const { secret } = checked;
    const verifyToken = String(credentials.verifyToken ?? '');
    const reply = String(this.getNodeParameter('keywordReply', '') ?? '');
    const node = this.getNode();
    const key = JSON.stringify([node.webhookId ?? node.id, gateway, secret, verifyToken, reply]);
    const logger = this.logger;
    const handler = handlerFor(key, () =>
      createWebhookHandler({
        provider: gateway,
        secret,
        verifyToken,
        dedupe: memoryDedupeStore({ maxKeys: 20_000 }),
        // The run starts from the items below; only a Waviro keyword call needs an answer now.
        onEvents: (_events, delivery) => {
          if (reply !== '') delivery.replies?.push({ type: 'message', content: reply });
        },
        logger: {
          warn: (message) => logger.warn(message),
          error: (message, error) => logger.error(message, { error: String(error) }),
        },
      }),
    );

    const setup = this.getWebhookName() === 'setup';
    const request = this.getRequestObject();
    if (!setup && !request.rawBody) await request.readRawBody();
    const result = await handler.handle({
      method: setup ? 'GET' : 'POST',
      headers: this.getHeaderData(),
      query: this.getQueryData() as HandshakeQuery,
      body: setup ? undefined : request.rawBody,
    });
    response.status(result.status).set(result.headers).send(result.body);

    const wanted = new Set(this.getNodeParameter('events', []) as EventFilter[]);
    const items = result.events.filter((event) => wanted.has(filterOf(event))).map(itemOf);
    if (items.length === 0) return { noWebhookResponse: true };
    return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
  }
}

function unsupported(gateway: Gateway): string {
  return `${gateway} sends no webhooks the trigger can check; use one of ${WEBHOOK_PROVIDERS.join(', ')}`;
}
