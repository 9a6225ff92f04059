import type { GatewayName } from '@kabar/core/gateways';
import { unknownPlaceholders } from './message';
import { defaultRatePerSecond, gatewayLabel } from './registry';

/**
 * A gateway the Apps Script can send through: a name in core's registry. Should one of these leave
 * the registry, it drops out of this type and the records keyed by it stop compiling.
 */
export type Gateway = GatewayName & ('kirem' | 'meta' | 'fonnte' | 'wablas');

/**
 * What each gateway sends: an approved template (Kirem, Meta) or the settings' message text
 * (Fonnte and Wablas drive a WhatsApp Web session and have no templates). Also the list of
 * gateways the settings accept.
 */
export const MESSAGE_KIND: Record<Gateway, 'template' | 'text'> = {
  kirem: 'template',
  meta: 'template',
  fonnte: 'text',
  wablas: 'text',
};

/** Whether `name` is a gateway the Apps Script sends through. */
export function isGateway(name: string): name is Gateway {
  return Object.hasOwn(MESSAGE_KIND, name);
}

/** Whether the gateway sends the settings' message text rather than a template. */
export function sendsText(gateway: Gateway): boolean {
  return MESSAGE_KIND[gateway] === 'text';
}

/** Everything the broadcast needs except the secrets, stored as one JSON script property. */
export interface Settings {
  gateway: Gateway;
  /** Kirem: optional (routes through that number); Meta: required. */
  phoneNumberId: string;
  /**
   * Empty: the gateway's public API (Wablas: the host of `server`). Without a trailing slash or
   * the endpoint's path (`/v1/messages`, `/send`, `/api/send-message`).
   */
  baseUrl: string;
  /** Wablas: the account's server as its dashboard shows it, e.g. `bdg` for bdg.wablas.com. */
  server: string;
  /** Meta Graph API version. */
  apiVersion: string;
  /** Kirem and Meta: the approved template. */
  templateName: string;
  /** Kirem and Meta: the template's language. */
  language: string;
  /**
   * Fonnte and Wablas: the text every row gets, with `{name}`, `{promo}` and `{phone}` filled from
   * the row (the values a template gets as `{{1}}`, `{{2}}`).
   */
  messageText: string;
  /**
   * Messages per second the gateway allows; fractions pace slow gateways (0.2: one every 5 s,
   * Fonnte's and Wablas' default). Default: the gateway's rate in core's registry.
   */
  ratePerSecond: number;
  /** Most requests in one UrlFetchApp.fetchAll. */
  chunkSize: number;
  /** A run stops after this many seconds and schedules its continuation (Apps Script stops at 360). */
  timeBudgetSeconds: number;
  /** How long after a stopped run the continuation trigger fires. */
  continueAfterSeconds: number;
}

/**
 * The text Fonnte and Wablas send until it is changed: the body of the seed's `broadcast_promo`
 * template, so switching gateway keeps the message.
 */
export const DEFAULT_MESSAGE_TEXT =
  'Halo {name}, Jangan lewatkan promo spesial kami! Gunakan kode *{promo}* untuk mendapatkan diskon di seluruh produk.';

/** Settings before anything is saved. */
export const DEFAULT_SETTINGS: Settings = {
  gateway: 'kirem',
  phoneNumberId: '',
  baseUrl: '',
  server: '',
  apiVersion: 'v21.0',
  templateName: 'broadcast_promo',
  language: 'id',
  messageText: DEFAULT_MESSAGE_TEXT,
  ratePerSecond: defaultRatePerSecond('kirem'),
  chunkSize: 50,
  timeBudgetSeconds: 270,
  continueAfterSeconds: 60,
};

/** Each gateway's public API when `baseUrl` is empty; Wablas' depends on the server. */
export const DEFAULT_BASE_URLS: Record<Exclude<Gateway, 'wablas'>, string> = {
  kirem: 'https://api.kirem.co',
  meta: 'https://graph.facebook.com',
  fonnte: 'https://api.fonnte.com',
};

