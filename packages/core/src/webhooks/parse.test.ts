import * as seed from '@kabar/sandbox/seed-examples';
import { describe, expect, it } from 'vitest';
import { KabarError } from '../errors.js';
import { waviroReply } from '../providers/waviro/webhook-reply.js';
import { corpus } from './corpus/index.js';
import { parseWebhook } from './parse.js';
import { verifySignature } from './signature.js';

// The seeds' own webhook examples, verbatim.
const kiremButtonClick = seed.kiremWebhookButtonReply;
const waviroKeywordCall = seed.waviroKeywordPayload;

function metaEnvelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '9876543210',
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', ...value } }],
      },
    ],
  };
}

describe('parseWebhook: the seeds’ examples', () => {
  it('Kirem messages.received with a button_reply', () => {
    expect(parseWebhook(JSON.stringify(kiremButtonClick))).toEqual([
      {
        kind: 'message',
        provider: 'kirem',
        from: '62812345678',
        sender: { phone: '62812345678' },
        id: 'wamid.HBgLN...',
        name: undefined,
        timestamp: undefined,
        replyTo: undefined,
        content: { type: 'button', id: 'btn_yes', title: 'Ya, bersedia' },
        raw: kiremButtonClick.data,
      },
    ]);
  });

  it('Waviro notifyurl ack, every ack code', () => {
    expect(parseWebhook(seed.waviroNotifyPayload)).toMatchObject([
      { kind: 'status', provider: 'waviro', messageId: '3EB020B4DBA916EB3379', status: 'read' },
    ]);
    const statuses = [-1, 0, 1, 2, 3].map(
      (ack) => (parseWebhook({ msgid: 'm1', ack })[0] as { status: string }).status,
    );
    expect(statuses).toEqual(['failed', 'pending', 'sent', 'delivered', 'read']);
  });

  it('Waviro keyword call, checking its webhookkey', () => {
    expect(
      parseWebhook(waviroKeywordCall, { waviroWebhookKey: 'YourSecretWebhookKey' }),
    ).toMatchObject([
      {
        kind: 'message',
        provider: 'waviro',
        from: '6282386xxxxxx',
        content: {
          type: 'keyword',
          keyword: 'penawaran#',
          data: ['Jhon Doe', '[email protected]'],
        },
      },
    ]);
    expect(() => parseWebhook(waviroKeywordCall, { waviroWebhookKey: 'other' })).toThrow(
      /webhookkey does not match/,
    );
    expect(() => parseWebhook(waviroKeywordCall)).toThrow(/pass waviroWebhookKey/);
  });

  it('a Meta text webhook exactly as the sandbox signs and sends it', () => {
    verifySignature({
      provider: 'meta',
      rawBody: seed.metaWebhookTextRawBody,
      signature: seed.metaWebhookTextSignature,
      secret: 'meta_app_secret',
    });
    const [event] = parseWebhook(seed.metaWebhookTextRawBody);
    expect(event).toMatchObject({ kind: 'message', provider: 'meta' });
    const [status] = parseWebhook(seed.metaWebhookStatus);
    expect(status).toMatchObject({ kind: 'status' });
  });

  it('builds the Waviro reply body the seed specifies', () => {
    expect(
      waviroReply([
        { type: 'message', content: 'Webhook Response' },
        { type: 'location', latitude: 0.52596, longitude: 101.426866 },
        { type: 'audio', url: 'https://yourdomain/your_audio_file.mp3' },
        { type: 'image', url: 'https://yourdomain/your_image_file.png' },
        { type: 'document', url: 'https://yourdomain/your_document_file.pdf' },
      ]),
    ).toEqual({
      success: true,
      message: {
        reply: [
          { type: 'message', content: 'Webhook Response' },
          { type: 'location', content: [{ coordinate: '0.52596-101.426866' }] },
          { type: 'audio', content: 'https://yourdomain/your_audio_file.mp3' },
          { type: 'image', content: 'https://yourdomain/your_image_file.png' },
          { type: 'document', content: 'https://yourdomain/your_document_file.pdf' },
        ],
      },
    });
  });
});

