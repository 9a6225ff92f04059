import type { MessageEvent, Referral } from '../../../webhooks/events.js';
import {
  ItemError,
  isRecord,
  type Json,
  optionalString,
  string,
  unixTime,
} from '../../../webhooks/parse/json.js';
import { type ChangeScope, userOf } from '../../../webhooks/parse/scope.js';
import { graphContent } from './content.js';

function referralOf(value: unknown): Referral | undefined {
  if (!isRecord(value)) return undefined;
  return {
    sourceUrl: optionalString(value.source_url),
    sourceId: optionalString(value.source_id),
    sourceType: optionalString(value.source_type),
    headline: optionalString(value.headline),
    body: optionalString(value.body),
    mediaType: optionalString(value.media_type),
    imageUrl: optionalString(value.image_url),
    videoUrl: optionalString(value.video_url),
    thumbnailUrl: optionalString(value.thumbnail_url),
    ctwaClid: optionalString(value.ctwa_clid),
    welcomeMessage: isRecord(value.welcome_message)
      ? optionalString(value.welcome_message.text)
      : undefined,
  };
}

/** One customer message in Meta's shape (Kirem's `data` follows it too). */
export function graphMessage(message: Json, scope: ChangeScope, path: string): MessageEvent {
  const sender = userOf(
    optionalString(message.from),
    optionalString(message.from_user_id),
    optionalString(message.from_parent_user_id),
    scope.contacts,
  );
  const from = sender.phone ?? sender.userId;
  if (from === undefined) throw new ItemError(`${path} names no sender (no from or from_user_id)`);
  const context = isRecord(message.context) ? message.context : undefined;
  const product = isRecord(context?.referred_product) ? context.referred_product : undefined;
  return {
    kind: 'message',
    provider: scope.provider,
    from,
    sender,
    id: optionalString(message.id ?? message.message_id),
    name: sender.name,
    timestamp: unixTime(message.timestamp),
    replyTo: context ? optionalString(context.id ?? context.message_id) : undefined,
    forwarded: context?.forwarded === true ? true : undefined,
    frequentlyForwarded: context?.frequently_forwarded === true ? true : undefined,
    referredProduct: product
      ? {
          catalogId: string(product.catalog_id, `${path}.context.referred_product.catalog_id`),
          productRetailerId: string(
            product.product_retailer_id,
            `${path}.context.referred_product.product_retailer_id`,
          ),
        }
      : undefined,
    referral: referralOf(message.referral),
    groupId: optionalString(message.group_id),
    business: scope.business,
    content: graphContent(message, path),
    raw: message,
  };
}
