import { describe, expect, it } from 'vitest';
import { KabarError } from '../../errors.js';
import type { Json } from '../../webhooks/parse/json.js';
import * as fonnte from '../fonnte/test-data/answers.js';
import * as answers from './test-data/answers.js';
import { wablasWebhook } from './webhook.js';

// Other gateways' bodies, which must not pass for Wablas'. Fonnte's from its own test data (the
// research note's A13); Waviro's, Kirem's and Meta's in the shapes the sandbox seeds document.
const others: Record<string, Json> = {
  'fonnte message': fonnte.incomingGroupMessage,
  'fonnte status': fonnte.statusSent,
  'fonnte connect': fonnte.disconnected,
  'waviro ack': { msgid: 'abc123', ack: 2 },
  'waviro keyword': {
    keyword: 'penawaran#',
    webhookkey: 'k',
    from: '6281234567890',
    data: ['Budi'],
  },
  'kirem event': {
    event: 'messages.status',
    data: { message_id: 'wamid.X', status: 'read', recipient: '6281234567890' },
  },
  'meta envelope': { object: 'whatsapp_business_account', entry: [] },
};

describe('wablas webhook dialect', () => {
  it('is authenticated by a secret in the URL, without a handshake', () => {
    expect(wablasWebhook.auth).toEqual({ scheme: 'url-secret', queryParam: 'secret' });
    expect(wablasWebhook.handshake).toBe(false);
  });

  it('detects its incoming, tracking and device bodies, and no other gateway', () => {
    for (const body of [
      answers.incomingText,
      answers.incomingGroupImage,
      answers.trackingRead,
      answers.deviceConnected,
    ]) {
      expect(wablasWebhook.detect(body)).toBe(true);
    }
    for (const [name, body] of Object.entries(others)) {
      expect([name, wablasWebhook.detect(body)]).toEqual([name, false]);
    }
  });

  it('reads a personal text message: the customer is `phone`', () => {
    expect(wablasWebhook.parse(answers.incomingText)).toEqual([
      {
        kind: 'message',
        provider: 'wablas',
        from: '6281393961000',
        sender: { phone: '6281393961000', name: 'Marina Karina' },
        id: '809DE6896F2203BC296652E16DEEC90E',
        name: 'Marina Karina',
        timestamp: new Date('2021-03-31T02:15:45Z'),
        groupId: undefined,
        content: { type: 'text', text: 'File' },
        raw: answers.incomingText,
      },
    ]);
  });

  it('reads a group image: the member wrote, the group is `phone`', () => {
    const [event] = wablasWebhook.parse(answers.incomingGroupImage);
    expect(event).toMatchObject({
      kind: 'message',
      from: '6281393961001',
      sender: { phone: '6281393961001', name: 'Marina Karina' },
      groupId: '120363064449269000',
      content: {
        type: 'image',
        url: 'https://bdg.wablas.com/image/batik.jpg',
        mimeType: 'image/jpeg',
        filename: 'batik.jpg',
        caption: 'Stok baru',
      },
    });
  });

  it("turns the device's own messages into echoes, never into customer messages", () => {
    const [event] = wablasWebhook.parse({ ...answers.incomingText, isFromMe: true });
    expect(event).toMatchObject({
      kind: 'echo',
      provider: 'wablas',
      to: '6281393961000',
      id: '809DE6896F2203BC296652E16DEEC90E',
      content: { type: 'text', text: 'File' },
    });
  });

  it('keeps a location as unsupported content, since no coordinate field is documented', () => {
    const [event] = wablasWebhook.parse({
      ...answers.incomingText,
      messageType: 'location',
      message: '',
    });
    expect(event).toMatchObject({
      kind: 'message',
      content: { type: 'unsupported', originalType: 'location' },
    });
  });

  it('reads tracking updates as statuses', () => {
    expect(wablasWebhook.parse(answers.trackingRead)).toEqual([
      {
        kind: 'status',
        provider: 'wablas',
        messageId: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
        status: 'read',
        recipient: '6281218000001',
        timestamp: undefined,
        error: undefined,
        errors: [],
        raw: answers.trackingRead,
      },
    ]);
    const statuses = ['pending', 'sent', 'received', 'delivered', 'read', 'cancel'].map(
      (status) => wablasWebhook.parse({ ...answers.trackingRead, status })[0],
    );
    expect(statuses.map((event) => event?.kind === 'status' && event.status)).toEqual([
      'pending',
      'sent',
      'delivered',
      'delivered',
      'read',
      'failed',
    ]);
  });

  it('reads a rejected message as failed, with the note as its error', () => {
    const [event] = wablasWebhook.parse(answers.trackingRejected);
    expect(event).toMatchObject({
      kind: 'status',
      status: 'failed',
      error: { code: 'rejected', message: 'phone number not registered on whatsapp' },
    });
    expect(event?.kind === 'status' && event.errors).toHaveLength(1);
  });

  it('reads device events as connection events', () => {
    expect(wablasWebhook.parse(answers.deviceConnected)).toEqual([
      {
        kind: 'connection',
        provider: 'wablas',
        status: 'connected',
        device: '6283841502450',
        reason: 'ready to use',
        timestamp: new Date('2024-01-22T04:56:02.411Z'),
        raw: answers.deviceConnected,
      },
    ]);
    const [down] = wablasWebhook.parse({
      ...answers.deviceConnected,
      status: 'disconnected',
      note: 'whatsapp sender not connected, need scan qr code again',
    });
    expect(down).toMatchObject({
      kind: 'connection',
      status: 'disconnected',
      reason: 'whatsapp sender not connected, need scan qr code again',
    });
  });

  it('turns what it cannot type into unknown events with a reason', () => {
    const cases: Json[] = [
      others['fonnte message'] as Json,
      others['fonnte status'] as Json,
      { ...answers.trackingRead, status: 'exploded' },
      { ...answers.incomingGroupImage, group: { sender: '' } },
      { ...answers.deviceConnected, status: 'restarting' },
    ];
    for (const body of cases) {
      const [event] = wablasWebhook.parse(body);
      expect(event).toMatchObject({ kind: 'unknown', provider: 'wablas', raw: body });
      expect(event?.kind === 'unknown' && event.reason).toBeTruthy();
    }
  });

  it('throws invalid_payload only for a body that is not an object', () => {
    for (const body of [null, [answers.incomingText], 'hello']) {
      let caught: unknown;
      try {
        wablasWebhook.parse(body as unknown as Json);
      } catch (error) {
        caught = error;
      }
      expect(KabarError.isInstance(caught) && caught.code).toBe('invalid_payload');
    }
  });
});
