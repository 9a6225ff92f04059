import { isRecord, parseJson } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import type { SandboxState } from '../../state.js';
import type { SandboxMessage, WebhookDelivery } from '../../types.js';
import type { WaviroContext } from './state.js';

/**
 * Posts `{ keyword, data, webhookkey, from }` for a keyword chat and sends each item of the
 * receiver's `message.reply` back to the customer as a stored outbound message.
 */
export async function deliverKeyword(
  state: WaviroContext,
  from: string,
  text: string,
): Promise<WebhookDelivery[]> {
  const keyword = state.waviro.keywords.match(text);
  if (!keyword) return [];
  const rest = text.slice(keyword.keyword.length);
  const payload = {
    keyword: keyword.keyword,
    data: rest === '' ? [] : rest.split('#'),
    webhookkey: keyword.webhookKey,
    from,
  };
  const generation = state.deliveries.generation;
  const delivery = await state.deliveries.send({
    provider: 'waviro',
    kind: 'keyword',
    url: keyword.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  // A reset while the receiver was answering ended the test; its replies must not appear in the next.
  if (generation === state.deliveries.generation) applyKeywordReply(state, delivery);
  return [delivery];
}

/**
 * Sends the receiver's reply items to the customer the keyword payload came from. Nothing failed
 * in transit, but what the bot could not send is noted in the delivery's error.
 */
export function applyKeywordReply(state: SandboxState, delivery: WebhookDelivery): void {
  if (delivery.status === null || delivery.status < 200 || delivery.status >= 300) return;
  const payload = parseJson(Buffer.from(delivery.body));
  const from = parsed(payload)?.from;
  if (typeof from !== 'string') return;
  const problems = sendReplies(state, from, delivery.responseBody);
  if (problems.length > 0) delivery.error = problems.join('; ');
}

function parsed(json: ReturnType<typeof parseJson>): Record<string, unknown> | undefined {
  return json.ok && isRecord(json.value) ? json.value : undefined;
}

/** Stores each reply item as an outbound message and returns what was ignored, and why. */
function sendReplies(state: SandboxState, to: string, responseBody: string): string[] {
  const answer = parsed(parseJson(Buffer.from(responseBody)));
  if (!answer) return ['reply body is not JSON'];
  if (answer.success !== true) return [`receiver answered success: ${String(answer.success)}`];
  // The docs' format is message.reply; their PHP example prints the array as message itself.
  const items = isRecord(answer.message) ? answer.message.reply : answer.message;
  if (!Array.isArray(items)) return ['message.reply is not an array'];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const reply = replyOf(item);
    if (typeof reply === 'string') {
      problems.push(`reply[${index}] ignored: ${reply}`);
      return;
    }
    const message: SandboxMessage = {
      id: newWebMessageId(),
      provider: 'waviro',
      direction: 'outbound',
      to,
      ...reply,
      payload: item,
      status: 'accepted',
      createdAt: new Date().toISOString(),
    };
    state.messages.add(message);
  });
  return problems;
}

/** The stored type and summary of one reply item, or why it cannot be sent. */
function replyOf(item: unknown): { type: string; text: string } | string {
  if (!isRecord(item)) return 'not an object';
  const { type, content } = item;
  switch (type) {
    case 'message':
      return typeof content === 'string' && content !== ''
        ? { type: 'text', text: content }
        : 'content must be a non-empty string';
    case 'location': {
      // [{ coordinate: '{{latitude}}-{{longitude}}' }]; the sign of a latitude is kept.
      const coordinate = Array.isArray(content) && isRecord(content[0]) && content[0].coordinate;
      const match =
        typeof coordinate === 'string' && /^(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/.exec(coordinate);
      return match
        ? { type: 'location', text: `${match[1]},${match[2]}` }
        : "content must be [{ coordinate: 'latitude-longitude' }]";
    }
    case 'audio':
    case 'image':
    case 'document':
      return typeof content === 'string' && /^https?:\/\/\S+$/.test(content)
        ? { type, text: `[${type}]` }
        : 'content must be an http(s) URL';
    default:
      return `unknown type ${JSON.stringify(type)}`;
  }
}
