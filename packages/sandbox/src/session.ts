import type { KeptTemplates } from './dialect.js';
import { isRecord } from './http.js';
import { type StoredMedia, sha256 } from './media.js';
import { MESSAGE_STATUSES } from './message-search.js';
import { DIALECT_LIST, PROVIDERS, type Sandbox } from './sandbox.js';
import type {
  DeliveryKind,
  MessageStatus,
  Provider,
  SessionMessage,
  WebhookDelivery,
} from './types.js';

/**
 * What a data file and a session document keep of a sandbox: its messages, every template store,
 * its media and its webhook deliveries. Everything else (faults, webhooks set at run time, reads,
 * each gateway's devices and sessions) starts afresh.
 */
export interface SessionData {
  /** Newest first, with their requests and statuses. */
  messages: SessionMessage[];
  /** Each template store's templates by provider; a store left out keeps what it has. */
  templates: Partial<Record<Provider, unknown[]>>;
  /** Oldest first. */
  media: StoredMedia[];
  /** Oldest first. */
  deliveries: WebhookDelivery[];
}

/** Session content as read from a file or a document, before it is checked. */
export interface UncheckedSession {
  messages: unknown;
  templates: unknown;
  /** Each entry's bytes already decoded (a BLOB, or base64 in a document) as `bytes`. */
  media: unknown;
  deliveries: unknown;
}

/** The checked session, or the first thing wrong with it, named by its path, e.g. `messages[2].message.id`. */
export type ReadSession = { ok: true; data: SessionData } | { ok: false; problem: string };

/** The session's stores as they are now: the stores' own objects, for serializing at once. */
export function captureSession(sandbox: Sandbox): SessionData {
  return {
    messages: sandbox.messages.snapshot(),
    templates: Object.fromEntries(
      templateStores(sandbox).map(([provider, store]) => [provider, store.snapshot()]),
    ),
    media: sandbox.media.snapshot(),
    deliveries: sandbox.deliveries.snapshot(),
  };
}

/**
 * Replaces the session's stores with `data` (their caps apply), then lets each dialect bring its
 * ids past the restored ones. The rest of the sandbox is left as it is.
 */
export function restoreSession(sandbox: Sandbox, data: SessionData): void {
  sandbox.messages.restore(data.messages);
  for (const [provider, store] of templateStores(sandbox)) {
    const templates = data.templates[provider];
    if (templates) store.restore(templates);
  }
  sandbox.media.restore(data.media);
  sandbox.deliveries.restore(data.deliveries);
  for (const dialect of DIALECT_LIST) sandbox.dialects[dialect.name].restored?.();
}

/** Calls `listener` after any change to the session's stores; returns the function that stops it. */
export function subscribeToSession(sandbox: Sandbox, listener: () => void): () => void {
  const signals = [
    sandbox.messages.changes,
    ...templateStores(sandbox).map(([, store]) => store.changes),
    sandbox.media.changes,
    sandbox.deliveries.changes,
  ];
  const stops = signals.map((signal) => signal.subscribe(listener));
  return () => {
    for (const stop of stops) stop();
  };
}

/**
 * Checks session content from outside the process (a data file, an imported document). Only what
 * the sandbox relies on is checked, so a document written by hand for a bug report still loads.
 */
export function readSession(sandbox: Sandbox, raw: UncheckedSession): ReadSession {
  const problem =
    listProblem(raw.messages, 'messages', messageProblem) ??
    duplicateProblem(
      raw.messages as { message: { id: string } }[],
      'messages',
      (m) => m.message.id,
    ) ??
    templatesProblem(sandbox, raw.templates) ??
    listProblem(raw.media, 'media', mediaProblem) ??
    duplicateProblem(raw.media as StoredMedia[], 'media', (media) => media.id) ??
    listProblem(raw.deliveries, 'deliveries', deliveryProblem);
  if (problem) return { ok: false, problem };
  // Every part has just been checked to have the shape SessionData names.
  return { ok: true, data: raw as SessionData };
}

/** The gateways that keep templates (Kirem, Meta, Qirim), in table order. */
export function templateProviders(sandbox: Sandbox): Provider[] {
  return templateStores(sandbox).map(([provider]) => provider);
}

/** The dialects' template stores, by provider, in table order. */
function templateStores(sandbox: Sandbox): [Provider, KeptTemplates][] {
  return DIALECT_LIST.flatMap(({ name }) => {
    const store = sandbox.dialects[name].templates;
    return store ? [[name, store] as [Provider, KeptTemplates]] : [];
  });
}

type Check = (value: unknown, at: string) => string | undefined;

