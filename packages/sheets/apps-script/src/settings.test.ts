import { GATEWAYS } from '@kabar/core/gateways';
import { describe, expect, it } from 'vitest';
import { sendPace } from './broadcast';
import { fillMessage, unknownPlaceholders, usesPromo } from './message';
import { defaultRatePerSecond } from './registry';
import {
  cleanBaseUrl,
  DEFAULT_SETTINGS,
  loadCredentials,
  missingConfiguration,
  type ParsedSettings,
  PROPERTY,
  type PropertyStore,
  parseSettingsForm,
  type Settings,
  saveSettingsToProperties,
} from './settings';

function memoryProperties(): PropertyStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  // Apps Script's setters return the whole Properties object for chaining; nothing here chains.
  const chain = () => properties as unknown as GoogleAppsScript.Properties.Properties;
  const properties = {
    values,
    getProperty: (key: string) => values.get(key) ?? null,
    setProperty: (key: string, value: string) => {
      values.set(key, value);
      return chain();
    },
    deleteProperty: (key: string) => {
      values.delete(key);
      return chain();
    },
  };
  return properties;
}

function settingsOf(parsed: ParsedSettings): Settings {
  if (!parsed.ok) throw new Error(parsed.errors.join(' '));
  return parsed.settings;
}

function errorsOf(parsed: ParsedSettings): string[] {
  return parsed.ok ? [] : parsed.errors;
}

const fonnteForm = {
  gateway: 'fonnte',
  apiKey: 'fonnteToken12345',
  messageText: 'Halo {nama}, kode kamu {promo}.',
};

describe('default rates', () => {
  it("come from core's registry: 80/s for Kirem and Meta, one every 5 s for Fonnte and Wablas", () => {
    expect(defaultRatePerSecond('kirem')).toBe(80);
    expect(defaultRatePerSecond('meta')).toBe(80);
    expect(defaultRatePerSecond('fonnte')).toBe(0.2);
    expect(defaultRatePerSecond('wablas')).toBe(0.2);
    for (const name of ['kirem', 'meta', 'fonnte', 'wablas']) {
      const limit = GATEWAYS.find((gateway) => gateway.name === name)?.defaultRateLimit;
      expect(limit && (limit.limit * 1000) / limit.intervalMs).toBe(defaultRatePerSecond(name));
    }
    expect(DEFAULT_SETTINGS.ratePerSecond).toBe(80);
    // A name without a rate in the registry gets a slow one.
    expect(defaultRatePerSecond('no-such-gateway')).toBe(1);
  });

  it('pace a fractional rate as single requests spread over a longer window', () => {
    expect(sendPace(80)).toEqual({ limit: 80, windowMs: 1000 });
    expect(sendPace(0.2)).toEqual({ limit: 1, windowMs: 5000 });
    expect(sendPace(2.5)).toEqual({ limit: 2, windowMs: 800 });
    expect(sendPace(0.01)).toEqual({ limit: 1, windowMs: 100_000 });
  });
});

