import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import type { OutgoingMessage } from './message.js';
import { LIMITS, prepareMessage } from './validate.js';

const to = '081234567890';

function fieldOf(message: unknown): string | undefined {
  try {
    prepareMessage(message as OutgoingMessage);
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.field;
    throw error;
  }
  return undefined;
}

const buttons = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `b${i}`, title: `Pilihan ${i}` }));
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Baris ${i}` }));

describe('prepareMessage', () => {
  it('normalises the recipient and names the kind', () => {
    expect(prepareMessage({ to, text: 'Halo' })).toMatchObject({
      kind: 'text',
      to: '6281234567890',
      recipientType: 'phone',
    });
    expect(prepareMessage({ to: { group: '1203630@g.us' }, text: 'Halo' })).toMatchObject({
      to: '1203630@g.us',
      recipientType: 'group',
    });
  });

  it('accepts every limit exactly at its edge', () => {
    const ok: OutgoingMessage[] = [
      { to, text: 'x'.repeat(LIMITS.textBody) },
      { to, text: '😀'.repeat(LIMITS.textBody) },
      { to, interactive: { type: 'buttons', body: 'Pilih', buttons: buttons(3) } },
      {
        to,
        interactive: {
          type: 'buttons',
          body: 'b'.repeat(1024),
          header: 'h'.repeat(60),
          footer: 'f'.repeat(60),
          buttons: [{ id: 'x', title: 't'.repeat(20) }],
        },
      },
      {
        to,
        interactive: {
          type: 'list',
          body: 'Menu',
          button: 'Pilih',
          sections: [{ rows: [{ id: 'a', title: 't'.repeat(24), description: 'd'.repeat(72) }] }],
        },
      },
      {
        to,
        interactive: {
          type: 'list',
          body: 'Menu',
          button: 'Pilih',
          sections: [
            { title: 'A', rows: rows(5) },
            { title: 'B', rows: rows(5).map((r) => ({ ...r, id: `${r.id}b` })) },
          ],
        },
      },
    ];
    for (const message of ok) expect(() => prepareMessage(message)).not.toThrow();
  });

  it.each([
    [{ to, text: 'x'.repeat(4097) }, 'text'],
    [{ to, text: '' }, 'text'],
    [{ to, text: 'a', image: { link: 'https://x.id/a.png' } }, 'message'],
    [{ to }, 'message'],
    [{ text: 'hi' }, 'to'],
    [
      { to, interactive: { type: 'buttons', body: 'Pilih', buttons: buttons(4) } },
      'interactive.buttons',
    ],
    [
      {
        to,
        interactive: {
          type: 'buttons',
          body: 'Pilih',
          buttons: [{ id: 'a', title: 't'.repeat(21) }],
        },
      },
      'interactive.buttons[0].title',
    ],
    [
      {
        to,
        interactive: {
          type: 'buttons',
          body: 'Pilih',
          buttons: [
            { id: 'a', title: 'A' },
            { id: 'a', title: 'B' },
          ],
        },
      },
      'interactive.buttons[1].id',
    ],
    [
      { to, interactive: { type: 'buttons', body: 'b'.repeat(1025), buttons: buttons(1) } },
      'interactive.body',
    ],
    [
      {
        to,
        interactive: { type: 'buttons', body: 'b', header: 'h'.repeat(61), buttons: buttons(1) },
      },
      'interactive.header',
    ],
    [
      {
        to,
        interactive: { type: 'buttons', body: 'b', footer: 'f'.repeat(61), buttons: buttons(1) },
      },
      'interactive.footer',
    ],
    [
      {
        to,
        interactive: { type: 'list', body: 'b', button: 'Pilih', sections: [{ rows: rows(11) }] },
      },
      'interactive.sections',
    ],
    [
      {
        to,
        interactive: {
          type: 'list',
          body: 'b',
          button: 'Pilih',
          sections: [{ rows: [{ id: 'a', title: 't'.repeat(25) }] }],
        },
      },
      'interactive.sections[0].rows[0].title',
    ],
    [
      {
        to,
        interactive: {
          type: 'list',
          body: 'b',
          button: 'Pilih',
          sections: [{ rows: [{ id: 'a', title: 'A', description: 'd'.repeat(73) }] }],
        },
      },
      'interactive.sections[0].rows[0].description',
    ],
    [
      {
        to,
        interactive: {
          type: 'list',
          body: 'b',
          button: 'x'.repeat(21),
          sections: [{ rows: rows(1) }],
        },
      },
      'interactive.button',
    ],
    [{ to, interactive: { type: 'slideshow', body: 'b' } }, 'interactive.type'],
    [{ to, image: { caption: 'no source' } }, 'image'],
    [{ to, image: { link: 'https://x.id/a.png', id: '123' } }, 'image'],
    [{ to, image: { link: 'ftp://x.id/a.png' } }, 'image.link'],
    [{ to, image: { id: '1', caption: 'c'.repeat(1025) } }, 'image.caption'],
    [{ to, audio: { id: '1', caption: 'nope' } }, 'audio.caption'],
    [{ to, template: { name: '', language: 'id' } }, 'template.name'],
    [{ to, template: { name: 'otp', language: '' } }, 'template.language'],
    [
      { to, template: { name: 'otp', language: 'id', params: ['baris\nbaru'] } },
      'template.params[0]',
    ],
    [{ to, template: { name: 'otp', language: 'id', params: [''] } }, 'template.params[0]'],
    [
      {
        to,
        template: {
          name: 'otp',
          language: 'id',
          params: ['1'],
          components: [{ type: 'body', parameters: ['1'] }],
        },
      },
      'template.components[0]',
    ],
    [{ to, location: { latitude: 91, longitude: 0 } }, 'location.latitude'],
    [{ to, location: { latitude: 0, longitude: -181 } }, 'location.longitude'],
    [{ to, contacts: [] }, 'contacts'],
    [{ to, contacts: [{ name: {} }] }, 'contacts[0].name.formattedName'],
    [{ to, reaction: { emoji: '👍' } }, 'reaction.messageId'],
  ])('rejects %j naming field %s', (message, field) => {
    expect(fieldOf(message)).toBe(field);
  });

  it('says which field and which limit in the message', () => {
    expect(() => prepareMessage({ to, text: 'x'.repeat(5000) })).toThrow(
      'text: must be at most 4096 characters (got 5000)',
    );
  });

  it('rejects a bad number with invalid_phone before anything else happens', () => {
    expect(() => prepareMessage({ to: '0812', text: 'Halo' })).toThrow(
      /Invalid phone number "0812"/,
    );
  });
});
