import { MiB } from '../../http.js';

/** The message types a Fonnte file becomes. */
export type FonnteMediaType = 'image' | 'video' | 'audio' | 'document';

/** The file types Fonnte sends, by extension (docs: https://docs.fonnte.com/file-limitation/). */
const ALLOWED: Record<string, FonnteMediaType> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  webp: 'image',
  mp4: 'video',
  mp3: 'audio',
  pdf: 'document',
  doc: 'document',
  docx: 'document',
  xls: 'document',
  xlsx: 'document',
  csv: 'document',
  txt: 'document',
};

/** The largest file Fonnte sends (same page). */
export const FONNTE_MAX_FILE_BYTES = 10 * MiB;

/** The extension for a MIME type, for uploads and inbound files that came without a usable name. */
const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/** The lower-cased extension of a file name or URL path, or '' when it has none. */
export function extensionOf(name: string): string {
  const last = name.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(last);
  return match?.[1]?.toLowerCase() ?? '';
}

/** The extension a file is known by: its name's, else its MIME type's, else ''. */
export function fileExtension(filename: string, mimeType: string): string {
  return extensionOf(filename) || EXTENSION_OF_MIME[mimeType.split(';')[0]?.trim() ?? ''] || '';
}

/** What a file with this extension is sent as, or undefined when Fonnte does not take it. */
export function mediaTypeOf(extension: string): FonnteMediaType | undefined {
  return Object.hasOwn(ALLOWED, extension) ? ALLOWED[extension] : undefined;
}