describe('Fonnte and Wablas settings', () => {
  it('take a message text and start at the gateway own rate when the gateway changes', () => {
    const parsed = parseSettingsForm({ ...fonnteForm, ratePerSecond: '80' }, DEFAULT_SETTINGS);
    expect(parsed).toEqual({
      ok: true,
      apiKey: 'fonnteToken12345',
      // The secret key of any earlier gateway must not stay behind.
      clearSecretKey: true,
      settings: {
        ...DEFAULT_SETTINGS,
        gateway: 'fonnte',
        messageText: 'Halo {nama}, kode kamu {promo}.',
        ratePerSecond: 0.2,
      },
    });
    // Without a rate field, too.
    expect(settingsOf(parseSettingsForm(fonnteForm, DEFAULT_SETTINGS)).ratePerSecond).toBe(0.2);
  });

  it('keep a rate typed in, with a decimal comma or point, and reject nonsense', () => {
    const current = { ...DEFAULT_SETTINGS, gateway: 'fonnte' as const, ratePerSecond: 0.2 };
    expect(
      settingsOf(parseSettingsForm({ ...fonnteForm, ratePerSecond: '0,5' }, current)),
    ).toMatchObject({ ratePerSecond: 0.5 });
    expect(
      settingsOf(parseSettingsForm({ ...fonnteForm, ratePerSecond: '1' }, current)),
    ).toMatchObject({ ratePerSecond: 1 });
    // An emptied field goes back to the gateway's default.
    const emptied = { ...current, ratePerSecond: 3 };
    expect(
      settingsOf(parseSettingsForm({ ...fonnteForm, ratePerSecond: '' }, emptied)),
    ).toMatchObject({ ratePerSecond: 0.2 });
    for (const rate of ['0', '-1', 'cepat', '0.001', '5000']) {
      expect(errorsOf(parseSettingsForm({ ...fonnteForm, ratePerSecond: rate }, current))).toEqual([
        'ratePerSecond harus angka 0.01..1000 (0.2 = 1 pesan tiap 5 detik).',
      ]);
    }
  });

  it('need a message text with known placeholders, not a template', () => {
    expect(
      errorsOf(parseSettingsForm({ ...fonnteForm, messageText: '' }, DEFAULT_SETTINGS)),
    ).toEqual(['Teks pesan wajib diisi untuk Fonnte.']);
    expect(
      errorsOf(
        parseSettingsForm(
          { ...fonnteForm, messageText: 'Halo {nama}, alamat {alamat} {kota} {alamat}' },
          DEFAULT_SETTINGS,
        ),
      ),
    ).toEqual(['Teks pesan: {alamat}, {kota} tidak dikenal; pakai {name}, {promo} atau {phone}.']);
    // The hidden template fields are neither checked nor changed.
    const parsed = parseSettingsForm(
      { ...fonnteForm, templateName: 'Bukan Template!', language: '??' },
      DEFAULT_SETTINGS,
    );
    expect(settingsOf(parsed)).toMatchObject({ templateName: 'broadcast_promo', language: 'id' });
  });

  it('hold Wablas to its server (or a base URL) and its 1024 characters', () => {
    const form = { gateway: 'wablas', apiKey: 'wablasTokenABCDEF', messageText: 'Halo {name}' };
    expect(errorsOf(parseSettingsForm(form, DEFAULT_SETTINGS))).toEqual([
      'Server Wablas (misalnya bdg) atau Base URL wajib diisi.',
    ]);
    expect(
      settingsOf(
        parseSettingsForm({ ...form, server: ' https://BDG.wablas.com/ ' }, DEFAULT_SETTINGS),
      ),
    ).toMatchObject({ gateway: 'wablas', server: 'bdg', baseUrl: '', ratePerSecond: 0.2 });
    expect(
      settingsOf(
        parseSettingsForm(
          { ...form, baseUrl: 'http://127.0.0.1:4010/wablas/api/send-message' },
          DEFAULT_SETTINGS,
        ),
      ),
    ).toMatchObject({ baseUrl: 'http://127.0.0.1:4010/wablas' });
    expect(
      errorsOf(parseSettingsForm({ ...form, server: 'bdg wablas' }, DEFAULT_SETTINGS)),
    ).toEqual(['Server Wablas hanya berisi huruf, angka dan tanda minus, misalnya bdg.']);
    expect(
      errorsOf(
        parseSettingsForm(
          { ...form, server: 'bdg', messageText: 'x'.repeat(1025) },
          DEFAULT_SETTINGS,
        ),
      ),
    ).toEqual(['Teks pesan paling banyak 1024 karakter untuk Wablas.']);
  });

  it('keep the Wablas secret key out of the settings, and drop it with the gateway', () => {
    const properties = memoryProperties();
    const current = { ...DEFAULT_SETTINGS, gateway: 'wablas' as const, server: 'bdg' };
    const form = {
      gateway: 'wablas',
      server: 'bdg',
      messageText: 'Halo {name}',
      apiKey: 'wablasTokenABCDEF',
      secretKey: 'wablasSecret987',
    };
    const parsed = parseSettingsForm(form, current);
    expect(parsed).toMatchObject({ ok: true, secretKey: 'wablasSecret987' });
    if (!parsed.ok) return;
    saveSettingsToProperties(parsed, properties);
    expect(loadCredentials(properties)).toEqual({
      apiKey: 'wablasTokenABCDEF',
      secretKey: 'wablasSecret987',
    });
    expect(properties.values.get(PROPERTY.settings)).not.toContain('wablasSecret987');
    expect(properties.values.get(PROPERTY.settings)).not.toContain('wablasTokenABCDEF');

    // Saving again with the field empty keeps it; ticking "hapus" deletes it.
    const kept = parseSettingsForm({ ...form, apiKey: '', secretKey: '' }, current);
    expect(kept).not.toHaveProperty('clearSecretKey');
    if (kept.ok) saveSettingsToProperties(kept, properties);
    expect(properties.values.get(PROPERTY.secretKey)).toBe('wablasSecret987');
    const cleared = parseSettingsForm({ ...form, secretKey: '', clearSecretKey: 'true' }, current);
    expect(cleared).toMatchObject({ ok: true, clearSecretKey: true });
    if (cleared.ok) saveSettingsToProperties(cleared, properties);
    expect(properties.values.has(PROPERTY.secretKey)).toBe(false);

    // Another gateway takes no secret key, and switching away deletes the stored one.
    properties.setProperty(PROPERTY.secretKey, 'wablasSecret987');
    const switched = parseSettingsForm({ ...fonnteForm, secretKey: 'ignored-secret' }, current);
    expect(switched).toMatchObject({ ok: true, clearSecretKey: true });
    expect(switched).not.toHaveProperty('secretKey');
    if (switched.ok) saveSettingsToProperties(switched, properties);
    expect(properties.values.has(PROPERTY.secretKey)).toBe(false);
  });

  it('say what is missing before a send, in Indonesian', () => {
    const fonnte: Settings = { ...DEFAULT_SETTINGS, gateway: 'fonnte' };
    expect(missingConfiguration(fonnte, '')).toBe('Token Fonnte belum diisi.');
    expect(missingConfiguration({ ...fonnte, messageText: '' }, 'token')).toBe(
      'Teks pesan belum diisi.',
    );
    expect(missingConfiguration(fonnte, 'token')).toBeUndefined();
    const wablas: Settings = { ...DEFAULT_SETTINGS, gateway: 'wablas' };
    expect(missingConfiguration(wablas, 'token')).toBe(
      'Server Wablas (misalnya bdg) atau Base URL belum diisi.',
    );
    expect(missingConfiguration({ ...wablas, server: 'bdg' }, 'token')).toBeUndefined();
    // Settings written by hand may name a gateway this bundle cannot send through.
    expect(
      missingConfiguration({ ...DEFAULT_SETTINGS, gateway: 'qirim' as 'kirem' }, 'token'),
    ).toBe('Gateway qirim tidak dikenal.');
  });

  it("clean each gateway's endpoint off a pasted URL", () => {
    expect(cleanBaseUrl('https://api.fonnte.com/send/', 'fonnte')).toBe('https://api.fonnte.com');
    expect(cleanBaseUrl('https://bdg.wablas.com/api', 'wablas')).toBe('https://bdg.wablas.com');
    expect(cleanBaseUrl('https://api.kirem.co/v1/messages')).toBe('https://api.kirem.co');
  });
});

describe('message text', () => {
  const row = { phone: '6281234567890', params: ['Budi', 'HEMAT10'] };

  it('fills {name}, {promo} and {phone} from the row, Indonesian names too', () => {
    expect(fillMessage('Halo {name}/{Nama}, kode {promo}/{kode_promo}, nomor {phone}', row)).toBe(
      'Halo Budi/Budi, kode HEMAT10/HEMAT10, nomor 6281234567890',
    );
    // A sheet without a promo column has no second value.
    expect(fillMessage('Halo {name}! {promo}', { ...row, params: ['Pelanggan'] })).toBe(
      'Halo Pelanggan! ',
    );
    expect(fillMessage('Harga {alamat} {', row)).toBe('Harga {alamat} {');
  });

  it('knows which placeholders it cannot fill and whether the promo column is needed', () => {
    expect(unknownPlaceholders('{name} {alamat} {alamat} {Kode}')).toEqual(['{alamat}']);
    expect(usesPromo('Halo {name}')).toBe(false);
    expect(usesPromo('Kode: {KODE}')).toBe(true);
  });
});
