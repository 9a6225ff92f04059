import { describe, expect, it } from 'vitest';
import * as seed from '../seed-examples.js';
import { validateMessage } from './message-validation.js';

const base = { messaging_product: 'whatsapp', to: '62812345678' };

function interactiveList(rowsPerSection: number[], row: Record<string, unknown> = {}) {
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'Pilih' },
      action: {
        button: 'Menu',
        sections: rowsPerSection.map((count, s) => ({
          title: `S${s}`,
          rows: Array.from({ length: count }, (_, r) => ({
            id: `r${s}-${r}`,
            title: 'Row',
            ...row,
          })),
        })),
      },
    },
  };
}

describe('validateMessage', () => {
  it('accepts every seed example', () => {
    for (const body of [
      seed.sendText,
      seed.sendOtpTemplate,
      seed.sendPromoTemplate,
      seed.sendImageById,
      seed.sendImageByLink,
      seed.sendVideoById,
      seed.sendVideoByLink,
      seed.sendLocation,
      seed.sendContacts,
      seed.sendButtons,
      seed.sendList,
      { ...base, ...seed.n8nButtons },
    ]) {
      expect(validateMessage(body)).toEqual({});
    }
  });

  it('defaults type to text', () => {
    expect(validateMessage({ ...base, text: { body: 'hi' } })).toEqual({});
    expect(validateMessage({ ...base })).toEqual({ text: 'is required' });
  });

  it('bounds text.body to 1..4096 characters', () => {
    expect(validateMessage({ ...base, text: { body: 'x'.repeat(4096) } })).toEqual({});
    expect(validateMessage({ ...base, text: { body: 'x'.repeat(4097) } })).toEqual({
      'text.body': 'must be 1 to 4096 characters',
    });
    expect(validateMessage({ ...base, text: { body: '' } })).toHaveProperty('text.body');
  });

  it('checks recipients: optional +, 8..15 digits', () => {
    expect(validateMessage({ ...base, to: '+628123456789', text: { body: 'x' } })).toEqual({});
    for (const to of ['0812345', '1234567890123456', '62 812 345 678', 62812345678]) {
      expect(validateMessage({ ...base, to, text: { body: 'x' } })).toHaveProperty('to');
    }
  });

  it('refuses unknown types', () => {
    expect(validateMessage({ ...base, type: 'poll', poll: {} })).toHaveProperty('type');
  });

  it('needs exactly one of id or link, an http(s) link and a short caption', () => {
    expect(
      validateMessage({ ...base, type: 'image', image: { id: '1', link: 'https://a.id/x.png' } }),
    ).toEqual({
      image: 'must have exactly one of id or link',
    });
    expect(
      validateMessage({ ...base, type: 'document', document: { link: 'ftp://a.id/x.pdf' } }),
    ).toEqual({
      'document.link': 'must be an http(s) URL',
    });
    expect(
      validateMessage({ ...base, type: 'video', video: { id: '1', caption: 'c'.repeat(1025) } }),
    ).toEqual({ 'video.caption': 'must be at most 1024 characters' });
    expect(
      validateMessage({
        ...base,
        type: 'document',
        document: { id: '1', filename: 'invoice.pdf' },
      }),
    ).toEqual({});
  });

  it('bounds reply buttons: 1..3, titles of 20 characters counted as people count them', () => {
    const buttons = (titles: string[]) => ({
      ...seed.sendButtons,
      interactive: {
        ...seed.sendButtons.interactive,
        action: {
          buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `b${i}`, title } })),
        },
      },
    });
    expect(validateMessage(buttons(['🙂'.repeat(20)]))).toEqual({});
    expect(validateMessage(buttons(['x'.repeat(21)]))).toEqual({
      'interactive.action.buttons[0].reply.title': 'must be 1 to 20 characters',
    });
    expect(validateMessage(buttons(['a', 'b', 'c', 'd']))).toEqual({
      'interactive.action.buttons': 'must have 1 to 3 buttons',
    });
  });

  it('bounds lists: 10 rows in total, row title 24, description 72', () => {
    expect(validateMessage(interactiveList([5, 5]))).toEqual({});
    expect(validateMessage(interactiveList([6, 5]))).toEqual({
      'interactive.action.sections': 'must contain 1 to 10 rows in total',
    });
    expect(
      validateMessage(interactiveList([1], { title: 't'.repeat(25), description: 'd'.repeat(73) })),
    ).toEqual({
      'interactive.action.sections[0].rows[0].title': 'must be 1 to 24 characters',
      'interactive.action.sections[0].rows[0].description': 'must be at most 72 characters',
    });
    expect(validateMessage(interactiveList(Array.from({ length: 11 }, () => 0)))).toEqual({
      'interactive.action.sections': 'must have 1 to 10 sections',
    });
  });

  it('bounds interactive body, header and footer text', () => {
    const interactive = {
      ...seed.sendList.interactive,
      header: { type: 'text', text: 'h'.repeat(61) },
      body: { text: 'b'.repeat(1025) },
      footer: { text: 'f'.repeat(61) },
    };
    expect(Object.keys(validateMessage({ ...seed.sendList, interactive })).sort()).toEqual([
      'interactive.body.text',
      'interactive.footer.text',
      'interactive.header.text',
    ]);
    expect(
      validateMessage({ ...seed.sendList, interactive: { ...interactive, type: 'poll' } }),
    ).toHaveProperty('interactive.type');
  });

  it('bounds coordinates', () => {
    const location = (latitude: unknown, longitude: unknown) => ({
      ...base,
      type: 'location',
      location: { latitude, longitude },
    });
    expect(validateMessage(location('-6.175392', 106.827153))).toEqual({});
    expect(Object.keys(validateMessage(location(91, -181))).sort()).toEqual([
      'location.latitude',
      'location.longitude',
    ]);
  });

  it('needs contacts with a formatted name', () => {
    expect(validateMessage({ ...base, type: 'contacts', contacts: [] })).toEqual({
      contacts: 'must be a non-empty array',
    });
    expect(validateMessage({ ...base, type: 'contacts', contacts: [{ name: {} }] })).toEqual({
      'contacts[0].name.formatted_name': 'is required',
    });
  });

  it('needs a reaction target and emoji', () => {
    const reaction = { message_id: 'wamid.abc', emoji: '👍' };
    expect(validateMessage({ ...base, type: 'reaction', reaction })).toEqual({});
    expect(validateMessage({ ...base, type: 'reaction', reaction: { emoji: '👍' } })).toEqual({
      'reaction.message_id': 'is required',
    });
  });

  it('needs a template name and language code', () => {
    expect(validateMessage({ ...base, type: 'template', template: { name: 'x' } })).toEqual({
      'template.language.code': 'is required',
    });
  });
});
