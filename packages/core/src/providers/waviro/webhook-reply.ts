/** What a Waviro keyword webhook answers with: the bot sends each item back to the customer. */
export type WaviroReplyItem =
  | { type: 'message'; content: string }
  | { type: 'location'; latitude: number; longitude: number }
  | { type: 'audio' | 'image' | 'document'; url: string };

/**
 * The JSON that answers a Waviro keyword call, as `waviroReply` builds it. A location goes as one
 * `latitude-longitude` string.
 */
export interface WaviroReplyBody {
  success: true;
  message: {
    reply: (
      | { type: string; content: string }
      | { type: 'location'; content: { coordinate: string }[] }
    )[];
  };
}

/**
 * Builds the answer to a Waviro keyword call: Waviro sends each item to the customer, in order.
 * `createWebhookHandler` does this with the replies `onEvents` adds to `delivery.replies`.
 */
export function waviroReply(items: WaviroReplyItem[]): WaviroReplyBody {
  return {
    success: true,
    message: {
      reply: items.map((item) => {
        switch (item.type) {
          case 'message':
            return { type: 'message', content: item.content };
          case 'location':
            // The seed's own format: one "latitude-longitude" string.
            return {
              type: 'location',
              content: [{ coordinate: `${item.latitude}-${item.longitude}` }],
            };
          default:
            return { type: item.type, content: item.url };
        }
      }),
    },
  };
}
