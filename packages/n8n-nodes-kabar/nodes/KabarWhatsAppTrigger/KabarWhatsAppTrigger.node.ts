import { MIN_SECRET_LENGTH, requireSecret } from '@kabar/core';
import {
  parseWebhook,
  SIGNATURE_HEADERS,
  verifyMetaHandshake,
  verifySignature,
  type WebhookEvent,
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
import { gatewayOf } from '../../shared/gateway';

type EventFilter = 'message' | 'button' | 'status';

/**
 * The credential's webhook secret, or a message saying what is wrong with it. An empty or short
 * secret would let anyone forge a signed webhook, so the trigger neither activates nor answers with one.
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

/** Which of the trigger's event filters an event falls under. */
export function filterOf(event: WebhookEvent): EventFilter {
  if (event.kind === 'status') return 'status';
  return event.content.type === 'button' || event.content.type === 'list' ? 'button' : 'message';
}

/** One output item: the event, with the typed text or tapped title and id on top for expressions. */
export function itemOf(event: WebhookEvent): IDataObject {
  const json: IDataObject = {
    ...(event as unknown as IDataObject),
    timestamp: event.timestamp?.toISOString(),
  };
  if (event.kind === 'message') {
    const { content } = event;
    if (content.type === 'text') json.text = content.text;
    if (content.type === 'button' || content.type === 'list') {
      json.text = content.title;
      json.buttonId = content.id;
    }
    if ('caption' in content && content.caption) json.text = content.caption;
  }
  return json;
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
      'Starts a workflow on incoming WhatsApp messages, button taps or delivery updates from Kirem or the Meta Cloud API, with the signature checked',
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
          "Paste this node's production webhook URL into the gateway's webhook settings (Kirem dashboard, or Meta's app setup with the credential's verify token)",
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
            name: 'Button and List Replies',
            value: 'button',
            description: 'A customer tapped a reply button or picked a list row',
          },
          {
            name: 'Messages',
            value: 'message',
            description: 'Text, media, location and other messages from customers',
          },
          {
            name: 'Status Updates',
            value: 'status',
            description: 'Sent, delivered, read and failed updates for messages you sent',
          },
        ],
      },
    ],
  };

  methods = { credentialTest: { kabarGatewayTest } };

  // Kirem and Meta take the URL in their own settings: there is nothing to register by API.
  webhookMethods = {
    default: {
      // Nothing exists remotely; answering false makes n8n call create, which checks the setup.
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return false;
      },
      async create(this: IHookFunctions): Promise<boolean> {
        const credentials = await this.getCredentials('kabarWhatsAppApi');
        const gateway = gatewayOf(credentials);
        if (gateway !== 'kirem' && gateway !== 'meta') {
          throw new NodeOperationError(
            this.getNode(),
            `${gateway} webhooks are not signed; use Kirem or Meta`,
          );
        }
        const checked = webhookSecretOf(credentials);
        if ('problem' in checked) {
          throw new NodeOperationError(this.getNode(), checked.problem, {
            description: `Set the credential's Webhook Secret to the gateway's secret (at least ${MIN_SECRET_LENGTH} characters).`,
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
    const reject = (status: number, error: string, message: string): IWebhookResponseData => {
      response.status(status).json({ error, message });
      return { noWebhookResponse: true };
    };

    if (gateway !== 'kirem' && gateway !== 'meta') {
      return reject(
        400,
        'unsupported_gateway',
        `${gateway} webhooks are not signed; use Kirem or Meta`,
      );
    }
    if (this.getWebhookName() === 'setup') {
      try {
        const challenge = verifyMetaHandshake(
          this.getQueryData() as Record<string, string>,
          String(credentials.verifyToken ?? ''),
        );
        response.status(200).type('text/plain').send(challenge);
        return { noWebhookResponse: true };
      } catch {
        return reject(403, 'verification_failed', 'the verify token does not match');
      }
    }

    const checked = webhookSecretOf(credentials);
    if ('problem' in checked) return reject(500, 'misconfigured', checked.problem);
    const request = this.getRequestObject();
    if (!request.rawBody) await request.readRawBody();
    const signature = this.getHeaderData()[SIGNATURE_HEADERS[gateway]];
    let events: WebhookEvent[];
    try {
      verifySignature({
        provider: gateway,
        rawBody: request.rawBody,
        signature: Array.isArray(signature) ? signature[0] : signature,
        secret: checked.secret,
      });
    } catch (error) {
      return reject(401, 'invalid_signature', (error as Error).message);
    }
    try {
      events = parseWebhook(request.rawBody, { metaFormatFrom: gateway });
    } catch (error) {
      return reject(400, 'invalid_payload', (error as Error).message);
    }

    const wanted = new Set(this.getNodeParameter('events', []) as EventFilter[]);
    const items = events.filter((event) => wanted.has(filterOf(event))).map(itemOf);
    response.status(200).json({ received: events.length, accepted: items.length });
    if (items.length === 0) return { noWebhookResponse: true };
    return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
  }
}
