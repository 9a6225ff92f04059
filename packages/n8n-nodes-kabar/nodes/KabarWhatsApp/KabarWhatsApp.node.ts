import { KabarError } from '@kabar/core';
import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type JsonObject,
  NodeApiError,
  NodeConnectionTypes,
  NodeOperationError,
} from 'n8n-workflow';
import { kabarGatewayTest } from '../../shared/credential-test';
import { clientFor } from '../../shared/gateway';
import { OPERATIONS } from './operations';
import { properties } from './properties';

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
    properties,
  };

  methods = { credentialTest: { kabarGatewayTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let client: ReturnType<typeof clientFor>;
    try {
      client = clientFor(await this.getCredentials('kabarWhatsAppApi'));
    } catch (error) {
      throw new NodeOperationError(this.getNode(), error as Error);
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
        const result = await run(this, client, itemIndex);
        if ('json' in result && typeof result.json === 'object') {
          returnData.push({ ...(result as INodeExecutionData), pairedItem: { item: itemIndex } });
        } else {
          for (const json of Array.isArray(result) ? result : [result]) {
            returnData.push({ json, pairedItem: { item: itemIndex } });
          }
        }
      } catch (error) {
        const failure = KabarError.isInstance(error)
          ? apiError(this, error, itemIndex)
          : error instanceof NodeOperationError || error instanceof NodeApiError
            ? error
            : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
        if (this.continueOnFail()) {
          returnData.push({
            json: {
              error: failure.message,
              ...(KabarError.isInstance(error) ? { code: error.code } : {}),
            },
            pairedItem: { item: itemIndex },
          });
          continue;
        }
        throw failure;
      }
    }
    return [returnData];
  }
}
