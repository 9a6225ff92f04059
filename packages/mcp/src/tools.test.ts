import { memoryConsentStore, memoryWindowStore } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { kirimy } from '@kabar/core/kirimy';
import { meta } from '@kabar/core/meta';
import { qirim } from '@kabar/core/qirim';
import { waviro } from '@kabar/core/waviro';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createKabarMcp, type KabarMcpOptions, serveHttp } from './index.js';

const sandbox = useSandbox();
const customer = '6281234567890';
const TOKEN = 'a-bearer-token-for-the-tests-1234';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

const kiremGateway = () => kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl });

/** An SDK client with a session on a Streamable HTTP server made from `options`. */
async function connect(
  options: Partial<KabarMcpOptions> = {},
  confirm?: (message: string) => { action: 'accept' | 'decline'; content?: { confirm: boolean } },
) {
  return (await serve(options, confirm)).client;
}

/** `connect`, with the server's URL. */
async function serve(
  options: Partial<KabarMcpOptions> = {},
  confirm?: (message: string) => { action: 'accept' | 'decline'; content?: { confirm: boolean } },
) {
  const mcp = createKabarMcp({ gateways: { kirem: kiremGateway() }, allow: ['628'], ...options });
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { capabilities: confirm ? { elicitation: { form: {} } } : {} },
  );
  if (confirm) {
    client.setRequestHandler(ElicitRequestSchema, async (request) =>
      confirm(request.params.message),
    );
  }
  const http = await serveHttp(mcp, { token: TOKEN, port: 0 });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    }),
  );
  cleanup.push(
    () => client.close(),
    () => http.close(),
  );
  return { client, url: http.url };
}

const textOf = (result: unknown) =>
  ((result as CallToolResult).content[0] as { text: string }).text;
const call = async (client: Client, name: string, args: Record<string, unknown>) => {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { error: result.isError === true, text: textOf(result) };
};
const sent = () => sandbox.messages({ to: customer, direction: 'outbound' });

describe('tools per gateway', () => {
  it('offers only what each gateway can do: Kirimy gets no template tools, Waviro its groups', async () => {
    const toolsOf = async (gateways: KabarMcpOptions['gateways']) => {
      const client = await connect({ gateways });
      return (await client.listTools()).tools.map((tool) => tool.name);
    };
    const kiremTools = await toolsOf({ kirem: kiremGateway() });
    expect(kiremTools).toEqual(
      expect.arrayContaining([
        'send_text',
        'send_template',
        'send_buttons',
        'send_list',
        'send_location',
        'send_media',
        'mark_as_read',
        'list_templates',
        'create_template',
        'message_logs',
        'webhook_logs',
        'list_conversations',
        'get_conversation',
        'broadcast',
      ]),
    );
    expect(kiremTools).not.toContain('list_groups');

    const kirimyTools = await toolsOf({
      kirimy: kirimy({
        apiKey: sandbox.kirimy.apiKey,
        sessionId: sandbox.kirimy.sessionId,
        baseUrl: sandbox.kirimy.baseUrl,
      }),
    });
    expect(kirimyTools).toContain('send_text');
    expect(kirimyTools.filter((name) => name.includes('template'))).toEqual([]);

    const waviroTools = await toolsOf({ waviro: waviro(sandbox.waviro) });
    expect(waviroTools).toEqual(expect.arrayContaining(['list_groups', 'check_number']));
    const qirimTools = await toolsOf({ qirim: qirim(sandbox.qirim) });
    expect(qirimTools).toEqual(expect.arrayContaining(['request_otp', 'verify_otp']));
  });

  it('states each tool’s effect in its annotations', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(byName.list_templates).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(byName.send_text).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.mark_as_read).toMatchObject({ readOnlyHint: false, idempotentHint: true });
  });

  it('takes a gateway argument when there are several, listing only those that can', async () => {
    const client = await connect({
      gateways: {
        toko: kiremGateway(),
        cabang: kirimy({
          apiKey: sandbox.kirimy.apiKey,
          sessionId: sandbox.kirimy.sessionId,
          baseUrl: sandbox.kirimy.baseUrl,
        }),
      },
    });
    const { tools } = await client.listTools();
    const schemaOf = (name: string) => tools.find((tool) => tool.name === name)?.inputSchema;
    expect(schemaOf('send_text')?.properties?.gateway).toMatchObject({ enum: ['toko', 'cabang'] });
    expect(schemaOf('list_templates')?.properties?.gateway).toMatchObject({ enum: ['toko'] });
    const viaKirimy = await call(client, 'send_text', {
      to: customer,
      text: 'hai',
      gateway: 'cabang',
    });
    expect(viaKirimy.error).toBe(false);
    expect((await sent())[0]).toMatchObject({ provider: 'kirimy', text: 'hai' });
  });
});

