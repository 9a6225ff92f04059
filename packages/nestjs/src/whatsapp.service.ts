import type { CallOptions, OutgoingMessage, SendResult, WhatsAppClient } from '@kabar/core';
import { type BroadcastOptions, type BroadcastRun, broadcast } from '@kabar/core/broadcast';
import { Inject, Injectable } from '@nestjs/common';
import { WHATSAPP_CLIENT } from './tokens.js';

/**
 * The module's WhatsApp client, injectable by class: everything `createClient()` returns, plus
 * `broadcast`. Inject the raw client with `@InjectWhatsAppClient()` where a plain object is handier.
 */
@Injectable()
export class WhatsAppService {
  constructor(@Inject(WHATSAPP_CLIENT) readonly client: WhatsAppClient) {}

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

  get media(): WhatsAppClient['media'] {
    return this.client.media;
  }
  get templates(): WhatsAppClient['templates'] {
    return this.client.templates;
  }
  get profile(): WhatsAppClient['profile'] {
    return this.client.profile;
  }
  get logs(): WhatsAppClient['logs'] {
    return this.client.logs;
  }
  get batches(): WhatsAppClient['batches'] {
    return this.client.batches;
  }
  get groups(): WhatsAppClient['groups'] {
    return this.client.groups;
  }
  get connection(): WhatsAppClient['connection'] {
    return this.client.connection;
  }
  get numbers(): WhatsAppClient['numbers'] {
    return this.client.numbers;
  }
  get mcp(): WhatsAppClient['mcp'] {
    return this.client.mcp;
  }
  /** The gateway's own health endpoint (Qirim). For terminus, use `WhatsAppHealthIndicator`. */
  health(options?: CallOptions): Promise<unknown> {
    return this.client.health(options);
  }
}
