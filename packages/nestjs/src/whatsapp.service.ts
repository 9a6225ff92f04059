import type { CallOptions, OutgoingMessage, SendResult, WhatsAppClient } from '@kabar/core';
import { type BroadcastOptions, type BroadcastRun, broadcast } from '@kabar/core/broadcast';
import { Inject, Injectable } from '@nestjs/common';
import { WHATSAPP_CLIENT } from './tokens.js';

/**
 * The module's WhatsApp client, injectable by class: everything `createClient()` returns, plus
 * `broadcast`. Inject the raw client with `@InjectWhatsAppClient()` where a plain object is handier.
 * Calls reject with the client's `KabarError`s (e.g. `invalid_phone`, `unsupported_feature`; with
 * the module's `policy`, `opted_out` and `outside_window`).
 *
 * @example
 * ```ts
 * import { WhatsAppService } from '@kabar/nestjs';
 * import { Injectable } from '@nestjs/common';
 *
 * @Injectable()
 * export class OrdersService {
 *   constructor(private readonly whatsapp: WhatsAppService) {}
 *
 *   async shipped(phone: string, orderId: string): Promise<string> {
 *     const { id } = await this.whatsapp.send({
 *       to: phone,
 *       text: `Pesanan #${orderId} sudah dikirim`,
 *     });
 *     return id; // the gateway's message id
 *   }
 * }
 * ```
 */
@Injectable()
export class WhatsAppService {
  constructor(@Inject(WHATSAPP_CLIENT) readonly client: WhatsAppClient) {}

  /** The gateway's name, e.g. `'kirem'` or `'meta'`. */
  get provider(): string {
    return this.client.provider;
  }

  /** Whether the gateway can do this (`'template'`, `'media.upload'`, `'groups.list'`, ...). */
  supports(feature: Parameters<WhatsAppClient['supports']>[0]): boolean {
    return this.client.supports(feature);
  }

  /** Validates, then sends one message. Resolves with the gateway's message id. */
  send(message: OutgoingMessage, options?: CallOptions): Promise<SendResult> {
    return this.client.send(message, options);
  }

  /** Blue ticks for an incoming message. */
  markAsRead(messageId: string, options?: CallOptions): Promise<void> {
    return this.client.markAsRead(messageId, options);
  }

  /**
   * One message per row, a few at a time under the gateway's rate limit, with opt-outs and rows
   * already sent skipped. Iterate the run for per-row results, or `await run.done()`.
   */
  broadcast<Row>(
    rows: Iterable<Row> | AsyncIterable<Row>,
    options: BroadcastOptions<Row>,
  ): BroadcastRun<Row> {
    return broadcast(this.client, rows, options);
  }

  /** Media upload and download (`supports('media.upload')` and the like say which). */
  get media(): WhatsAppClient['media'] {
    return this.client.media;
  }
  /** Message templates: list, create, delete, where the gateway manages them. */
  get templates(): WhatsAppClient['templates'] {
    return this.client.templates;
  }
  /** The business profile: read and update. */
  get profile(): WhatsAppClient['profile'] {
    return this.client.profile;
  }
  /** The gateway's message and webhook logs (Kirem). */
  get logs(): WhatsAppClient['logs'] {
    return this.client.logs;
  }
  /** The status of a batch send (Qirim). */
  get batches(): WhatsAppClient['batches'] {
    return this.client.batches;
  }
  /** The WhatsApp groups the number is in (Waviro). */
  get groups(): WhatsAppClient['groups'] {
    return this.client.groups;
  }
  /** Whether the WhatsApp session is logged in, and its QR code (Waviro). */
  get connection(): WhatsAppClient['connection'] {
    return this.client.connection;
  }
  /** Whether a number is on WhatsApp (Waviro). */
  get numbers(): WhatsAppClient['numbers'] {
    return this.client.numbers;
  }
  /** The gateway's MCP tools: conversations and replies (Kirem). */
  get mcp(): WhatsAppClient['mcp'] {
    return this.client.mcp;
  }
  /** The gateway's own health endpoint (Qirim). For terminus, use `WhatsAppHealthIndicator`. */
  health(options?: CallOptions): Promise<unknown> {
    return this.client.health(options);
  }
}