describe('sending', () => {
  it('sends each kind and the sandbox has it, with an idempotency key on every send', async () => {
    const client = await connect();
    const calls: [string, Record<string, unknown>][] = [
      ['send_text', { text: 'Pesanan #1042 dikirim' }],
      ['send_template', { name: 'otp_verification', language: 'id', params: ['482913'] }],
      ['send_media', { kind: 'image', link: 'https://example.com/kaos.jpg', caption: 'Kaos' }],
      [
        'send_buttons',
        {
          body: 'Lanjut?',
          buttons: [
            { id: 'ya', title: 'Ya' },
            { id: 'tidak', title: 'Tidak' },
          ],
        },
      ],
      [
        'send_list',
        {
          body: 'Pilih menu',
          button: 'Menu',
          sections: [{ title: 'Toko', rows: [{ id: 'harga', title: 'Harga' }] }],
        },
      ],
      ['send_location', { latitude: -6.175392, longitude: 106.827153, name: 'Monas' }],
    ];
    const answers = [];
    for (const [name, args] of calls) {
      const answer = await call(client, name, { to: customer, ...args });
      expect(answer.error, `${name}: ${answer.text}`).toBe(false);
      answers.push(JSON.parse(answer.text));
    }
    const messages = (await sent()).reverse();
    expect(messages.map((m) => m.type)).toEqual([
      'text',
      'template',
      'image',
      'interactive',
      'interactive',
      'location',
    ]);
    expect(messages.map((m) => m.id)).toEqual(answers.map((a) => a.id));
    expect(messages.every((m) => typeof m.idempotencyKey === 'string')).toBe(true);
    expect(new Set(messages.map((m) => m.idempotencyKey)).size).toBe(6);
    expect(answers.map((a) => a.idempotencyKey)).toEqual(messages.map((m) => m.idempotencyKey));
  });

  it('reuses a given idempotency key, so a retried call does not send twice', async () => {
    const client = await connect();
    const args = { to: customer, text: 'sekali saja', idempotencyKey: 'order-1042-shipped' };
    const first = JSON.parse((await call(client, 'send_text', args)).text);
    const again = JSON.parse((await call(client, 'send_text', args)).text);
    expect(again.id).toBe(first.id);
    expect(await sent()).toHaveLength(1);
  });

  it('refuses a 21-character button title before anything is sent, naming the field', async () => {
    const client = await connect();
    const answer = await call(client, 'send_buttons', {
      to: customer,
      body: 'Pilih',
      buttons: [{ id: 'a', title: 'x'.repeat(21) }],
    });
    expect(answer.error).toBe(true);
    expect(answer.text).toMatch(/buttons.*0.*title/s);
    expect(answer.text).toMatch(/20/);
    expect(await sent()).toEqual([]);
  });

  it('refuses numbers off the allowlist, and everyone when there is none', async () => {
    const client = await connect({ allow: ['6281234'] });
    const stranger = await call(client, 'send_text', { to: '6285700001111', text: 'promo' });
    expect(stranger).toEqual({
      error: true,
      text: 'refused: 6285700001111 is not on the allowlist (6281234)',
    });
    const local = await call(client, 'send_text', { to: '081234567890', text: 'boleh' });
    expect(local.error).toBe(false);
    const closed = await connect({ allow: [] });
    const none = await call(closed, 'send_text', { to: customer, text: 'halo' });
    expect(none.text).toMatch(/no recipient is allowed yet.*KABAR_MCP_ALLOW/);
    expect((await sent()).map((m) => m.text)).toEqual(['boleh']);
  });

  it('in a dry run answers with the exact request, key hidden, and sends nothing', async () => {
    const client = await connect({ dryRun: true });
    const answer = JSON.parse(
      (await call(client, 'send_text', { to: customer, text: 'uji' })).text,
    );
    expect(answer).toMatchObject({ dryRun: true, sent: false, to: customer });
    expect(answer.request).toMatchObject({
      method: 'POST',
      url: `${sandbox.kirem.baseUrl}/v1/messages`,
      headers: { authorization: '[redacted]' },
      body: { messaging_product: 'whatsapp', to: customer, type: 'text', text: { body: 'uji' } },
    });
    expect(JSON.stringify(answer)).not.toContain(sandbox.kirem.apiKey);
    const invalid = await call(client, 'send_text', { to: 'bukan nomor', text: 'x' });
    expect(invalid.error).toBe(true);
    expect(await sent()).toEqual([]);
  });

  it('limits sends per session, saying when to try again', async () => {
    const client = await connect({ perSession: { limit: 2, windowMs: 60_000 } });
    for (const text of ['satu', 'dua']) {
      expect((await call(client, 'send_text', { to: customer, text })).error).toBe(false);
    }
    const third = await call(client, 'send_text', { to: customer, text: 'tiga' });
    expect(third.text).toMatch(
      /^refused: this session may make 2 sends per 60 s; try again in \d+ s$/,
    );
    expect(await sent()).toHaveLength(2);
  });
});

