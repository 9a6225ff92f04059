import type {
  CarouselCard,
  InteractiveFlow,
  InteractiveHeader,
  OutgoingMessage,
  ReplyButton,
  TemplateButton,
  TemplateComponent,
  TemplateParameter,
  WhatsAppClient,
} from '@kabar/core';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  NodeOperationError,
} from 'n8n-workflow';
import { sourceStreamOf } from '../../shared/http-fetch';
import {
  type ContactRow,
  contactsFrom,
  type ListRowInput,
  sectionsFrom,
} from './structured-fields';
import { type MappedValues, mappedTemplate, templateRef } from './template-parameters';

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
    // Message Category; core refuses a value other than marketing, utility or authentication.
    ...(nonEmpty(options, 'category') ? { category: nonEmpty(options, 'category') } : {}),
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

/** The body parameters of a template send: positional (`{{1}}`) or named (`{{first_name}}`). */
function templateParams(
  context: IExecuteFunctions,
  i: number,
): string[] | Record<string, TemplateParameter> {
  if (param<string>(context, 'parameterFormat', i, 'positional') !== 'named') {
    const positional = param<{ parameter?: { text: string }[] }>(context, 'bodyParameters', i, {});
    return (positional.parameter ?? []).map((p) => p.text);
  }
  const named = param<{ parameter?: { name: string; value: string }[] }>(
    context,
    'namedBodyParameters',
    i,
    {},
  );
  const params: Record<string, TemplateParameter> = {};
  for (const { name, value } of named.parameter ?? []) {
    // Meta's placeholders are {{name}}; a pasted "{{name}}" means the same placeholder.
    const key = String(name ?? '')
      .replace(/^\s*\{\{\s*|\s*\}\}\s*$/g, '')
      .trim();
    if (key in params) {
      throw new NodeOperationError(context.getNode(), `Body parameter "${key}" is given twice`, {
        itemIndex: i,
      });
    }
    params[key] = value ?? '';
  }
  return params;
}

/** Button Parameters as template button components. */
function templateButtons(context: IExecuteFunctions, i: number): TemplateButton[] {
  const rows = param<{ button?: { subType: string; index: number; value: string }[] }>(
    context,
    'buttonParameters',
    i,
    {},
  ).button;
  return (rows ?? []).map(({ subType, index: at, value }): TemplateButton => {
    const index = Number(at);
    switch (subType) {
      case 'quick_reply':
        return {
          type: 'button',
          subType: 'quick_reply',
          index,
          parameters: [{ type: 'payload', payload: value }],
        };
      case 'url':
        return { type: 'button', subType: 'url', index, parameters: [value] };
      case 'otp':
        return { type: 'button', subType: 'otp', index, code: value };
      case 'copy_code':
        return { type: 'button', subType: 'copy_code', index, couponCode: value };
      default:
        throw new NodeOperationError(
          context.getNode(),
          `Unknown button parameter type "${subType}"`,
          { itemIndex: i },
        );
    }
  });
}

/** The CTA URL message's header: none, text, or an image, video or document by URL. */
function ctaHeader(context: IExecuteFunctions, i: number): InteractiveHeader | undefined {
  const type = param<string>(context, 'headerType', i, 'none');
  if (type === 'none') return undefined;
  if (type === 'text') return param<string>(context, 'headerText', i);
  const link = param<string>(context, 'headerMediaUrl', i);
  if (type === 'image') return { image: { link } };
  if (type === 'video') return { video: { link } };
  return { document: { link } };
}

interface CardRow {
  mediaType?: 'image' | 'video';
  mediaUrl?: string;
  text?: string;
  buttonText?: string;
  buttonUrl?: string;
  reply1Id?: string;
  reply1Title?: string;
  reply2Id?: string;
  reply2Title?: string;
}

/** One carousel card; every card gets the kind of button chosen in Card Buttons. */
function carouselCard(card: CardRow, buttons: string): CarouselCard {
  const link = card.mediaUrl ?? '';
  const header = card.mediaType === 'video' ? { video: { link } } : { image: { link } };
  const body = card.text ? { body: card.text } : {};
  if (buttons === 'url') {
    return {
      header,
      ...body,
      button: { text: card.buttonText ?? '', url: card.buttonUrl ?? '' },
    };
  }
  const replies: ReplyButton[] = [{ id: card.reply1Id ?? '', title: card.reply1Title ?? '' }];
  // A second button counts once either of its fields is filled, so a half-filled one is reported.
  if (card.reply2Id || card.reply2Title) {
    replies.push({ id: card.reply2Id ?? '', title: card.reply2Title ?? '' });
  }
  return { header, ...body, buttons: replies };
}