describe('parseWebhook: Meta envelopes', () => {
  it('reads every message type, the sender’s name and the quoted message', () => {
    const events = parseWebhook(
      metaEnvelope({
        contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
        messages: [
          {
            from: '6281234567890',
            id: 'w1',
            timestamp: '1763700000',
            type: 'text',
            text: { body: 'Halo' },
            context: { id: 'w0' },
          },
          {
            from: '6281234567890',
            id: 'w2',
            type: 'interactive',
            interactive: {
              type: 'list_reply',
              list_reply: { id: 'menu_billing', title: 'Cek Tagihan', description: 'Rincian' },
            },
          },
          {
            from: '6281234567890',
            id: 'w3',
            type: 'button',
            button: { payload: 'STOP', text: 'Berhenti' },
          },
          {
            from: '6281234567890',
            id: 'w4',
            type: 'image',
            image: { id: 'm1', mime_type: 'image/jpeg', caption: 'Bukti transfer' },
          },
          {
            from: '6281234567890',
            id: 'w5',
            type: 'location',
            location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas' },
          },
          {
            from: '6281234567890',
            id: 'w6',
            type: 'reaction',
            reaction: { message_id: 'w1', emoji: '👍' },
          },
          { from: '6281234567890', id: 'w7', type: 'order', order: {} },
        ],
      }),
    );
    expect(events.map((e) => (e.kind === 'message' ? e.content : e))).toEqual([
      { type: 'text', text: 'Halo' },
      { type: 'list', id: 'menu_billing', title: 'Cek Tagihan', description: 'Rincian' },
      { type: 'button', id: 'STOP', title: 'Berhenti' },
      {
        type: 'image',
        mediaId: 'm1',
        mimeType: 'image/jpeg',
        caption: 'Bukti transfer',
        link: undefined,
        filename: undefined,
      },
      {
        type: 'location',
        latitude: -6.175392,
        longitude: 106.827153,
        name: 'Monas',
        address: undefined,
      },
      { type: 'reaction', messageId: 'w1', emoji: '👍', removed: false },
      // An order without its catalog is malformed: an unknown event saying why.
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.messages[6].order.catalog_id must be a non-empty string',
        business: { accountId: '9876543210' },
        raw: { from: '6281234567890', id: 'w7', type: 'order', order: {} },
      },
    ]);
    expect(events[0]).toMatchObject({
      provider: 'meta',
      from: '6281234567890',
      sender: { phone: '6281234567890', name: 'Budi' },
      name: 'Budi',
      replyTo: 'w0',
      timestamp: new Date(1763700000 * 1000),
    });
  });

  it('reads statuses, with the error of a failed one', () => {
    const events = parseWebhook(
      metaEnvelope({
        statuses: [
          {
            id: 'wamid.1',
            status: 'delivered',
            timestamp: '1763700001',
            recipient_id: '6281234567890',
          },
          {
            id: 'wamid.2',
            status: 'failed',
            recipient_id: '6281234567890',
            errors: [{ code: 131026, title: 'Message Undeliverable' }],
          },
        ],
      }),
    );
    expect(events).toMatchObject([
      { kind: 'status', messageId: 'wamid.1', status: 'delivered', recipient: '6281234567890' },
      {
        kind: 'status',
        messageId: 'wamid.2',
        status: 'failed',
        error: { code: 131026, title: 'Message Undeliverable' },
      },
    ]);
  });

  it('labels a Meta envelope forwarded by Kirem as Kirem’s', () => {
    const [event] = parseWebhook(
      metaEnvelope({
        messages: [{ from: '62812', id: 'w', type: 'text', text: { body: 'Harga' } }],
      }),
      { metaFormatFrom: 'kirem' },
    );
    expect(event?.provider).toBe('kirem');
  });
});

