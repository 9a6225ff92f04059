import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';
import type { MediaKind } from './message.js';
import type { MediaUpload } from './resources.js';

/**
 * Which WhatsApp media kind (and so which size limit in `LIMITS.mediaBytes`) a MIME type falls
 * under: `image/webp` is a sticker, other `image/*`, `video/*` and `audio/*` their own kind, and
 * anything else a document.
 */
export function mediaKindForMime(mimeType: string): MediaKind {
  const type = mimeType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (type === 'image/webp') return 'sticker';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

function byteLength(file: MediaUpload['file']): number {
  return file instanceof Blob ? file.size : file.byteLength;
}

/** Checks an upload against WhatsApp's size limit for its kind and returns it as a Blob. */
export function uploadBlob(upload: MediaUpload): Blob {
  if (typeof upload?.mimeType !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(upload.mimeType)) {
    throw new ValidationError('mimeType', 'is required, e.g. "image/png"');
  }
  const { file } = upload;
  if (!(file instanceof Blob || file instanceof Uint8Array || file instanceof ArrayBuffer)) {
    throw new ValidationError('file', 'must be a Blob, Uint8Array or ArrayBuffer');
  }
  const size = byteLength(file);
  if (size === 0) throw new ValidationError('file', 'is empty');
  const kind = mediaKindForMime(upload.mimeType);
  const limit = LIMITS.mediaBytes[kind];
  if (size > limit) {
    throw new ValidationError('file', `${kind} files may be at most ${limit} bytes (got ${size})`);
  }
  return file instanceof Blob ? file : new Blob([file as BlobPart], { type: upload.mimeType });
}