function flowContent(context: IExecuteFunctions, i: number, options: IDataObject): InteractiveFlow {
  const byName = param<string>(context, 'flowBy', i, 'id') === 'name';
  const token = param<string>(context, 'flowSession', i, '');
  const navigate = param<string>(context, 'flowAction', i, 'navigate') === 'navigate';
  const data = navigate ? param<string | object>(context, 'flowData', i, '') : '';
  return {
    type: 'flow',
    ...(byName
      ? { flowName: param<string>(context, 'flowName', i) }
      : { flowId: param<string>(context, 'flowId', i) }),
    cta: param<string>(context, 'flowCta', i),
    body: param<string>(context, 'body', i),
    ...interactiveExtras(options),
    ...(token !== '' ? { flowToken: token } : {}),
    ...(param<string>(context, 'flowMode', i, 'published') === 'draft'
      ? { mode: 'draft' as const }
      : {}),
    action: navigate
      ? {
          type: 'navigate',
          screen: param<string>(context, 'flowScreen', i),
          ...(data !== '' && data !== undefined
            ? { data: json<Record<string, unknown>>(context, 'flowData', i) }
            : {}),
        }
      : { type: 'data_exchange' },
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
      const fromJson = components !== '' && components !== undefined;
      const buttons = templateButtons(context, i);
      const given = fromJson ? json<TemplateComponent[]>(context, 'componentsJson', i) : [];
      if (!Array.isArray(given)) {
        throw new NodeOperationError(context.getNode(), '"componentsJson" must be a JSON array', {
          itemIndex: i,
        });
      }
      // Template Parameters (the chosen template's fields) when filled, else the Body Parameters
      // of nodes that name the template by hand; the JSON components, when given, replace both.
      const mapped = fromJson
        ? {}
        : mappedTemplate(
            param<{ value?: MappedValues | null }>(context, 'templateParameters', i, {}).value ??
              {},
          );
      const header = mapped.header ? [mapped.header] : [];
      const all = [...given, ...header, ...buttons];
      return {
        template: {
          ...templateRef(
            param<string>(context, 'templateName', i),
            param<string>(context, 'language', i, ''),
          ),
          ...(fromJson ? {} : { params: mapped.params ?? templateParams(context, i) }),
          ...(all.length > 0 ? { components: all } : {}),
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
        sections: sectionsFrom(param<{ row?: ListRowInput[] }>(context, 'rows', i, {}).row ?? []),
        ...interactiveExtras(options),
      },
    })),

  sendCtaUrl: (context, client, i) =>
    send(context, client, i, (options) => {
      const header = ctaHeader(context, i);
      return {
        interactive: {
          type: 'cta_url',
          body: param<string>(context, 'body', i),
          button: {
            text: param<string>(context, 'ctaButtonText', i),
            url: param<string>(context, 'ctaUrl', i),
          },
          ...(header !== undefined ? { header } : {}),
          ...(nonEmpty(options, 'footer') ? { footer: nonEmpty(options, 'footer') } : {}),
        },
      };
    }),

  sendLocationRequest: (context, client, i) =>
    send(context, client, i, () => ({
      interactive: { type: 'location_request', body: param<string>(context, 'body', i) },
    })),

  sendCarousel: (context, client, i) =>
    send(context, client, i, () => {
      const buttons = param<string>(context, 'cardButtons', i, 'url');
      const cards = param<{ card?: CardRow[] }>(context, 'cards', i, {}).card ?? [];
      return {
        interactive: {
          type: 'carousel',
          body: param<string>(context, 'body', i),
          cards: cards.map((card) => carouselCard(card, buttons)),
        },
      };
    }),

  sendFlow: (context, client, i) =>
    send(context, client, i, (options) => ({ interactive: flowContent(context, i, options) })),

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
    send(context, client, i, () => {
      const given = param<string | object>(context, 'contactsJson', i, '');
      return {
        contacts:
          given !== '' && given !== undefined
            ? json(context, 'contactsJson', i)
            : contactsFrom(
                param<{ contact?: ContactRow[] }>(context, 'contacts', i, {}).contact ?? [],
              ),
      };
    }),

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
    // n8n's own response stream goes to its binary data store as is, so a large file is never
    // held in memory. Should a provider ever hand back a body of its own making (wrapped, say),
    // that is read whole first.
    const source = sourceStreamOf(download.body) as Parameters<
      typeof context.helpers.prepareBinaryData
    >[0];
    const data = source ?? Buffer.from(await new Response(download.body).arrayBuffer());
    const field = param<string>(context, 'binaryPropertyName', i);
    return {
      json: {
        mediaId,
        contentType: download.contentType,
        size: download.contentLength ?? (Buffer.isBuffer(data) ? data.length : undefined),
      },
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
