import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKabarMcp, loadConfig } from './index.js';

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kabar-mcp-')), 'kabar-mcp.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('loadConfig', () => {
  it('makes one gateway from the environment, with the safety settings', () => {
    const config = loadConfig({
      KABAR_GATEWAY: 'fonnte',
      KABAR_TOKEN: 'fonnte-device-token',
      KABAR_MCP_ALLOW: '628, 6585550000',
      KABAR_MCP_DRY_RUN: 'true',
      KABAR_MCP_SESSION_LIMIT: '10/60',
      KABAR_MCP_TOKEN: 'x'.repeat(24),
    });
    expect(Object.keys(config.mcp.gateways)).toEqual(['fonnte']);
    expect(config.mcp.gateways.fonnte?.name).toBe('fonnte');
    expect(config.mcp.allow).toEqual(['628', '6585550000']);
    expect(config.mcp.dryRun).toBe(true);
    expect(config.mcp.perSession).toEqual({ limit: 10, windowMs: 60_000 });
    expect(config.http.token).toBe('x'.repeat(24));
    expect(config.mcp.webhooks).toEqual({});
    expect(config.mcp.policy).toBeUndefined();
  });

  it('takes a webhook secret and the send policy from the environment', () => {
    const config = loadConfig({
      KABAR_GATEWAY: 'fonnte',
      KABAR_TOKEN: 'fonnte-device-token',
      KABAR_MCP_WEBHOOK_SECRET: 'fonnte-webhook-secret',
      KABAR_MCP_POLICY: '1',
      KABAR_MCP_OTP_SECRET: 'an-otp-secret-of-some-length',
      KABAR_MCP_OTP_TEMPLATE: 'kode_login:id:none',
    });
    expect(config.mcp.otp).toEqual({
      secret: 'an-otp-secret-of-some-length',
      template: { name: 'kode_login', language: 'id', button: 'none' },
    });
    expect(config.mcp.webhooks).toEqual({ fonnte: { secret: 'fonnte-webhook-secret' } });
    expect(config.mcp.policy?.window?.store).toBeDefined();
    expect(config.mcp.policy?.consent).toBeDefined();
  });

  it('names the variable a gateway is missing, and the gateways there are', () => {
    expect(() => loadConfig({})).toThrow(/set KABAR_GATEWAY \(meta, kirem, qirim/);
    expect(() => loadConfig({ KABAR_GATEWAY: 'kirem' })).toThrow(
      'kabar-mcp: kirem needs API Key: set KABAR_API_KEY',
    );
    expect(() => loadConfig({ KABAR_GATEWAY: 'wa-blast' })).toThrow(/"wa-blast" is not one of/);
    expect(() =>
      loadConfig({ KABAR_GATEWAY: 'fonnte', KABAR_TOKEN: 't', KABAR_MCP_GLOBAL_LIMIT: 'banyak' }),
    ).toThrow(/global limit: give calls per seconds, e.g. 30\/60/);
  });

  it('reads several gateways from a file, their secrets from env: references', () => {
    const file = configFile({
      gateways: {
        toko: {
          gateway: 'kirem',
          apiKey: 'env:TOKO_KIREM_KEY',
          webhook: { secret: 'env:TOKO_WEBHOOK_SECRET' },
        },
        cabang: { gateway: 'fonnte', token: 'env:CABANG_FONNTE_TOKEN' },
      },
      allow: ['628'],
      perSession: { limit: 5, windowSeconds: 30 },
      http: { port: 4060, allowedHosts: ['mcp.toko.id'] },
    });
    const config = loadConfig(
      {
        TOKO_KIREM_KEY: 'kirem_live_abc',
        CABANG_FONNTE_TOKEN: 'fonnte-token',
        TOKO_WEBHOOK_SECRET: 'toko-webhook-secret',
      },
      file,
    );
    expect(config.mcp.webhooks).toEqual({ toko: { secret: 'toko-webhook-secret' } });
    expect(Object.entries(config.mcp.gateways).map(([name, p]) => [name, p.name])).toEqual([
      ['toko', 'kirem'],
      ['cabang', 'fonnte'],
    ]);
    expect(config.mcp.perSession).toEqual({ limit: 5, windowMs: 30_000 });
    expect(config.http).toMatchObject({ port: 4060, allowedHosts: ['mcp.toko.id'] });
    expect(() =>
      loadConfig({ TOKO_KIREM_KEY: 'kirem_live_abc', TOKO_WEBHOOK_SECRET: 's' }, file),
    ).toThrow(
      'kabar-mcp: gateways.cabang.token reads the environment variable CABANG_FONNTE_TOKEN, which is not set',
    );
  });

  it('says how to write an OTP template', () => {
    expect(() =>
      loadConfig({ KABAR_GATEWAY: 'fonnte', KABAR_TOKEN: 't', KABAR_MCP_OTP_TEMPLATE: 'kode' }),
    ).toThrow(/KABAR_MCP_OTP_TEMPLATE: give name:language, e.g. kode_login:id/);
  });

  it('says which file it could not read', () => {
    expect(() => loadConfig({}, '/nonexistent/kabar-mcp.json')).toThrow(
      /cannot read the config file \/nonexistent\/kabar-mcp.json/,
    );
  });
});

describe('createKabarMcp', () => {
  it('refuses no gateway and a malformed allowlist entry', () => {
    expect(() => createKabarMcp({ gateways: {}, allow: [] })).toThrow(/at least one gateway/);
    const { mcp } = loadConfig({ KABAR_GATEWAY: 'fonnte', KABAR_TOKEN: 't' });
    expect(() => createKabarMcp({ ...mcp, allow: ['semua'] })).toThrow(
      /allowlist entry "semua": use a number or prefix/,
    );
    expect(createKabarMcp({ ...mcp, allow: ['+62 812'] }).toolNames).toContain('send_text');
  });
});
