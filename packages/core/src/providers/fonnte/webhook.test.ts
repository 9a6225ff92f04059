import { describe, expect, it } from 'vitest';
import { KabarError } from '../../errors.js';
import type { MessageEvent } from '../../webhooks/events.js';
import type { Json } from '../../webhooks/parse/json.js';
import * as answers from './test-data/answers.js';
import { fonnteWebhook } from './webhook.js';

const { parse, detect } = fonnteWebhook;

describe('fonnte webhook: incoming messages', () => {
  it('reads the captured group message: the member wrote it, in the group', () => {
    const [event] = parse(answers.incomingGroupMessage);
    expect(event).toEqual({
      kind: 'message',
      provider: 'fonnte',
      from: '6281234567891',
      sender: { phone: '6281234567891', name: 'Budi' },
      name: 'Budi',
      groupId: '120363000000000000@g.us',
      content: { type: 'text', text: 'halo' },
      raw: answers.incomingGroupMessage,
    });
    // The capture's inboxid is 0: there is nothing to quote.
    expect((event as MessageEvent).id).toBeUndefined();
  });

  it('reads a personal message with its inbox id, time and media', () => {
    const [event] = parse({
      device: answers.DEVICE,
      sender: '6281234567891',
      message: 'Ini fakturnya',
      name: 'Budi',
      url: 'https://md.fonnte.com/files/abc.pdf',
      filename: 'faktur.pdf',
      extension: 'pdf',
      inboxid: 5501,
      timestamp: 1767229000,
    });
    expect(event).toMatchObject({
      kind: 'message',
      from: '6281234567891',
      id: '5501',
      timestamp: new Date(1767229000 * 1000),
      content: {
        type: 'document',
        url: 'https://md.fonnte.com/files/abc.pdf',
        caption: 'Ini fakturnya',
        filename: 'faktur.pdf',
      },
    });
    expect(event).not.toHaveProperty('groupId');
  });

  it.each([
    ['jpg', 'image'],
    ['PNG', 'image'],
    ['webp', 'image'],
    ['mp4', 'video'],
    ['mp3', 'audio'],
    ['ogg', 'audio'],
    ['xlsx', 'document'],
  ])('tells media by its extension: %s is %s', (extension, type) => {
    const [event] = parse({
      device: answers.DEVICE,
      sender: '6281234567891',
      message: '',
      url: `https://md.fonnte.com/files/x.${extension}`,
      extension,
    });
    expect(event).toMatchObject({ kind: 'message', content: { type } });
  });

  it('reads a location, and a poll as unsupported', () => {
    const base = { device: answers.DEVICE, sender: '6281234567891', message: '' };
    expect(parse({ ...base, location: '-7.983908, 112.621391' })[0]).toMatchObject({
      content: { type: 'location', latitude: -7.983908, longitude: 112.621391 },
    });
    expect(
      parse({ ...base, pollname: 'Jam rapat?', choices: ['09.00', '10.00'] })[0],
    ).toMatchObject({
      content: { type: 'unsupported', originalType: 'poll', errors: [] },
    });
  });

  it('turns a group message without its member into an unknown event, not an error', () => {
    const { member: _member, ...body } = answers.incomingGroupMessage;
    const [event] = parse(body);
    expect(event).toMatchObject({ kind: 'unknown', provider: 'fonnte' });
    expect((event as { reason: string }).reason).toMatch(/member/);
  });
});

