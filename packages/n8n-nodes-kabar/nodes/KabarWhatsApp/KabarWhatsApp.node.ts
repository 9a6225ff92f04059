import { KabarError, type WhatsAppClient } from '@kabar/core';
import {
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type JsonObject,
  NodeApiError,
  NodeConnectionTypes,
  NodeOperationError,
  SEND_AND_WAIT_OPERATION,
} from 'n8n-workflow';
import { kabarGatewayTest } from '../../shared/credential-test';
import { clientFor } from '../../shared/gateway';
import { n8nFetch } from '../../shared/http-fetch';
import { getGroups, getSenders, getTemplateParameters, getTemplates } from './load-options';
import { OPERATIONS } from './operations';
import { properties } from './properties';
import { SEND_AND_WAIT_WEBHOOKS, sendAndWait, sendAndWaitWebhook } from './send-and-wait';

/** Mistakes in the node's input, found before any request: not the gateway's answer. */
const INPUT_ERRORS = new Set([
  'validation',
  'invalid_phone',
  'unsupported_feature',
  'invalid_config',
]);

/**
 * WhatsApp's rules a send broke, said plainly: the gateway's words (Meta's "Re-engagement
 * message") seldom say what to do instead.
 */
const POLICY_ERRORS: Record<string, string> = {
  outside_window:
    'The customer has not written in the last 24 hours, so WhatsApp only delivers approved templates to them: use Send Template',
  opted_out:
    'The contact opted out of marketing messages: send them only utility or authentication messages (Options > Message Category), or none',
};

/** The gateway's own words, as n8n shows API errors; keys never appear (core redacts them). */
function apiError(context: IExecuteFunctions, error: KabarError, itemIndex: number) {
  if (INPUT_ERRORS.has(error.code)) {
    return new NodeOperationError(context.getNode(), error.message, {
      itemIndex,
      description: `kabar code: ${error.code}`,
    });
  }
  // A broken rule leads with what to do; the gateway's words follow in the description.
  const rule = POLICY_ERRORS[error.code];
  return new NodeApiError(
    context.getNode(),
    { code: error.code, message: error.message } as JsonObject,
    {
      itemIndex,
      message: rule ?? error.message,
      description: [
        rule && error.message,
        error.provider && `gateway: ${error.provider}`,
        error.providerCode !== undefined && `gateway code: ${error.providerCode}`,
        `kabar code: ${error.code}`,
      ]
        .filter(Boolean)
        .join(', '),
      httpCode: error.status ? String(error.status) : undefined,
    },
  );
}

/** What Continue On Fail outputs for a failed item: the message, and Kabar's code when known. */
function errorJson(failure: Error, error: unknown): IDataObject {
  return {
    error: failure.message,
    ...(KabarError.isInstance(error) ? { code: error.code } : {}),
  };
}

/** Any failure of one item as the error n8n shows: Kabar's errors mapped, others wrapped. */
function failureOf(context: IExecuteFunctions, error: unknown, itemIndex: number) {
  if (KabarError.isInstance(error)) return apiError(context, error, itemIndex);
  if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
  return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * The clients of one run, one per sender (Options > Sender), all sending through n8n's HTTP
 * helpers so its proxy settings and request logging apply. The credential's own client is made
 * at once, so a credential missing a setting fails the run rather than each item.
 */
function clientsFor(context: IExecuteFunctions, credentials: ICredentialDataDecryptedObject) {
  const fetch = n8nFetch(context.helpers);
  const clients = new Map<string, WhatsAppClient>([['', clientFor(credentials, { fetch })]]);
  return (itemIndex: number): WhatsAppClient => {
    const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
    const sender = typeof options.sender === 'string' ? options.sender.trim() : '';
    let client = clients.get(sender);
    if (!client) {
      client = clientFor(credentials, { fetch, ...(sender === '' ? {} : { sender }) });
      clients.set(sender, client);
    }
    return client;
  };
}

export class KabarWhatsApp implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Kabar WhatsApp',
    name: 'kabarWhatsApp',
    icon: { light: 'file:kabar.svg', dark: 'file:kabar.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description:
      'Send WhatsApp messages, templates and media through Kirem, Meta Cloud API, Qirim, Waviro or Kirimy',
    defaults: { name: 'Kabar WhatsApp' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'kabarWhatsAppApi', required: true, testedBy: 'kabarGatewayTest' }],
    webhooks: SEND_AND_WAIT_WEBHOOKS,
    properties,
  };

  methods = {
    credentialTest: { kabarGatewayTest },
    loadOptions: { getTemplates, getSenders, getGroups },
    resourceMapping: { getTemplateParameters },
  };

  webhook = sendAndWaitWebhook;

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let clientOf: ReturnType<typeof clientsFor>;
    try {
      clientOf = clientsFor(this, await this.getCredentials('kabarWhatsAppApi'));
    } catch (error) {
      throw new NodeOperationError(this.getNode(), error as Error);
    }
    if (
      this.getNodeParameter('resource', 0) === 'message' &&
      this.getNodeParameter('operation', 0) === SEND_AND_WAIT_OPERATION
    ) {
      try {
        return await sendAndWait(this, clientOf(0));
      } catch (error) {
        const failure = failureOf(this, error, 0);
        if (!this.continueOnFail()) throw failure;
        return [[{ json: errorJson(failure, error), pairedItem: { item: 0 } }]];
      }
    }
    const returnData: INodeExecutionData[] = [];
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      const resource = this.getNodeParameter('resource', itemIndex) as string;
      const operation = this.getNodeParameter('operation', itemIndex) as string;
      try {
        const run = OPERATIONS[resource]?.[operation];
        if (!run) {
          throw new NodeOperationError(
            this.getNode(),
            `Unknown operation ${resource}.${operation}`,
            {
              itemIndex,
            },
          );
        }
        const result = await run(this, clientOf(itemIndex), itemIndex);
        if ('json' in result && typeof result.json === 'object') {
          returnData.push({ ...(result as INodeExecutionData), pairedItem: { item: itemIndex } });
        } else {
          for (const json of Array.isArray(result) ? result : [result]) {
            returnData.push({ json, pairedItem: { item: itemIndex } });
          }
        }
      } catch (error) {
        const failure = failureOf(this, error, itemIndex);
        if (this.continueOnFail()) {
          returnData.push({ json: errorJson(failure, error), pairedItem: { item: itemIndex } });
          continue;
        }
        throw failure;
      }
    }
    return [returnData];
  }
}
