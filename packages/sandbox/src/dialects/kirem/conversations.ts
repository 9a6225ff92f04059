import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationInput } from '../../types.js';

/** The conversation the seed's MCP examples talk about. */
const SEED_CONVERSATIONS: readonly Conversation[] = [
  {
    id: '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab',
    status: 'open',
    customer_phone: '62812345678',
    updated_at: '2026-06-28T16:00:00Z',
    messages: [
      {
        id: 'msg_1',
        sender: 'customer',
        text: 'Halo, apakah produk X ready?',
        created_at: '2026-06-28T16:00:00Z',
      },
    ],
  },
];

/** Kirem chat sessions, read and written by the MCP tools. */
export class ConversationStore {
  #conversations: Conversation[] = [];

  constructor() {
    this.reset();
  }

  reset(): void {
    this.#conversations = structuredClone([...SEED_CONVERSATIONS]);
  }

  list(status?: string): Conversation[] {
    return this.#conversations.filter((c) => status === undefined || c.status === status);
  }

  get(id: string): Conversation | undefined {
    return this.#conversations.find((conversation) => conversation.id === id);
  }

  add(input: ConversationInput): Conversation {
    const now = new Date().toISOString();
    const conversation: Conversation = {
      id: randomUUID(),
      status: input.status ?? 'open',
      customer_phone: input.customer_phone,
      updated_at: now,
      messages: (input.messages ?? []).map((message, index) => ({
        id: `msg_${index + 1}`,
        sender: message.sender ?? 'customer',
        text: message.text,
        created_at: now,
      })),
    };
    this.#conversations.push(conversation);
    return conversation;
  }

  append(conversation: Conversation, message: { id: string; sender: string; text: string }): void {
    const now = new Date().toISOString();
    conversation.messages.push({ ...message, created_at: now });
    conversation.updated_at = now;
  }
}