describe('guarded tools', () => {
  const many = ['6281234567890', '6281234567891', '6281234567892'];

  it('refuses a broadcast when the client cannot ask a person to confirm', async () => {
    const client = await connect();
    const answer = await call(client, 'broadcast', {
      to: many,
      text: 'Promo',
      category: 'marketing',
    });
    expect(answer.error).toBe(true);
    expect(answer.text).toMatch(/needs a person to confirm.*elicitation/);
    expect(await sandbox.messages({ direction: 'outbound' })).toEqual([]);
  });

  it('broadcasts once a person confirms, and not when they decline', async () => {
    const asked: string[] = [];
    const declining = await connect({}, (message) => {
      asked.push(message);
      return { action: 'decline' };
    });
    const declined = await call(declining, 'broadcast', {
      to: many,
      text: 'Diskon 50%',
      category: 'marketing',
    });
    expect(declined.text).toMatch(/not confirmed/);
    expect(asked[0]).toMatch(/send this marketing text to 3 customers on kirem: "Diskon 50%"/);

    const accepting = await connect({}, () => ({ action: 'accept', content: { confirm: true } }));
    const done = await call(accepting, 'broadcast', {
      to: [...many, '081234567890'],
      text: 'Toko buka jam 9',
      category: 'utility',
    });
    expect(JSON.parse(done.text)).toMatchObject({ sent: 3, failed: 0 });
    const out = await sandbox.messages({ direction: 'outbound' });
    expect(out.map((m) => m.to).sort()).toEqual(many);
  });

  it('refuses a broadcast with one number off the allowlist, sending to none', async () => {
    const client = await connect({ allow: ['6281234'] }, () => ({
      action: 'accept',
      content: { confirm: true },
    }));
    const answer = await call(client, 'broadcast', {
      to: [...many, '6285700001111'],
      text: 'Promo',
      category: 'marketing',
    });
    expect(answer.text).toMatch(/6285700001111 is not on the allowlist/);
    expect(await sandbox.messages({ direction: 'outbound' })).toEqual([]);
  });

  it('creates a template only once confirmed', async () => {
    const refused = await call(await connect(), 'create_template', {
      name: 'promo_baru',
      language: 'id',
      category: 'MARKETING',
      body: 'Halo {{1}}, ada promo!',
      examples: ['Budi'],
    });
    expect(refused.text).toMatch(/needs a person to confirm/);
    const unlisted = await connect();
    const names = (
      JSON.parse((await call(unlisted, 'list_templates', {})).text) as { name: string }[]
    ).map((t) => t.name);
    expect(names).not.toContain('promo_baru');
    const client = await connect({}, () => ({ action: 'accept', content: { confirm: true } }));
    const created = await call(client, 'create_template', {
      name: 'promo_baru',
      language: 'id',
      category: 'MARKETING',
      body: 'Halo {{1}}, ada promo!',
      examples: ['Budi'],
    });
    expect(created.error, created.text).toBe(false);
    const listed = JSON.parse((await call(client, 'list_templates', {})).text) as {
      name: string;
    }[];
    expect(listed.map((t) => t.name)).toContain('promo_baru');
  });
});

describe('one-time codes', () => {
  it('makes codes here and sends them through a gateway without OTP of its own', async () => {
    const plain = await connect();
    expect((await plain.listTools()).tools.map((t) => t.name)).not.toContain('request_otp');

    const client = await connect({ otp: { secret: 'an-otp-secret-for-the-mcp-tests' } });
    const requested = await call(client, 'request_otp', { to: customer });
    expect(requested.error, requested.text).toBe(false);
    const message = await sandbox.latest({ to: customer });
    const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(requested.text).not.toContain(code);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await call(client, 'verify_otp', { to: customer, code: wrong });
    expect(refused.error).toBe(true);
    expect(refused.text).toMatch(/^otp_incorrect: /);
    const verified = await call(client, 'verify_otp', { to: customer, code });
    expect(verified.error, verified.text).toBe(false);
  });
});

