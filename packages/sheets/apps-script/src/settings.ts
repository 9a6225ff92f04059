import { type GasProperties, gas } from './gas';

export type Gateway = 'kirem' | 'meta';

/** Everything the broadcast needs except the secret, stored as one JSON script property. */
export interface Settings {
  gateway: Gateway;
  /** Kirem: optional (routes through that number); Meta: required. */
  phoneNumberId: string;
  /** Empty: the gateway's public API. Without a trailing slash or `/v1/messages`. */
  baseUrl: string;
  /** Meta Graph API version. */
  apiVersion: string;
  templateName: string;
  language: string;
  /** Requests per second the gateway allows (Kirem and Meta: 80). */
  ratePerSecond: number;
  /** Most requests in one UrlFetchApp.fetchAll. */
  chunkSize: number;
  /** A run stops after this many seconds and schedules its continuation (Apps Script stops at 360). */
  timeBudgetSeconds: number;
  /** How long after a stopped run the continuation trigger fires. */
  continueAfterSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  gateway: 'kirem',
  phoneNumberId: '',
  baseUrl: '',
  apiVersion: 'v21.0',
  templateName: 'broadcast_promo',
  language: 'id',
  ratePerSecond: 80,
  chunkSize: 50,
  timeBudgetSeconds: 270,
  continueAfterSeconds: 60,
};

export const DEFAULT_BASE_URLS: Record<Gateway, string> = {
  kirem: 'https://api.kirem.co',
  meta: 'https://graph.facebook.com',
};

export const PROPERTY = {
  settings: 'KABAR_SETTINGS',
  apiKey: 'KABAR_API_KEY',
  run: 'KABAR_RUN',
  campaign: 'KABAR_CAMPAIGN',
  lastSummary: 'KABAR_LAST_SUMMARY',
  stop: 'KABAR_STOP',
} as const;

const LIMITS = {
  ratePerSecond: [1, 1000],
  chunkSize: [1, 100],
  timeBudgetSeconds: [10, 330],
  continueAfterSeconds: [1, 3600],
} as const satisfies Partial<Record<keyof Settings, readonly [number, number]>>;

export function loadSettings(properties: GasProperties = gas.properties()): Settings {
  const stored = properties.getProperty(PROPERTY.settings);
  if (!stored) return { ...DEFAULT_SETTINGS };
  try {
    const parsed = JSON.parse(stored) as Partial<Settings>;
    return { ...DEFAULT_SETTINGS, ...parsed };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function loadApiKey(properties: GasProperties = gas.properties()): string {
  return properties.getProperty(PROPERTY.apiKey) ?? '';
}

/** What is wrong with the stored configuration for sending, or undefined when it can send. */
export function missingConfiguration(settings: Settings, apiKey: string): string | undefined {
  if (!apiKey) return 'API key / access token belum diisi.';
  if (!settings.templateName) return 'Nama template belum diisi.';
  if (settings.gateway === 'meta' && !settings.phoneNumberId) {
    return 'Phone number ID wajib diisi untuk gateway Meta.';
  }
  return undefined;
}

/** The form of the settings dialog, as google.script.run passes it: every field a string. */
export type SettingsForm = Partial<Record<keyof Settings | 'apiKey', unknown>>;

export type ParsedSettings =
  | { ok: true; settings: Settings; apiKey?: string }
  | { ok: false; errors: string[] };

/** Validates the dialog's fields; an empty API key field keeps the stored key. */
export function parseSettingsForm(form: SettingsForm, current: Settings): ParsedSettings {
  const errors: string[] = [];
  const text = (key: keyof SettingsForm) =>
    typeof form[key] === 'string' || typeof form[key] === 'number' ? String(form[key]).trim() : '';
  const settings: Settings = { ...current };

  const gateway = text('gateway') || current.gateway;
  if (gateway === 'kirem' || gateway === 'meta') settings.gateway = gateway;
  else errors.push('Gateway harus kirem atau meta.');

  settings.phoneNumberId = text('phoneNumberId');
  if (settings.phoneNumberId && !/^\d{1,30}$/.test(settings.phoneNumberId)) {
    errors.push('Phone number ID hanya berisi angka.');
  }
  if (settings.gateway === 'meta' && !settings.phoneNumberId) {
    errors.push('Phone number ID wajib diisi untuk gateway Meta.');
  }

  settings.baseUrl = cleanBaseUrl(text('baseUrl'));
  if (settings.baseUrl && !/^https?:\/\/[^\s/]+/.test(settings.baseUrl)) {
    errors.push('Base URL harus diawali https://');
  }

  if ('apiVersion' in form) settings.apiVersion = text('apiVersion') || DEFAULT_SETTINGS.apiVersion;
  if (!/^v\d+\.\d+$/.test(settings.apiVersion)) errors.push('Versi API Meta seperti v21.0.');

  settings.templateName = text('templateName');
  if (!/^[a-z0-9_]{1,512}$/.test(settings.templateName)) {
    errors.push('Nama template: huruf kecil, angka dan garis bawah.');
  }
  settings.language = text('language') || DEFAULT_SETTINGS.language;
  if (!/^[A-Za-z]{2,3}(_[A-Za-z]{2,4})?$/.test(settings.language)) {
    errors.push('Kode bahasa seperti id atau en_US.');
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
  if (errors.length > 0) return { ok: false, errors };
  return apiKey ? { ok: true, settings, apiKey } : { ok: true, settings };
}

export function saveSettingsToProperties(
  parsed: { settings: Settings; apiKey?: string },
  properties: GasProperties = gas.properties(),
): void {
  properties.setProperty(PROPERTY.settings, JSON.stringify(parsed.settings));
  if (parsed.apiKey) properties.setProperty(PROPERTY.apiKey, parsed.apiKey);
}

/** `https://api.kirem.co/v1/messages/` (the seed's KIREM_API_URL) -> `https://api.kirem.co`. */
export function cleanBaseUrl(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/v1\/messages$/, '')
    .replace(/\/+$/, '');
}
