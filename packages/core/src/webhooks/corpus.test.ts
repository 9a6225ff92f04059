import { describe, expect, it } from 'vitest';
import { corpus } from './corpus/index.js';
import type { DeliveryStatus, InboundContent, WebhookEventKind } from './events.js';
import { parseWebhook } from './parse.js';

const metaDocumented = corpus.filter(
  (entry) => entry.origin === 'example' || entry.origin === 'syntax',
);

describe('parseWebhook: the corpus', () => {
  it('has at least 60 payloads, each named once and citing its source', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((entry) => entry.name)).size).toBe(corpus.length);
    for (const entry of corpus) {
      if (entry.origin === 'gateway') continue;
      expect(entry.source, entry.name).toMatch(/^https:\/\/developers\.facebook\.com\//);
    }
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const events = parseWebhook(entry.payload, entry.options);
    expect(events).toEqual(entry.expected);
    // `raw` is the payload's own object, not a copy.
    events.forEach((event, i) => {
      expect(event.raw).toBe(entry.expected[i]?.raw);
    });
  });

  it('reads every payload the same from its JSON text', () => {
    for (const entry of corpus) {
      const events = parseWebhook(JSON.stringify(entry.payload), entry.options);
      expect(events, entry.name).toEqual(entry.expected);
    }
  });

  it('never throws on a Meta-documented payload, whole or with any one array item dropped', () => {
    let parsed = 0;
    for (const entry of metaDocumented) {
      const variants = [entry.payload, ...withoutOneItem(entry.payload)];
      for (const payload of variants) {
        expect(() => parseWebhook(payload, entry.options), entry.name).not.toThrow();
        parsed += 1;
      }
    }
    expect(metaDocumented.length).toBeGreaterThanOrEqual(40);
    expect(parsed).toBeGreaterThan(metaDocumented.length);
  });

  it('covers every event kind, every content type and every delivery status', () => {
    const kinds = new Set<WebhookEventKind>();
    const contents = new Set<InboundContent['type']>();
    const statuses = new Set<DeliveryStatus>();
    for (const entry of corpus) {
      for (const event of entry.expected) {
        kinds.add(event.kind);
        if (event.kind === 'message' || event.kind === 'echo') {
          contents.add(event.content.type);
          if (event.content.type === 'edit') contents.add(event.content.content.type);
        }
        if (event.kind === 'history') {
          for (const message of event.messages) contents.add(message.content.type);
        }
        if (event.kind === 'status') statuses.add(event.status);
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        'account_update',
        'call',
        'echo',
        'error',
        'history',
        'message',
        'phone_number_name',
        'phone_number_quality',
        'status',
        'template_category',
        'template_quality',
        'template_status',
        'unknown',
        'user_preference',
      ].sort(),
    );
    expect([...contents].sort()).toEqual(
      [
        'audio',
        'button',
        'contacts',
        'document',
        'edit',
        'flow',
        'image',
        'keyword',
        'list',
        'location',
        'order',
        'reaction',
        'revoke',
        'sticker',
        'system',
        'text',
        'unsupported',
        'video',
      ].sort(),
    );
    expect([...statuses].sort()).toEqual(
      ['deleted', 'delivered', 'failed', 'pending', 'played', 'read', 'sent'].sort(),
    );
  });
});

/** Copies of `value`, each with one element of one of its arrays removed (shallow copies only). */
function withoutOneItem(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    const variants: unknown[] = value.map((_, i) => value.filter((__, j) => j !== i));
    value.forEach((item, i) => {
      for (const inner of withoutOneItem(item)) {
        variants.push(value.map((other, j) => (j === i ? inner : other)));
      }
    });
    return variants;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const variants: unknown[] = [];
    for (const key of Object.keys(record)) {
      for (const inner of withoutOneItem(record[key])) variants.push({ ...record, [key]: inner });
    }
    return variants;
  }
  return [];
}