/** The API host of the settings' gateway, without a trailing slash. */
export function gatewayBaseUrl(settings: Settings): string {
  if (settings.baseUrl) return settings.baseUrl;
  if (settings.gateway === 'wablas') return `https://${settings.server}.wablas.com`;
  return DEFAULT_BASE_URLS[settings.gateway];
}

/** Script property names. */
export const PROPERTY = {
  settings: 'KABAR_SETTINGS',
  apiKey: 'KABAR_API_KEY',
  /** Wablas' secret key, a secret like the API key (the Sheets CLI reads it as KABAR_SECRET_KEY). */
  secretKey: 'KABAR_SECRET_KEY',
  run: 'KABAR_RUN',
  campaign: 'KABAR_CAMPAIGN',
  lastSummary: 'KABAR_LAST_SUMMARY',
  stop: 'KABAR_STOP',
} as const;

/**
 * The part of Apps Script's script properties this bundle uses; the unit tests pass a Map-backed
 * stand-in of the same shape.
 */
export type PropertyStore = Pick<
  GoogleAppsScript.Properties.Properties,
  'getProperty' | 'setProperty' | 'deleteProperty'
>;

const LIMITS = {
  chunkSize: [1, 100],
  timeBudgetSeconds: [10, 330],
  continueAfterSeconds: [1, 3600],
} as const satisfies Partial<Record<keyof Settings, readonly [number, number]>>;

/** Slowest pace one message per 100 s; fastest far above any gateway's limit. */
const RATE_RANGE = [0.01, 1000] as const;

/** WhatsApp's longest text. */
const WHATSAPP_MAX_TEXT = 4096;
/** Gateways that take less: Wablas documents 1024 characters for `message`. */
const MAX_TEXT: Partial<Record<Gateway, number>> = { wablas: 1024 };