describe('parseWebhook: malformed input', () => {
  it.each([
    ['not JSON', '{"entry": ['],
    ['an array', '[]'],
    ['a number', '42'],
    ['an unknown format', { hello: 'world' }],
    ['entry that is not an array', { object: 'whatsapp_business_account', entry: {} }],
  ])('%s is a typed invalid_payload error', (_case, input) => {
    let error: unknown;
    try {
      parseWebhook(input);
    } catch (caught) {
      error = caught;
    }
    expect(KabarError.isInstance(error) && error.code).toBe('invalid_payload');
  });

  // A malformed item in a webhook is not a malformed webhook: it becomes an unknown event.
  const noFrom = { id: 'x', type: 'text', text: { body: 'a' } };
  const noBody = { from: '1', type: 'text', text: {} };
  const teleported = { id: 'x', status: 'teleported' };
  const badAck = { msgid: 'x', ack: -7 };
  it.each([
    [
      'a message without from',
      metaEnvelope({ messages: [noFrom] }),
      'meta',
      'messages',
      'entry[0].changes[0].value.messages[0] names no sender (no from or from_user_id)',
      noFrom,
    ],
    [
      'a text without a body',
      metaEnvelope({ messages: [noBody] }),
      'meta',
      'messages',
      'entry[0].changes[0].value.messages[0].text.body must be a non-empty string',
      noBody,
    ],
    [
      'an unknown status',
      metaEnvelope({ statuses: [teleported] }),
      'meta',
      'messages',
      'entry[0].changes[0].value.statuses[0].status "teleported" is not a status Kabar knows',
      teleported,
    ],
    ['a Waviro ack out of range', badAck, 'waviro', undefined, 'ack -7 is unknown', badAck],
  ])('%s is an unknown event saying why', (_case, input, provider, field, reason, raw) => {
    const events = parseWebhook(input);
    expect(events).toEqual([
      {
        kind: 'unknown',
        provider,
        field,
        reason,
        business: provider === 'meta' ? { accountId: '9876543210' } : undefined,
        raw,
      },
    ]);
    expect(events[0]?.raw).toBe(raw);
  });

  it('reads the good items of a batch around a bad one', () => {
    const good = { from: '6281234567890', id: 'w1', type: 'text', text: { body: 'Halo' } };
    const bad = {
      from: '6281234567890',
      id: 'w2',
      type: 'location',
      location: { latitude: 'utara' },
    };
    const after = { from: '6281234567890', id: 'w3', type: 'text', text: { body: 'Jadi?' } };
    const delivered = { id: 'wamid.9', status: 'delivered', recipient_id: '6281234567890' };
    const events = parseWebhook(
      metaEnvelope({
        contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
        messages: [good, bad, after],
        statuses: [null, delivered],
      }),
    );
    const budi = { phone: '6281234567890', name: 'Budi' };
    const business = { accountId: '9876543210' };
    expect(events).toEqual([
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: budi,
        id: 'w1',
        name: 'Budi',
        business,
        content: { type: 'text', text: 'Halo' },
        raw: good,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.messages[1].location.latitude must be a number',
        business,
        raw: bad,
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: budi,
        id: 'w3',
        name: 'Budi',
        business,
        content: { type: 'text', text: 'Jadi?' },
        raw: after,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.statuses[0] must be an object',
        business,
        raw: null,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.9',
        status: 'delivered',
        recipient: '6281234567890',
        recipientUser: budi,
        errors: [],
        business,
        raw: delivered,
      },
    ]);
  });

  it('keeps reading the other changes and entries around a broken one', () => {
    const text = { from: '628', id: 'w', type: 'text', text: { body: 'ok' } };
    const events = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [
        'not an entry',
        {
          id: '1',
          changes: [
            { field: 'messages', value: 'not a value' },
            { field: 'messages', value: { messages: [text] } },
          ],
        },
      ],
    });
    expect(events).toEqual([
      {
        kind: 'unknown',
        provider: 'meta',
        reason: 'entry[0] must be an object',
        raw: 'not an entry',
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[1].changes[0].value must be an object',
        raw: { field: 'messages', value: 'not a value' },
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '628',
        sender: { phone: '628' },
        id: 'w',
        business: { accountId: '1' },
        content: { type: 'text', text: 'ok' },
        raw: text,
      },
    ]);
  });

  it('refuses an edit nested in an edit instead of recursing', () => {
    let message: Record<string, unknown> = { type: 'text', text: { body: 'x' } };
    for (let i = 0; i < 10_000; i++) {
      message = { type: 'edit', edit: { original_message_id: `w${i}`, message } };
    }
    const [event] = parseWebhook(
      metaEnvelope({ messages: [{ from: '628', id: 'w', ...message }] }),
    );
    expect(event).toMatchObject({
      kind: 'unknown',
      reason: 'entry[0].changes[0].value.messages[0].edit.message is an edit inside an edit',
    });
  });
});

describe('parseWebhook: fuzzing', () => {
  // A small deterministic generator, so a failure can be replayed.
  function random(seedValue: number) {
    let state = seedValue;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function mutate(value: unknown, next: () => number, depth = 0): unknown {
    const roll = next();
    if (depth > 6 || roll < 0.1) {
      const junk = [null, 0, -1, 1.5, '', 'x', true, [], {}, '6281', Number.NaN];
      return junk[Math.floor(next() * junk.length)];
    }
    if (Array.isArray(value)) {
      const copy = value.map((item) => mutate(item, next, depth + 1));
      return next() < 0.2 ? copy.slice(0, Math.floor(next() * copy.length)) : copy;
    }
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).filter(() => next() > 0.1);
      return Object.fromEntries(entries.map(([k, v]) => [k, mutate(v, next, depth + 1)]));
    }
    return roll < 0.3 ? mutate(undefined, next, 99) : value;
  }

  it('never throws anything but a KabarError on mutated and truncated payloads', () => {
    const samples: unknown[] = [
      kiremButtonClick,
      waviroKeywordCall,
      seed.waviroNotifyPayload,
      metaEnvelope({
        contacts: [{ profile: { name: 'Budi' }, wa_id: '62812' }],
        messages: [
          {
            from: '62812',
            id: 'a',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'x', title: 'y' } },
          },
          { from: '62812', id: 'b', type: 'location', location: { latitude: 1, longitude: 2 } },
        ],
        statuses: [{ id: 's', status: 'failed', errors: [{ code: 1 }] }],
      }),
      // Every payload of the corpus: Meta's documented ones, our variations, Kirem's and Waviro's.
      ...corpus.map((entry) => entry.payload),
    ];
    const next = random(20261122);
    const started = performance.now();
    let parsed = 0;
    const rounds = 8000;
    for (let i = 0; i < rounds; i++) {
      const sample = samples[i % samples.length];
      const mutated = mutate(sample, next);
      const text = JSON.stringify(mutated) ?? '';
      const input = next() < 0.3 ? text.slice(0, Math.floor(next() * text.length)) : mutated;
      try {
        parseWebhook(input, { waviroWebhookKey: 'YourSecretWebhookKey' });
        parsed += 1;
      } catch (error) {
        if (!KabarError.isInstance(error)) throw error;
      }
    }
    // Both outcomes must occur, or the mutations are not exercising the parser.
    expect(parsed).toBeGreaterThan(100);
    expect(parsed).toBeLessThan(rounds);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