describe('fonnte webhook: statuses and connections', () => {
  it('reads a status by its id, and a later one by its stateid', () => {
    expect(parse(answers.statusSent)).toEqual([
      {
        kind: 'status',
        provider: 'fonnte',
        messageId: '142223099',
        status: 'sent',
        errors: [],
        raw: answers.statusSent,
      },
    ]);
    expect(parse(answers.statusRead)[0]).toMatchObject({
      kind: 'status',
      messageId: '3EB0A1B2C3D4E5F6A7B8',
      status: 'read',
    });
  });

  it.each([
    ['pending', 'pending'],
    ['processing', 'pending'],
    ['waiting', 'pending'],
    ['failed', 'failed'],
    ['expired', 'failed'],
  ])('maps status %s to %s', (status, expected) => {
    const [event] = parse({ device: answers.DEVICE, id: 7, stateid: 'S1', status });
    expect(event).toMatchObject({ kind: 'status', status: expected });
  });

  it('explains a failure, and lets a delivered state win over the status', () => {
    const [invalid] = parse({ device: answers.DEVICE, id: 7, status: 'invalid', target: '628' });
    expect(invalid).toMatchObject({
      status: 'failed',
      recipient: '628',
      error: { code: 'invalid', message: 'not a WhatsApp number' },
      errors: [{ code: 'invalid' }],
    });
    const [unreachable] = parse({ device: answers.DEVICE, id: 8, status: 'url unreachable' });
    expect(unreachable).toMatchObject({ status: 'failed', error: { code: 'url unreachable' } });
    const [delivered] = parse({
      device: answers.DEVICE,
      id: 9,
      status: 'sent',
      state: 'delivered',
    });
    expect(delivered).toMatchObject({ status: 'delivered', errors: [] });
    const [odd] = parse({ device: answers.DEVICE, id: 9, status: 'sent', state: 'server_ack' });
    expect(odd).toMatchObject({ status: 'sent' });
  });

  it('turns an unknown status into an unknown event', () => {
    const [event] = parse({ device: answers.DEVICE, id: 9, status: 'teleported' });
    expect(event).toMatchObject({ kind: 'unknown', provider: 'fonnte' });
  });

  it('reads a device connection, without the token in raw', () => {
    const [event] = parse(answers.disconnected);
    expect(event).toEqual({
      kind: 'connection',
      provider: 'fonnte',
      status: 'disconnected',
      device: answers.DEVICE,
      reason: 'logout from phone',
      timestamp: new Date(1767229000 * 1000),
      raw: {
        device: answers.DEVICE,
        status: 'disconnect',
        reason: 'logout from phone',
        timestamp: 1767229000,
      },
    });
    expect(JSON.stringify(event)).not.toContain(answers.TOKEN);
    expect(parse({ device: answers.DEVICE, status: 'connect' })[0]).toMatchObject({
      kind: 'connection',
      status: 'connected',
    });
  });
});

describe('fonnte webhook: secrets and odd bodies', () => {
  it('never puts the webhook secret in raw', () => {
    const secret = 'webhook-secret-1234567890';
    for (const body of [
      { ...answers.incomingGroupMessage, secret },
      { ...answers.statusSent, secret },
      { ...answers.disconnected, secret },
      { device: answers.DEVICE, secret, submission: 'x' },
    ]) {
      const events = parse(body);
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(events[0]?.raw).not.toHaveProperty('secret');
    }
  });

  it('makes an unknown event of a body it cannot type, and throws only for a non-object', () => {
    expect(parse({ device: answers.DEVICE, submission: 'x' })).toEqual([
      expect.objectContaining({ kind: 'unknown', reason: expect.any(String) }),
    ]);
    const error = (() => {
      try {
        parse([] as unknown as Json);
      } catch (caught) {
        return caught;
      }
    })();
    expect(KabarError.isInstance(error) && error.code).toBe('invalid_payload');
  });
});

describe('fonnte webhook: detect', () => {
  it('knows Fonnte’s message, status and connection bodies', () => {
    expect(detect(answers.incomingGroupMessage)).toBe(true);
    expect(detect(answers.statusSent)).toBe(true);
    expect(detect(answers.statusRead)).toBe(true);
    expect(detect(answers.disconnected)).toBe(true);
  });

  it.each<[string, Json]>([
    [
      'Meta',
      {
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: {} }] }],
      },
    ],
    [
      'Kirem',
      {
        event: 'messages.status',
        data: { message_id: 'wamid.X', status: 'delivered', recipient: '6281234567890' },
      },
    ],
    ['Waviro ack', { msgid: '3EB0ABC', ack: 2 }],
    [
      'Waviro keyword',
      { keyword: 'penawaran#', webhookkey: 'k', from: '6281234567890', data: ['Budi'] },
    ],
    [
      // Wablas' incoming message (research note B13)
      'Wablas message',
      {
        id: '809DE6896F2203BC296652E16DEEC90E',
        pushName: 'Marina Karina',
        isGroup: false,
        message: 'File',
        phone: '6281393961000',
        messageType: 'text',
        deviceId: 'A0HDJU',
        sender: '6289628189000',
        timestamp: '2021-03-31T02:15:45Z',
      },
    ],
    [
      // Wablas' tracking fields (research note B13)
      'Wablas status',
      { id: 'uuid-1', phone: '6281393961000', status: 'read', note: '', deviceId: 'A0HDJU' },
    ],
    [
      // Wablas' device callback (research note B13)
      'Wablas device',
      {
        deviceId: 'LJH8UM',
        deviceName: 'Riza Arif',
        sender: '6283841502450',
        status: 'connected',
        note: 'ready to use',
      },
    ],
  ])('says no to %s', (_name, body) => {
    expect(detect(body)).toBe(false);
  });
});
