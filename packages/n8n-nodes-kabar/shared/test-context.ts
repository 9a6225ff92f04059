import type {
  IBinaryData,
  ICredentialDataDecryptedObject,
  IDataObject,
  IExecuteFunctions,
  ILoadOptionsFunctions,
  INode,
  INodeExecutionData,
  IWebhookFunctions,
} from 'n8n-workflow';
import type { HttpRequest } from './http-fetch';
import { httpRequestHarness } from './test-http';

/**
 * What n8n hands a node while it runs, reduced to the calls our nodes make: the parameters of
 * each item, the credential, binary data, HTTP requests (`httpRequestHarness`, a real HTTP
 * client), continueOnFail and the send-and-wait calls. The nodes themselves run for real and talk
 * HTTP to the sandbox.
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

/** What a send-and-wait execution asked of n8n. */
export interface WaitRecord {
  /** The date `putExecutionToWait` was given. */
  waitTill?: Date;
  /** Whether the node asked n8n to check the resume URL's signature. */
  signatureRequired?: boolean;
}

/** The resume URL `getSignedResumeUrl` answers, as n8n builds it for execution 42. */
export const RESUME_URL = 'https://n8n.toko.example/webhook-waiting/42/test-node?signature=abc123';

async function bytesOf(data: Buffer | AsyncIterable<Uint8Array>): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  const chunks: Uint8Array[] = [];
  for await (const chunk of data) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function executeContext(options: {
  credentials: ICredentialDataDecryptedObject;
  items: IDataObject[];
  binary?: Record<string, IBinaryData>[];
  continueOnFail?: boolean;
  httpRequest?: HttpRequest;
  waits?: WaitRecord;
  /** Whether `setSignatureValidationRequired` exists (n8n before 2.14); default true. */
  signatureCall?: boolean;
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
    getSignedResumeUrl: () => RESUME_URL,
    ...(options.signatureCall === false
      ? {}
      : {
          setSignatureValidationRequired: () => {
            if (options.waits) options.waits.signatureRequired = true;
          },
        }),
    putExecutionToWait: async (waitTill: Date) => {
      if (options.waits) options.waits.waitTill = waitTill;
    },
    helpers: {
      httpRequest: options.httpRequest ?? httpRequestHarness().httpRequest,
      assertBinaryData: (itemIndex: number, field: string) => {
        const data = input[itemIndex]?.binary?.[field];
        if (!data) throw new Error(`item ${itemIndex} has no binary field ${field}`);
        return data;
      },
      getBinaryDataBuffer: async (itemIndex: number, field: string) =>
        Buffer.from(input[itemIndex]?.binary?.[field]?.data ?? '', 'base64'),
      // n8n takes a Buffer or its HTTP response stream, and streams the latter to its store.
      prepareBinaryData: async (
        data: Buffer | AsyncIterable<Uint8Array>,
        fileName?: string,
        mimeType?: string,
      ) => ({
        data: (await bytesOf(data)).toString('base64'),
        mimeType: mimeType ?? 'application/octet-stream',
        ...(fileName ? { fileName } : {}),
      }),
    },
  } as unknown as IExecuteFunctions;
}

/** What a loadOptions, listSearch or resourceMapping method sees: the node's current values. */
export function loadOptionsContext(options: {
  credentials: ICredentialDataDecryptedObject;
  parameters?: IDataObject;
  httpRequest?: HttpRequest;
}): ILoadOptionsFunctions {
  const parameters = options.parameters ?? {};
  return {
    getNode: () => node,
    getCredentials: async () => options.credentials,
    getCurrentNodeParameter: (name: string) => parameters[name],
    getNodeParameter: (name: string, fallback?: unknown) => lookup(parameters, name, fallback),
    helpers: { httpRequest: options.httpRequest ?? httpRequestHarness().httpRequest },
  } as unknown as ILoadOptionsFunctions;
}

/** A request to the action node's waiting webhook (its resume URL), and what the node answered. */
export function waitingWebhookContext(call: {
  method: 'GET' | 'POST';
  body?: IDataObject;
  parameters: IDataObject;
}): { context: IWebhookFunctions; answer: WebhookAnswer } {
  const answer: WebhookAnswer = { status: 0, headers: {}, body: undefined, logs: [] };
  const response = {
    status(code: number) {
      answer.status = code;
      return response;
    },
    set(name: string, value: string) {
      answer.headers[name] = value;
      return response;
    },
    send(body: unknown) {
      answer.body = body;
      return response;
    },
  };
  const context = {
    getNode: () => node,
    getNodeParameter: (name: string, fallback: unknown) => lookup(call.parameters, name, fallback),
    getRequestObject: () => ({ method: call.method }),
    getResponseObject: () => response,
    getBodyData: () => call.body ?? {},
  } as unknown as IWebhookFunctions;
  return { context, answer };
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
  /** The trigger's URL as n8n gives it (`getNodeWebhookUrl`); by default on an unused port. */
  webhookUrl?: string;
  /** The requests the trigger makes (`helpers.httpRequest`); by default a real HTTP client. */
  httpRequest?: HttpRequest;
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
    getNodeWebhookUrl: (name: string) =>
      name === 'default'
        ? (call.webhookUrl ?? `http://127.0.0.1:9/webhook/${webhookId}/webhook`)
        : undefined,
    logger: {
      info: (message: string) => answer.logs.push(message),
      warn: (message: string) => answer.logs.push(message),
      error: (message: string) => answer.logs.push(message),
    },
    helpers: {
      returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
      httpRequest: call.httpRequest ?? httpRequestHarness().httpRequest,
    },
  } as unknown as IWebhookFunctions;
  return { context, answer };
}
