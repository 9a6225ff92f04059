import type { Reply } from './http.js';
import type { StoredMedia } from './media.js';

/**
 * The media types WhatsApp accepts that a browser only ever displays: images, audio, video and
 * PDF. Anything else a client uploads (HTML, SVG, XML, JavaScript, ...) could run script at the
 * sandbox's origin if a browser opened it, and next to the inbox that origin can read credentials.
 */
const PASSIVE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'audio/aac',
  'audio/amr',
  'audio/mp4',
  'audio/mpeg',
  'audio/ogg',
  'video/3gpp',
  'video/mp4',
  'application/pdf',
]);

/**
 * Headers every media answer carries: no type sniffing, and a policy that gives a document opened
 * from it no script, no plugins and an origin of its own.
 */
const MEDIA_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
};

/**
 * A stored file as a download answer. Passive types keep their type and may show inline; every
 * other type goes out as an application/octet-stream attachment, so it is saved, never rendered.
 */
export function mediaReply(media: StoredMedia): Reply {
  const essence = media.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const passive = PASSIVE_TYPES.has(essence);
  return {
    status: 200,
    headers: {
      ...MEDIA_HEADERS,
      'content-type': passive ? essence : 'application/octet-stream',
      'content-disposition': passive ? 'inline' : 'attachment',
    },
    body: media.bytes,
  };
}