describe('reading', () => {
  it('lists conversations from Kirem’s MCP and reads one', async () => {
    const client = await connect();
    const list = JSON.parse((await call(client, 'list_conversations', {})).text) as {
      id: string;
    }[];
    expect(list.length).toBeGreaterThan(0);
    const one = JSON.parse(
      (await call(client, 'get_conversation', { conversation: list[0]?.id })).text,
    );
    expect(one.session.id).toBe(list[0]?.id);
  });

  it('offers templates and conversations as resources', async () => {
    const client = await connect();
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      'kabar://kirem/templates',
      'kabar://kirem/conversations',
    ]);
    const read = await client.readResource({ uri: 'kabar://kirem/templates' });
    const templates = JSON.parse((read.contents[0] as { text: string }).text);
    expect(Array.isArray(templates)).toBe(true);
  });
});

describe('meta', () => {
  it('reads Meta’s capabilities too: templates, media, no conversations', async () => {
    const client = await connect({
      gateways: {
        meta: meta({
          accessToken: sandbox.meta.accessToken,
          phoneNumberId: sandbox.meta.phoneNumberId,
          businessAccountId: sandbox.meta.wabaId,
          apiVersion: sandbox.meta.apiVersion,
          baseUrl: sandbox.meta.baseUrl,
        }),
      },
    });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['send_template', 'list_templates']));
    expect(names).not.toContain('list_conversations');
  });
});

describe('Kabar’s own inbox, from the webhooks it receives', () => {
  const META_SECRET = 'meta-app-secret-for-the-mcp';
  const metaGateway = () =>
    meta({
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      businessAccountId: sandbox.meta.wabaId,
      apiVersion: sandbox.meta.apiVersion,
      baseUrl: sandbox.meta.baseUrl,
    });

  async function metaWithWebhooks(options: Partial<KabarMcpOptions> = {}) {
    const served = await serve({
      gateways: { meta: metaGateway() },
      webhooks: { meta: { secret: META_SECRET } },
      ...options,
    });
    const webhook = served.url.replace(/\/mcp$/, '/webhooks/meta');
    await sandbox.setWebhook('meta', { url: webhook, secret: META_SECRET });
    return { client: served.client, webhook };
  }

  it('lists the customers who wrote and what was said both ways', async () => {
    const { client } = await metaWithWebhooks();
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: customer,
      name: 'Budi',
      text: 'Kaosnya ready?',
    });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    await call(client, 'send_text', { to: customer, text: 'Ready, kak' });
    const list = JSON.parse((await call(client, 'list_conversations', {})).text);
    expect(list).toMatchObject([
      {
        id: customer,
        name: 'Budi',
        messages: 2,
        last: { direction: 'outbound', text: 'Ready, kak' },
      },
    ]);
    const one = JSON.parse(
      (await call(client, 'get_conversation', { conversation: `0${customer.slice(2)}` })).text,
    );
    expect(
      one.messages.map((m: { direction: string; text: string }) => [m.direction, m.text]),
    ).toEqual([
      ['inbound', 'Kaosnya ready?'],
      ['outbound', 'Ready, kak'],
    ]);
  });

  it('offers the latest conversation as a prompt to answer', async () => {
    const { client } = await metaWithWebhooks();
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'Ongkir ke Bandung berapa?' });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['reply_to_latest', 'order_update']);
    const prompt = await client.getPrompt({ name: 'reply_to_latest', arguments: {} });
    const text = JSON.stringify(prompt.messages[0]?.content);
    expect(text).toContain(`customer: Ongkir ke Bandung berapa?`);
    expect(text).toContain(`send_text to ${customer}`);
  });

  it('refuses a forged webhook, which adds nothing', async () => {
    const { client, webhook } = await metaWithWebhooks();
    await sandbox.setWebhook('meta', { url: webhook, secret: 'not-the-app-secret' });
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: customer,
      text: 'palsu',
    });
    expect(deliveries.map((d) => d.status)).toEqual([401]);
    expect(JSON.parse((await call(client, 'list_conversations', {})).text)).toEqual([]);
  });

  it('with a policy, refuses free-form texts until the customer writes', async () => {
    const { client } = await metaWithWebhooks({
      policy: { window: { store: memoryWindowStore() }, consent: memoryConsentStore() },
    });
    const early = await call(client, 'send_text', { to: customer, text: 'Halo!' });
    expect(early.error).toBe(true);
    expect(early.text).toMatch(/^outside_window: /);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'Halo, mau tanya' });
    const reply = await call(client, 'send_text', { to: customer, text: 'Silakan, kak' });
    expect(reply.error, reply.text).toBe(false);
    expect((await sent()).map((m) => m.text)).toEqual(['Silakan, kak']);
  });
});
