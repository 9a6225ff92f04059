import { MIN_SECRET_LENGTH, requireSecret } from '@kabar/core';
import { gatewayNamed } from '@kabar/core/gateways';
import {
  contentText,
  createWebhookHandler,
  type HandshakeQuery,
  memoryDedupeStore,
  memoryMessageIdStore,
  WEBHOOK_PROVIDERS,
  type WebhookEvent,
  type WebhookEventKind,
  type WebhookHandler,
  type WebhookProvider,
} from '@kabar/core/webhooks';
import {
  type ICredentialDataDecryptedObject,
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
import { parseWaitButtonId, type WaitButtonTap } from '../KabarWhatsApp/wait-button';
import { setupNotices } from './setup-notices';
import { resumeWaitingExecutions } from './wait-answers';

type EventFilter = 'message' | 'button' | 'status' | 'account' | 'other';
/** How a Waviro keyword call is answered: at once with fixed text, or with the workflow's result. */
type KeywordAnswer = 'immediately' | 'lastNode';
/**
 * The trigger's Gateway: `credential` (the default, and what workflows saved before the setting
 * existed get) takes whichever gateway the credential is for; a gateway chosen by name shows its
 * setup steps and must match the credential.
 */
type GatewaySetting = 'credential' | WebhookProvider;
/**
 * The Gateway settings that show the keyword options. From Credential may be Waviro, and n8n drops
 * a hidden parameter's saved value, so hiding them there would lose an older trigger's Keyword Reply.
 */
const KEYWORD_GATEWAYS: GatewaySetting[] = ['credential', 'waviro'];

const label = (gateway: Gateway) => gatewayNamed(gateway).label;

/** The gateways the trigger takes webhooks from, by label, for the Gateway list and errors. */
const WEBHOOK_GATEWAYS = [...WEBHOOK_PROVIDERS]
  .map((gateway) => ({ name: label(gateway), value: gateway }))
  .sort((a, b) => a.name.localeCompare(b.name));
const WEBHOOK_GATEWAY_LABELS = WEBHOOK_GATEWAYS.map((gateway) => gateway.name);

const isWebhookGateway = (gateway: Gateway): gateway is WebhookProvider =>
  (WEBHOOK_PROVIDERS as readonly string[]).includes(gateway);

/** What the trigger needs from its credential, or what is wrong with it and how to fix it. */
type TriggerSetup =
  | { gateway: WebhookProvider; secret: string; verifyToken: string }
  | { problem: string; fix: string };

/**
 * Checks the credential against the trigger's Gateway: it must be for a gateway that sends
 * webhooks (the chosen one, unless From Credential), and its webhook secret (Waviro: the keyword's
 * webhook key) must be set. An empty or short secret would let anyone forge a signed webhook, so
 * the trigger neither activates nor answers with one.
 */
function triggerSetup(
  credentials: ICredentialDataDecryptedObject,
  setting: GatewaySetting,
): TriggerSetup {
  const credentialGateway = gatewayOf(credentials);
  if (setting !== 'credential' && credentialGateway !== setting) {
    return {
      problem: `The credential is for ${label(credentialGateway)}, but the trigger's Gateway is ${label(setting)}`,
      fix: isWebhookGateway(credentialGateway)
        ? `Choose a ${label(setting)} credential, or set Gateway to ${label(credentialGateway)} or From Credential.`
        : `${label(credentialGateway)} sends no webhooks the trigger can check: choose a ${label(setting)} credential.`,
    };
  }
  if (!isWebhookGateway(credentialGateway)) {
    return {
      problem: `The credential is for ${label(credentialGateway)}, which sends no webhooks the trigger can check`,
      fix: `Choose a credential for ${WEBHOOK_GATEWAY_LABELS.join(', ')}.`,
    };
  }
  try {
    return {
      gateway: credentialGateway,
      secret: requireSecret(credentials.webhookSecret, "The credential's Webhook Secret"),
      verifyToken: String(credentials.verifyToken ?? ''),
    };
  } catch (error) {
    // requireSecret throws only its own invalid_config errors, which name the setting, never the value.
    return {
      problem: (error as Error).message,
      fix: `Set the credential's Webhook Secret to the gateway's secret, or for Waviro the keyword's webhook key (at least ${MIN_SECRET_LENGTH} characters).`,
    };
  }
}

const isKeywordCall = (event: WebhookEvent) =>
  event.kind === 'message' && event.content.type === 'keyword';

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

/** The Send and Wait answer an event carries, if it is a tap on one of that node's reply buttons. */
function waitButtonTapOf(event: WebhookEvent): WaitButtonTap | undefined {
  if (event.kind !== 'message' || event.content.type !== 'button') return undefined;
  return parseWaitButtonId(event.content.id);
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

/**
 * Starts a workflow on a gateway's webhooks: a thin n8n wrapper over `createWebhookHandler` from
 * `@kabar/core/webhooks`, which checks the signature or secret, answers Meta's handshake and types
 * the events; one output item per event the Events filter lets through.
 */
export class KabarWhatsAppTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Kabar WhatsApp Trigger',
    name: 'kabarWhatsAppTrigger',
    icon: { light: 'file:kabar.svg', dark: 'file:kabar.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle:
      '={{($parameter["gateway"] === "credential" ? "" : $parameter["gateway"] + ": ") + $parameter["events"].join(", ")}}',
    description:
      'Starts a workflow on incoming WhatsApp messages, button taps, Waviro keyword calls, delivery updates and account events from any gateway that sends webhooks, with the signature or secret checked',
    defaults: { name: 'Kabar WhatsApp Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'kabarWhatsAppApi', required: true, testedBy: 'kabarGatewayTest' }],
    webhooks: [
      { name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
      {
        name: 'default',
        httpMethod: 'POST',
        // Every request is answered by webhook() itself (noWebhookResponse), except a Waviro
        // keyword call set to be answered When Last Node Finishes: n8n then waits for the run and
        // answers with the last node's first item.
        responseMode: 'lastNode',
        responseData: 'firstEntryJson',
        path: 'webhook',
      },
    ],
    properties: [
      {
        displayName: 'Gateway',
        name: 'gateway',
        type: 'options',
        noDataExpression: true,
        default: 'credential',
        description:
          "The gateway that posts to this trigger: the credential's, or one chosen by name to see its setup steps and have the credential checked against it",
        options: [
          {
            name: 'From Credential',
            value: 'credential',
            description: 'Whichever gateway the credential is for',
          },
          ...WEBHOOK_GATEWAYS,
        ],
      },
      ...setupNotices,
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
        displayName: 'Answer Keyword Calls',
        name: 'keywordAnswer',
        type: 'options',
        noDataExpression: true,
        default: 'immediately',
        description:
          'Waviro keyword calls only: Waviro sends the customer the reply items a call is answered with, so the answer is the reply',
        displayOptions: { show: { gateway: KEYWORD_GATEWAYS } },
        options: [
          {
            name: 'Immediately',
            value: 'immediately',
            description:
              'Answer on receipt with the Keyword Reply text (or no reply); the workflow runs after',
          },
          {
            name: 'When Last Node Finishes',
            value: 'lastNode',
            description:
              "Answer with the first item of the workflow's last node, which must be Waviro's reply: { success: true, message: { reply: [{ type: 'message', content: '…' }] } }",
          },
        ],
      },
      {
        displayName: 'Keyword Reply',
        name: 'keywordReply',
        type: 'string',
        default: '',
        description:
          'Waviro keyword calls only: the text a call is answered with, which Waviro sends to the customer. Leave empty to answer with no reply.',
        displayOptions: { show: { gateway: KEYWORD_GATEWAYS, keywordAnswer: ['immediately'] } },
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
        const setting = this.getNodeParameter('gateway', 'credential') as GatewaySetting;
        const setup = triggerSetup(credentials, setting);
        if ('problem' in setup) {
          throw new NodeOperationError(this.getNode(), setup.problem, { description: setup.fix });
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
    const setting = this.getNodeParameter('gateway', 'credential') as GatewaySetting;
    const response = this.getResponseObject();
    const setup = triggerSetup(credentials, setting);
    if ('problem' in setup) {
      response.status(500).json({ error: 'misconfigured', message: setup.problem });
      return { noWebhookResponse: true };
    }
    const { gateway, secret, verifyToken } = setup;
    const keywordAnswer: KeywordAnswer =
      gateway === 'waviro'
        ? (this.getNodeParameter('keywordAnswer', 'immediately') as KeywordAnswer)
        : 'immediately';
    const reply =
      keywordAnswer === 'immediately'
        ? String(this.getNodeParameter('keywordReply', '') ?? '')
        : '';
    const node = this.getNode();
    const key = JSON.stringify([node.webhookId ?? node.id, gateway, secret, verifyToken, reply]);
    const logger = this.logger;
    const handler = handlerFor(key, () =>
      createWebhookHandler({
        provider: gateway,
        secret,
        verifyToken,
        dedupe: memoryDedupeStore({ maxKeys: 20_000 }),
        // Fonnte's delivered and read callbacks then carry the send id, as the first one does.
        messageIds: memoryMessageIdStore({ maxKeys: 20_000 }),
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

    const setupCall = this.getWebhookName() === 'setup';
    const request = this.getRequestObject();
    if (!setupCall && !request.rawBody) await request.readRawBody();
    const result = await handler.handle({
      method: setupCall ? 'GET' : 'POST',
      headers: this.getHeaderData(),
      query: this.getQueryData() as HandshakeQuery,
      body: setupCall ? undefined : request.rawBody,
    });

    // A tap on a Send and Wait reply button answers the execution waiting for it, whatever the
    // Events filter says, and starts no run of its own: the tap belongs to the waiting workflow.
    const taps = result.events.map(waitButtonTapOf);
    await resumeWaitingExecutions(
      this,
      taps.filter((tap) => tap !== undefined),
    );
    const wanted = new Set(this.getNodeParameter('events', []) as EventFilter[]);
    const items = result.events
      .filter((event, i) => taps[i] === undefined && wanted.has(filterOf(event)))
      .map(itemOf);
    const workflowData = [this.helpers.returnJsonArray(items)];
    // Left to n8n, the answer is the last node's first item once the run has finished.
    const answerWhenLastNodeFinishes =
      keywordAnswer === 'lastNode' && items.length > 0 && result.events.some(isKeywordCall);
    if (answerWhenLastNodeFinishes) return { workflowData };

    response.status(result.status).set(result.headers).send(result.body);
    if (items.length === 0) return { noWebhookResponse: true };
    return { noWebhookResponse: true, workflowData };
  }
}
