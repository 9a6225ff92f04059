import type { GatewayRequest } from '../../gateway.js';
import { json, type Reply } from '../../http.js';
import { readUpload, type StoredMedia } from '../../media.js';
import { mediaReply } from '../../media-reply.js';
import { paramInvalid, wablasFailure } from './failures.js';
import {
  extensionOf,
  extensionRule,
  hasAllowedExtension,
  isMediaKind,
  MAX_MEDIA_BYTES,
  MEDIA_KINDS,
  type MediaKind,
} from './fields.js';
import type { WablasContext } from './state.js';

/** Extensions for files that arrive without one (inbound media), by MIME type. */
const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'application/pdf': 'pdf',
};

/**
 * Where a stored file is served: `<sandbox url>/wablas/<kind>/<media id>.<ext>`, the shape of
 * Wablas' own `https://bdg.wablas.com/$type/$filename`. The id in the name finds the file again.
 */
export function fileUrl(base: string, kind: MediaKind, media: StoredMedia): string {
  const extension =
    extensionOf(media.filename) || EXTENSION_OF_MIME[media.mimeType.split(';')[0] ?? ''] || '';
  return `${base}/${kind}/${media.id}${extension ? `.${extension}` : ''}`;
}

/**
 * POST /api/upload/{type}: a multipart `file` of at most 2 MB, stored in the sandbox's media
 * store. The answer's URL serves it back, so it can be sent with the URL endpoints.
 */
export async function upload(
  context: WablasContext,
  req: GatewayRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const kind = param('type');
  if (!isMediaKind(kind)) return paramInvalid(`type must be ${MEDIA_KINDS.join(', ')}`);
  const form = await readUpload(req.body, req.headers['content-type']);
  if (!form.ok) {
    return paramInvalid(form.field === 'file' ? 'file is required' : `the body ${form.reason}`);
  }
  const { file } = form;
  if (file.bytes.length > MAX_MEDIA_BYTES) return paramInvalid('file maximum size is 2 MB');
  if (!hasAllowedExtension(kind, file.filename)) return paramInvalid(extensionRule(kind));
  const stored = context.media.save('wablas', file);
  // The media store takes up to 100 MiB unless a test made it smaller than this file.
  if (!stored) return paramInvalid('file is larger than the sandbox keeps');
  return json(200, {
    status: true,
    message: 'Upload file successfully',
    data: { messages: [{ url: fileUrl(`${req.origin}/wablas`, kind, stored) }] },
  });
}

/**
 * GET /<kind>/<file>: an uploaded or inbound file, public like Wablas' own file links, so the
 * media endpoints and webhook receivers can fetch it.
 */
export function serveFile(
  context: WablasContext,
  _req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const id = param('file').split('.')[0] ?? '';
  const media = context.media.get('wablas', id);
  if (!media) return wablasFailure('file not found', 404);
  // Served at the sandbox's origin, next to the inbox: never as a page that could run script.
  return mediaReply(media);
}
