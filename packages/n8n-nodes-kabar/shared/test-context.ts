import type {
  IBinaryData,
  ICredentialDataDecryptedObject,
  IDataObject,
  IExecuteFunctions,
  INode,
  INodeExecutionData,
  IWebhookFunctions,
} from 'n8n-workflow';

/**
 * What n8n hands a node while it runs, reduced to the calls our nodes make: the parameters of
 * each item, the credential, binary data and continueOnFail. The nodes themselves run for real
 * and talk HTTP to the sandbox.
 */

const node: INode = {
  id: 'test-node',
  name: 'Kabar WhatsApp',
  type: 'n8n-nodes-kabar.kabarWhatsApp',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

function lookup(parameters: IDataObject, name: string, fallback: unknown): unknown {
  return name in parameters ? parameters[name] : fallback;
}

export function executeContext(options: {
  credentials: ICredentialDataDecryptedObject;
  items: IDataObject[];
  binary?: Record<string, IBinaryData>[];
  continueOnFail?: boolean;
}): IExecuteFunctions {
  const input: INodeExecutionData[] = options.items.map((_, i) => ({
    json: {},
    ...(options.binary?.[i] ? { binary: options.binary[i] } : {}),
  }));
  return {
    getInputData: () => input,
    getNode: () => node,
    getCredentials: async () => options.credentials,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
      const value = lookup(options.items[itemIndex] ?? {}, name, fallback);
      if (value === undefined) throw new Error(`no parameter ${name} for item ${itemIndex}`);
      return value;
    },
    continueOnFail: () => options.continueOnFail ?? false,
    helpers: {
      assertBinaryData: (itemIndex: number, field: string) => {
        const data = input[itemIndex]?.binary?.[field];
        if (!data) throw new Error(`item ${itemIndex} has no binary field ${field}`);
        return data;
      },
      getBinaryDataBuffer: async (itemIndex: number, field: string) =>
        Buffer.from(input[itemIndex]?.binary?.[field]?.data ?? '', 'base64'),
      prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({
        data: data.toString('base64'),
        mimeType: mimeType ?? 'application/octet-stream',
        ...(fileName ? { fileName } : {}),
      }),
    },
  } as unknown as IExecuteFunctions;
}

export function binaryOf(data: Uint8Array, mimeType: string, fileName: string): IBinaryData {
  return { data: Buffer.from(data).toString('base64'), mimeType, fileName };
}

export interface WebhookCall {
  name?: 'default' | 'setup';
  rawBody?: string;
  /** Besides `content-type: application/json`, which gateways send. */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  events?: string[];
  /** The trigger's Waviro Keyword Reply parameter. */
  keywordReply?: string;
  /**
   * The trigger node's webhook id, i.e. its URL. Each call gets a new one unless given, as if each
   * went to a trigger of its own; give the same id to deliver to one trigger twice.
   */
  webhookId?: string;
  credentials: ICredentialDataDecryptedObject;
}

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  /** A JSON answer parsed; any other answer as its text. */
  body: unknown;
  /** What the trigger logged. */
  logs: string[];
}

let webhooks = 0;

/** A webhook request as n8n passes it to a trigger, and the response the trigger writes. */
export function webhookContext(call: WebhookCall): {
  context: IWebhookFunctions;
  answer: WebhookAnswer;
} {
  const answer: WebhookAnswer = { status: 0, headers: {}, body: undefined, logs: [] };
  const response = {
    status(code: number) {
      answer.status = code;
      return response;
    },
    set(headers: Record<string, string>) {
      Object.assign(answer.headers, headers);
      return response;
    },
    json(body: unknown) {
      answer.body = body;
      return response;
    },
    send(body: unknown) {
      const json = answer.headers['content-type']?.startsWith('application/json');
      answer.body = json && typeof body === 'string' ? JSON.parse(body) : body;
      return response;
    },
  };
  const webhookId = call.webhookId ?? `webhook-${++webhooks}`;
  const parameters: IDataObject = {
    events: call.events ?? ['message', 'button'],
    keywordReply: call.keywordReply ?? '',
  };
  const request = {
    rawBody: undefined as Buffer | undefined,
    async readRawBody() {
      request.rawBody = Buffer.from(call.rawBody ?? '', 'utf8');
    },
  };
  const context = {
    getWebhookName: () => call.name ?? 'default',
    getCredentials: async () => call.credentials,
    getResponseObject: () => response,
    getRequestObject: () => request,
    getHeaderData: () => ({ 'content-type': 'application/json', ...call.headers }),
    getQueryData: () => call.query ?? {},
    getNodeParameter: (name: string, fallback: unknown) => lookup(parameters, name, fallback),
    getNode: () => ({ ...node, type: 'n8n-nodes-kabar.kabarWhatsAppTrigger', webhookId }),
    logger: {
      warn: (message: string) => answer.logs.push(message),
      error: (message: string) => answer.logs.push(message),
    },
    helpers: {
      returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
    },
  } as unknown as IWebhookFunctions;
  return { context, answer };
}
