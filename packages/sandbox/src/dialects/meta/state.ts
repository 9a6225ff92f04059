import { unixSeconds } from '../../calendar.js';
import { BUSINESS_PHONE_NUMBER, type CloudChannel } from '../../cloud-api/channel.js';
import { ProfileStore } from '../../cloud-api/profiles.js';
import { TemplateStore } from '../../cloud-api/templates.js';
import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { BlockLists } from './block-list.js';
import { ResumableUploads } from './resumable-uploads.js';
import {
  META_WEBHOOK,
  type MetaAccount,
  type MetaUser,
  metaMessage,
  metaMessageEvent,
  metaStatusEvent,
  metaTemplateStatusEvent,
} from './webhook-format.js';

/** The Graph API version clients are told to use; any vX.Y in a path is accepted. */
export const META_API_VERSION = 'v21.0';

/** What one sandbox keeps for Meta: the credentials it accepts and Meta's own stores. */
export interface MetaState {
  readonly options: { accessTokens: NonEmpty; phoneNumberIds: NonEmpty; wabaIds: NonEmpty };
  readonly templates: TemplateStore;
  /** Business profiles per phone number. */
  readonly profiles: ProfileStore;
  /** Resumable Upload API sessions and the files they finished. */
  readonly uploads: ResumableUploads;
  /** Block Users API: who each business number has blocked. */
  readonly blocked: BlockLists;
  /** How the Cloud API code shared with Kirem sends, receives and reports for Meta. */
  readonly channel: CloudChannel;
}

/** The shared state with Meta's own under `meta`, as Meta's handlers take it. */
export type MetaContext = SandboxState & { readonly meta: MetaState };

/** The account Meta's webhook envelopes name: the first WABA and phone number. */
export function metaAccount(options: MetaState['options']): MetaAccount {
  return {
    wabaId: options.wabaIds[0],
    phoneNumberId: options.phoneNumberIds[0],
    displayPhoneNumber: BUSINESS_PHONE_NUMBER,
  };
}

/** The customer as Meta's contacts name them, from what the test gave. */
export function metaUser(user: {
  name: string;
  from?: string;
  userId?: string;
  username?: string;
}): MetaUser {
  return {
    name: user.name,
    ...(user.from === undefined ? {} : { waId: user.from }),
    ...(user.userId === undefined ? {} : { userId: user.userId }),
    ...(user.username === undefined ? {} : { username: user.username }),
  };
}

/** Meta's credentials from the options (defaults when absent) and its stores, empty or seeded. */
export function createMetaState(
  options: SandboxOptions,
  limits: { maxMediaBytes: number; maxMessages: number },
): MetaState {
  const resolved: MetaState['options'] = {
    accessTokens: credentialList(
      'meta.accessTokens',
      options.meta?.accessTokens,
      'meta_test_token',
    ),
    phoneNumberIds: credentialList(
      'meta.phoneNumberIds',
      options.meta?.phoneNumberIds,
      '1234567890',
    ),
    wabaIds: credentialList('meta.wabaIds', options.meta?.wabaIds, '9876543210'),
  };
  const account = metaAccount(resolved);
  const templates = new TemplateStore(options.templates);
  return {
    options: resolved,
    templates,
    profiles: new ProfileStore(),
    uploads: new ResumableUploads(limits.maxMediaBytes, limits.maxMessages),
    blocked: new BlockLists(),
    channel: {
      provider: 'meta',
      webhook: META_WEBHOOK,
      templates,
      defaultPhoneNumberId: resolved.phoneNumberIds[0],
      messageEvent(event) {
        const payload = metaMessage(event.content, {
          ...(event.from === undefined ? {} : { from: event.from }),
          ...(event.userId === undefined ? {} : { fromUserId: event.userId }),
          id: event.messageId,
          timestamp: event.timestamp,
          ...(event.replyTo ? { context: { from: BUSINESS_PHONE_NUMBER, id: event.replyTo } } : {}),
        });
        return { payload, event: metaMessageEvent(account, metaUser(event), payload) };
      },
      statusEvent: (status) => metaStatusEvent(account, status),
      templateStatusEvent: (template, reason) =>
        metaTemplateStatusEvent(resolved.wabaIds[0], template, reason, Number(unixSeconds())),
    },
  };
}

/** Back to no uploads, no blocked users, and the seeded templates and profiles. */
export function resetMetaState(meta: MetaState): void {
  meta.templates.reset();
  meta.profiles.reset();
  meta.uploads.reset();
  meta.blocked.reset();
}