function listProblem(value: unknown, at: string, check: Check): string | undefined {
  if (!Array.isArray(value)) return `${at} must be an array`;
  for (const [index, item] of value.entries()) {
    const problem = check(item, `${at}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** Two entries with one id would make lookups by id find only one of them. */
function duplicateProblem<T>(items: T[], at: string, idOf: (item: T) => string) {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const id = idOf(item);
    if (seen.has(id)) return `${at}[${index}] repeats the id '${id}'`;
    seen.add(id);
  }
  return undefined;
}

function templatesProblem(sandbox: Sandbox, value: unknown): string | undefined {
  if (!isRecord(value)) return 'templates must be an object';
  const stores = new Map(templateStores(sandbox));
  for (const [provider, templates] of Object.entries(value)) {
    const store = stores.get(provider as Provider);
    if (!store) {
      return `templates.${provider}: only ${[...stores.keys()].join(', ')} keep templates`;
    }
    const problem = listProblem(templates, `templates.${provider}`, (template, at) =>
      store.check(template, at),
    );
    if (problem) return problem;
  }
  return undefined;
}

function messageProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  const { message, request, statuses } = value;
  if (!isRecord(message)) return `${at}.message must be an object`;
  const where = `${at}.message`;
  if (typeof message.id !== 'string' || message.id === '') {
    return `${where}.id must be a non-empty string`;
  }
  const problem =
    stringsProblem(message, ['to', 'type', 'text', 'createdAt'], where) ??
    oneOfProblem(message.provider, PROVIDERS, `${where}.provider`) ??
    oneOfProblem(message.direction, ['outbound', 'inbound'], `${where}.direction`) ??
    oneOfProblem(message.status, MESSAGE_STATUSES, `${where}.status`) ??
    optionalStringsProblem(message, OPTIONAL_MESSAGE_STRINGS, where);
  if (problem) return problem;
  if (
    message.template !== undefined &&
    !(isRecord(message.template) && typeof message.template.name === 'string')
  ) {
    return `${where}.template must be an object with a string name`;
  }
  if (request !== null && request !== undefined) {
    if (!isRecord(request)) return `${at}.request must be an object or null`;
    const requestProblem =
      stringsProblem(request, ['method', 'path', 'body', 'receivedAt'], `${at}.request`) ??
      headersProblem(request.headers, `${at}.request.headers`);
    if (requestProblem) return requestProblem;
  }
  return listProblem(statuses, `${at}.statuses`, statusProblem);
}

/** Optional message fields that searching reads as text, so a number there would break it. */
const OPTIONAL_MESSAGE_STRINGS = [
  'from',
  'userId',
  'idempotencyKey',
  'phoneNumberId',
  'sessionId',
  'groupId',
];

function statusProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  return (
    oneOfProblem(value.status, MESSAGE_STATUSES as readonly MessageStatus[], `${at}.status`) ??
    stringsProblem(value, ['at'], at)
  );
}

function mediaProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  if (typeof value.id !== 'string' || value.id === '') return `${at}.id must be a non-empty string`;
  const problem =
    oneOfProblem(value.provider, PROVIDERS, `${at}.provider`) ??
    stringsProblem(value, ['mimeType', 'filename', 'sha256'], at);
  if (problem) return problem;
  if (!(value.bytes instanceof Uint8Array)) return `${at} has no bytes`;
  // A file cut short or altered on its way (an edited document, a damaged disk) shows here.
  return sha256(value.bytes) === value.sha256 ? undefined : `${at}.sha256 does not match its bytes`;
}

/** Every kind, so a new DeliveryKind that is missing here is a compile error. */
const DELIVERY_KINDS: Record<DeliveryKind, true> = {
  message: true,
  status: true,
  keyword: true,
  template: true,
  preference: true,
  connection: true,
};

function deliveryProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  if (typeof value.id !== 'string' || value.id === '') return `${at}.id must be a non-empty string`;
  const problem =
    oneOfProblem(value.provider, PROVIDERS, `${at}.provider`) ??
    oneOfProblem(value.kind, Object.keys(DELIVERY_KINDS), `${at}.kind`) ??
    stringsProblem(value, ['url', 'body', 'responseBody', 'at'], at) ??
    headersProblem(value.headers, `${at}.headers`);
  if (problem) return problem;
  if (value.status !== null && !Number.isInteger(value.status)) {
    return `${at}.status must be an HTTP status or null`;
  }
  if (typeof value.durationMs !== 'number') return `${at}.durationMs must be a number`;
  if (!Number.isInteger(value.attempt) || (value.attempt as number) < 1) {
    return `${at}.attempt must be a positive integer`;
  }
  return value.error === undefined || typeof value.error === 'string'
    ? undefined
    : `${at}.error must be a string`;
}

function stringsProblem(
  record: Record<string, unknown>,
  fields: readonly string[],
  at: string,
): string | undefined {
  const field = fields.find((name) => typeof record[name] !== 'string');
  return field === undefined ? undefined : `${at}.${field} must be a string`;
}

function optionalStringsProblem(
  record: Record<string, unknown>,
  fields: readonly string[],
  at: string,
): string | undefined {
  const field = fields.find(
    (name) => record[name] !== undefined && typeof record[name] !== 'string',
  );
  return field === undefined ? undefined : `${at}.${field} must be a string when present`;
}

function headersProblem(value: unknown, at: string): string | undefined {
  const ok = isRecord(value) && Object.values(value).every((header) => typeof header === 'string');
  return ok ? undefined : `${at} must be an object of strings`;
}

function oneOfProblem(value: unknown, allowed: readonly string[], at: string): string | undefined {
  return allowed.includes(value as string)
    ? undefined
    : `${at} must be one of ${allowed.join(', ')}`;
}
