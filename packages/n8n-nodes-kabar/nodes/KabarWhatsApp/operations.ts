import type { OutgoingMessage, TemplateComponent, WhatsAppClient } from '@kabar/core';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  NodeOperationError,
} from 'n8n-workflow';

type Run = (
  context: IExecuteFunctions,
  client: WhatsAppClient,
  itemIndex: number,
) => Promise<IDataObject | IDataObject[] | INodeExecutionData>;

function param<T>(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: T): T {
  return context.getNodeParameter(name, itemIndex, fallback) as T;
}

function json<T>(context: IExecuteFunctions, name: string, itemIndex: number): T {
  const value = param<unknown>(context, name, itemIndex);
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new NodeOperationError(context.getNode(), `"${name}" is not valid JSON`, { itemIndex });
  }
}

function nonEmpty(options: IDataObject, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function binaryFile(context: IExecuteFunctions, itemIndex: number) {
  const field = param<string>(context, 'binaryPropertyName', itemIndex);
  const binary = context.helpers.assertBinaryData(itemIndex, field);
  const file = await context.helpers.getBinaryDataBuffer(itemIndex, field);
  return { file: new Uint8Array(file), mimeType: binary.mimeType, filename: binary.fileName };
}

/** Everything a send operation shares: the recipient, the quoted message, the options. */
async function send(
  context: IExecuteFunctions,
  client: WhatsAppClient,
  itemIndex: number,
  content: (options: IDataObject) => Promise<object> | object,
): Promise<IDataObject> {
  const options = param<IDataObject>(context, 'options', itemIndex, {});
  const message = {
    to: param<string>(context, 'to', itemIndex),
    ...(nonEmpty(options, 'replyTo') ? { replyTo: nonEmpty(options, 'replyTo') } : {}),
    ...(await content(options)),
  } as OutgoingMessage;
  const sent = await client.send(message);
  return { id: sent.id, to: sent.to, provider: sent.provider };
}

function interactiveExtras(options: IDataObject) {
  return {
    ...(nonEmpty(options, 'header') ? { header: nonEmpty(options, 'header') } : {}),
    ...(nonEmpty(options, 'footer') ? { footer: nonEmpty(options, 'footer') } : {}),
  };
}

const message: Record<string, Run> = {
  sendText: (context, client, i) =>
    send(context, client, i, (options) => ({
      text: param<string>(context, 'text', i),
      ...(options.previewUrl === true ? { previewUrl: true } : {}),
    })),

  sendTemplate: (context, client, i) =>
    send(context, client, i, () => {
      const components = param<string | object>(context, 'componentsJson', i, '');
      const parameters = param<{ parameter?: { text: string }[] }>(
        context,
        'bodyParameters',
        i,
        {},
      );
      return {
        template: {
          name: param<string>(context, 'templateName', i),
          language: param<string>(context, 'language', i),
          ...(components !== '' && components !== undefined
            ? { components: json<TemplateComponent[]>(context, 'componentsJson', i) }
            : { params: (parameters.parameter ?? []).map((p) => p.text) }),
        },
      };
    }),

  sendMedia: (context, client, i) =>
    send(context, client, i, async (options) => {
      const type = param<string>(context, 'mediaType', i);
      const sourceKind = param<string>(context, 'mediaSource', i);
      let source: { link: string } | { id: string };
      if (sourceKind === 'link') source = { link: param<string>(context, 'mediaLink', i) };
      else if (sourceKind === 'id') source = { id: param<string>(context, 'mediaId', i) };
      // Binary data goes up first; the message then points at the uploaded media's ID.
      else source = await client.media.upload(await binaryFile(context, i));
      const caption = type === 'image' || type === 'video' || type === 'document';
      return {
        [type]: {
          ...source,
          ...(caption && param<string>(context, 'caption', i, '') !== ''
            ? { caption: param<string>(context, 'caption', i) }
            : {}),
          ...(type === 'document' && nonEmpty(options, 'filename')
            ? { filename: nonEmpty(options, 'filename') }
            : {}),
        },
      };
    }),

  sendButtons: (context, client, i) =>
    send(context, client, i, (options) => ({
      interactive: {
        type: 'buttons',
        body: param<string>(context, 'body', i),
        buttons:
          param<{ button?: { id: string; title: string }[] }>(context, 'buttons', i, {}).button ??
          [],
        ...interactiveExtras(options),
      },
    })),

  sendList: (context, client, i) =>
    send(context, client, i, (options) => ({
      interactive: {
        type: 'list',
        body: param<string>(context, 'body', i),
        button: param<string>(context, 'buttonText', i),
        sections: [
          {
            rows: (
              param<{ row?: { id: string; title: string; description?: string }[] }>(
                context,
                'rows',
                i,
                {},
              ).row ?? []
            ).map(({ id, title, description }) => ({
              id,
              title,
              ...(description ? { description } : {}),
            })),
          },
        ],
        ...interactiveExtras(options),
      },
    })),

  sendLocation: (context, client, i) =>
    send(context, client, i, (options) => ({
      location: {
        latitude: param<number>(context, 'latitude', i),
        longitude: param<number>(context, 'longitude', i),
        ...(nonEmpty(options, 'locationName') ? { name: nonEmpty(options, 'locationName') } : {}),
        ...(nonEmpty(options, 'locationAddress')
          ? { address: nonEmpty(options, 'locationAddress') }
          : {}),
      },
    })),

  sendContacts: (context, client, i) =>
    send(context, client, i, () => ({ contacts: json(context, 'contactsJson', i) })),

  markAsRead: async (context, client, i) => {
    const messageId = param<string>(context, 'messageId', i);
    await client.markAsRead(messageId);
    return { messageId, read: true };
  },
};

const template: Record<string, Run> = {
  list: async (context, client, i) => {
    const filters = param<IDataObject>(context, 'filters', i, {});
    const templates = await client.templates.list(
      typeof filters.status === 'string' ? { status: filters.status } : {},
    );
    return templates as unknown as IDataObject[];
  },
  create: async (context, client, i) =>
    (await client.templates.create({
      name: param<string>(context, 'templateName', i),
      language: param<string>(context, 'language', i),
      category: param(context, 'category', i),
      components: json(context, 'componentsJson', i),
    })) as IDataObject,
  delete: async (context, client, i) => {
    const name = param<string>(context, 'templateName', i);
    await client.templates.delete(name);
    return { name, deleted: true };
  },
};

const media: Record<string, Run> = {
  upload: async (context, client, i) => client.media.upload(await binaryFile(context, i)),
  download: async (context, client, i) => {
    const mediaId = param<string>(context, 'mediaId', i);
    const download = await client.media.download(mediaId);
    const data = Buffer.from(await new Response(download.body).arrayBuffer());
    const field = param<string>(context, 'binaryPropertyName', i);
    return {
      json: { mediaId, contentType: download.contentType, size: data.length },
      binary: {
        [field]: await context.helpers.prepareBinaryData(data, undefined, download.contentType),
      },
    };
  },
};

const otp: Record<string, Run> = {
  request: async (context, client, i) =>
    (await client.otp.request({
      phone: param<string>(context, 'phone', i),
    })) as unknown as IDataObject,
  verify: async (context, client, i) =>
    (await client.otp.verify({
      phone: param<string>(context, 'phone', i),
      code: param<string>(context, 'code', i),
    })) as unknown as IDataObject,
};

const profile: Record<string, Run> = {
  get: async (_context, client) => (await client.profile.get()) as unknown as IDataObject,
  update: async (context, client, i) => {
    const fields = { ...param<IDataObject>(context, 'updateFields', i, {}) };
    if (typeof fields.websites === 'string') {
      fields.websites = fields.websites
        .split(',')
        .map((site) => site.trim())
        .filter(Boolean);
    }
    await client.profile.update(fields);
    return { updated: true, ...fields };
  },
};

async function logs<T>(
  context: IExecuteFunctions,
  i: number,
  page: (limit: number) => Promise<{ logs: T[] }>,
  all: () => AsyncIterable<T>,
): Promise<IDataObject[]> {
  if (!param<boolean>(context, 'returnAll', i, false)) {
    return (await page(param<number>(context, 'limit', i, 50))).logs as IDataObject[];
  }
  const collected: IDataObject[] = [];
  for await (const entry of all()) collected.push(entry as IDataObject);
  return collected;
}

const log: Record<string, Run> = {
  messages: (context, client, i) =>
    logs(
      context,
      i,
      (limit) => client.logs.messages({ limit }),
      () => client.logs.allMessages({ limit: 100 }),
    ),
  webhooks: (context, client, i) =>
    logs(
      context,
      i,
      (limit) => client.logs.webhooks({ limit }),
      () => client.logs.allWebhooks({ limit: 100 }),
    ),
};

const group: Record<string, Run> = {
  list: async (_context, client) => (await client.groups.list()) as unknown as IDataObject[],
  sendText: async (context, client, i) => {
    const sent = await client.send({
      to: { group: param<string>(context, 'groupId', i) },
      text: param<string>(context, 'text', i),
    });
    return { id: sent.id, to: sent.to, provider: sent.provider };
  },
};

export const OPERATIONS: Record<string, Record<string, Run>> = {
  message,
  template,
  media,
  otp,
  profile,
  log,
  group,
};