/** The stored settings over the defaults; settings stored by an older bundle lack the new fields. */
export function loadSettings(
  properties: PropertyStore = PropertiesService.getScriptProperties(),
): Settings {
  const stored = properties.getProperty(PROPERTY.settings);
  if (!stored) return { ...DEFAULT_SETTINGS };
  try {
    const parsed = JSON.parse(stored) as Partial<Settings>;
    return { ...DEFAULT_SETTINGS, ...parsed };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** The stored API key (Kirem), access token (Meta) or token (Fonnte, Wablas); empty if none. */
export function loadApiKey(
  properties: PropertyStore = PropertiesService.getScriptProperties(),
): string {
  return properties.getProperty(PROPERTY.apiKey) ?? '';
}

/** The secrets a send needs, as stored in script properties. */
export interface Credentials {
  apiKey: string;
  /** Wablas' secret key; empty when none is stored. */
  secretKey: string;
}

/** The stored secrets. */
export function loadCredentials(
  properties: PropertyStore = PropertiesService.getScriptProperties(),
): Credentials {
  return {
    apiKey: loadApiKey(properties),
    secretKey: properties.getProperty(PROPERTY.secretKey) ?? '',
  };
}

/** The secrets to remove from every text bound for a cell, a dialog or a log. */
export function secretsOf(credentials: Credentials): string[] {
  return [credentials.apiKey, credentials.secretKey].filter((secret) => secret !== '');
}

/** What is wrong with the stored configuration for sending, or undefined when it can send. */
export function missingConfiguration(settings: Settings, apiKey: string): string | undefined {
  if (!isGateway(settings.gateway)) return `Gateway ${settings.gateway} tidak dikenal.`;
  if (sendsText(settings.gateway)) {
    if (!apiKey) return `Token ${gatewayLabel(settings.gateway)} belum diisi.`;
    if (!settings.messageText) return 'Teks pesan belum diisi.';
    if (settings.gateway === 'wablas' && !settings.server && !settings.baseUrl) {
      return 'Server Wablas (misalnya bdg) atau Base URL belum diisi.';
    }
    return undefined;
  }
  if (!apiKey) return 'API key / access token belum diisi.';
  if (!settings.templateName) return 'Nama template belum diisi.';
  if (settings.gateway === 'meta' && !settings.phoneNumberId) {
    return 'Phone number ID wajib diisi untuk gateway Meta.';
  }
  return undefined;
}

/** The form of the settings dialog, as google.script.run passes it: every field a string. */
export type SettingsForm = Partial<
  Record<keyof Settings | 'apiKey' | 'secretKey' | 'clearSecretKey', unknown>
>;

/**
 * The dialog's fields, validated. `apiKey` and `secretKey` are present only when typed in;
 * `clearSecretKey` asks to delete the stored secret key.
 */
export type ParsedSettings =
  | { ok: true; settings: Settings; apiKey?: string; secretKey?: string; clearSecretKey?: true }
  | { ok: false; errors: string[] };

/**
 * Validates the dialog's fields; an empty API key or secret key field keeps the stored one. A new
 * gateway gets its own default rate unless the rate field was changed, and drops a stored Wablas
 * secret key that no longer applies.
 */
export function parseSettingsForm(form: SettingsForm, current: Settings): ParsedSettings {
  const errors: string[] = [];
  const text = (key: keyof SettingsForm) =>
    typeof form[key] === 'string' || typeof form[key] === 'number' ? String(form[key]).trim() : '';
  const settings: Settings = { ...current };

  const gateway = text('gateway') || current.gateway;
  if (isGateway(gateway)) settings.gateway = gateway;
  else errors.push(`Gateway harus salah satu dari: ${Object.keys(MESSAGE_KIND).join(', ')}.`);
  const gatewayChanged = settings.gateway !== current.gateway;
  const textGateway = sendsText(settings.gateway);

  settings.phoneNumberId = text('phoneNumberId');
  if (settings.phoneNumberId && !/^\d{1,30}$/.test(settings.phoneNumberId)) {
    errors.push('Phone number ID hanya berisi angka.');
  }
  if (settings.gateway === 'meta' && !settings.phoneNumberId) {
    errors.push('Phone number ID wajib diisi untuk gateway Meta.');
  }

  settings.baseUrl = cleanBaseUrl(text('baseUrl'), settings.gateway);
  if (settings.baseUrl && !/^https?:\/\/[^\s/]+/.test(settings.baseUrl)) {
    errors.push('Base URL harus diawali https://');
  }

  if ('server' in form) settings.server = cleanServer(text('server'));
  if (settings.server && !/^[a-z0-9-]{1,63}$/.test(settings.server)) {
    errors.push('Server Wablas hanya berisi huruf, angka dan tanda minus, misalnya bdg.');
  }
  if (settings.gateway === 'wablas' && !settings.server && !settings.baseUrl) {
    errors.push('Server Wablas (misalnya bdg) atau Base URL wajib diisi.');
  }

  if ('apiVersion' in form) settings.apiVersion = text('apiVersion') || DEFAULT_SETTINGS.apiVersion;
  if (!/^v\d+\.\d+$/.test(settings.apiVersion)) errors.push('Versi API Meta seperti v21.0.');

  // Fonnte and Wablas send no template: the (hidden) template fields keep what they held.
  if (!textGateway) {
    settings.templateName = text('templateName');
    if (!/^[a-z0-9_]{1,512}$/.test(settings.templateName)) {
      errors.push('Nama template: huruf kecil, angka dan garis bawah.');
    }
    settings.language = text('language') || DEFAULT_SETTINGS.language;
    if (!/^[A-Za-z]{2,3}(_[A-Za-z]{2,4})?$/.test(settings.language)) {
      errors.push('Kode bahasa seperti id atau en_US.');
    }
  }

  if ('messageText' in form) settings.messageText = text('messageText');
  if (textGateway) {
    const max = MAX_TEXT[settings.gateway] ?? WHATSAPP_MAX_TEXT;
    if (!settings.messageText) {
      errors.push(`Teks pesan wajib diisi untuk ${gatewayLabel(settings.gateway)}.`);
    } else if (settings.messageText.length > max) {
      errors.push(
        `Teks pesan paling banyak ${max} karakter untuk ${gatewayLabel(settings.gateway)}.`,
      );
    }
  }
  const unknown = unknownPlaceholders(settings.messageText);
  if (unknown.length > 0) {
    errors.push(
      `Teks pesan: ${unknown.join(', ')} tidak dikenal; pakai {name}, {promo} atau {phone}.`,
    );
  }

  const rate = text('ratePerSecond').replace(',', '.');
  if (rate === '') {
    if ('ratePerSecond' in form || gatewayChanged) {
      settings.ratePerSecond = defaultRatePerSecond(settings.gateway);
    }
  } else if (gatewayChanged && Number(rate) === current.ratePerSecond) {
    // The field still shows the old gateway's rate, and Kirem's 80/s would get a Fonnte number
    // banned: a new gateway starts at its own default.
    settings.ratePerSecond = defaultRatePerSecond(settings.gateway);
  } else {
    const value = Number(rate);
    const [min, max] = RATE_RANGE;
    if (!/^\d+(\.\d+)?$/.test(rate) || value < min || value > max) {
      errors.push(`ratePerSecond harus angka ${min}..${max} (0.2 = 1 pesan tiap 5 detik).`);
    } else {
      settings.ratePerSecond = value;
    }
  }

  for (const [key, [min, max]] of Object.entries(LIMITS) as [
    keyof typeof LIMITS,
    [number, number],
  ][]) {
    if (!(key in form) || text(key) === '') continue;
    const value = Number(text(key));
    if (!Number.isInteger(value) || value < min || value > max) {
      errors.push(`${key} harus bilangan bulat ${min}..${max}.`);
    } else {
      settings[key] = value;
    }
  }

  const apiKey = text('apiKey');
  if (/\s/.test(apiKey)) errors.push('API key tidak boleh berisi spasi.');
  const secretKey = settings.gateway === 'wablas' ? text('secretKey') : '';
  if (/\s/.test(secretKey)) errors.push('Secret key tidak boleh berisi spasi.');
  if (errors.length > 0) return { ok: false, errors };

  const parsed: ParsedSettings = { ok: true, settings };
  if (apiKey) parsed.apiKey = apiKey;
  if (secretKey) parsed.secretKey = secretKey;
  else if (gatewayChanged || (settings.gateway === 'wablas' && isTicked(form.clearSecretKey))) {
    // A secret key belongs to one Wablas device: it must not outlive the gateway it was given for.
    parsed.clearSecretKey = true;
  }
  return parsed;
}

function isTicked(value: unknown): boolean {
  return value === true || value === 'true' || value === 'on';
}

/** Stores the settings, and each secret the dialog was given; never the other way round. */
export function saveSettingsToProperties(
  parsed: { settings: Settings; apiKey?: string; secretKey?: string; clearSecretKey?: true },
  properties: PropertyStore = PropertiesService.getScriptProperties(),
): void {
  properties.setProperty(PROPERTY.settings, JSON.stringify(parsed.settings));
  if (parsed.apiKey) properties.setProperty(PROPERTY.apiKey, parsed.apiKey);
  if (parsed.secretKey) properties.setProperty(PROPERTY.secretKey, parsed.secretKey);
  else if (parsed.clearSecretKey) properties.deleteProperty(PROPERTY.secretKey);
}

/**
 * The API host from a URL as people paste it: Kirem's sample script's
 * `https://api.kirem.co/v1/messages/` becomes `https://api.kirem.co`; a Fonnte `…/send` or a
 * Wablas `…/api/send-message` or `…/api` loses the endpoint's path the same way.
 */
export function cleanBaseUrl(url: string, gateway: Gateway = 'kirem'): string {
  const endpoint: Record<Gateway, RegExp> = {
    kirem: /\/v1\/messages$/,
    meta: /\/v1\/messages$/,
    fonnte: /\/send$/,
    wablas: /\/api(\/send-message)?$/,
  };
  return url.trim().replace(/\/+$/, '').replace(endpoint[gateway], '').replace(/\/+$/, '');
}

/** `bdg`, also from `bdg.wablas.com` or `https://bdg.wablas.com/` as copied from the dashboard. */
function cleanServer(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\.wablas\.com(\/.*)?$/, '')
    .replace(/\/+$/, '');
}
