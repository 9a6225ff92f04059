import { createHash, randomBytes } from 'node:crypto';
import { MAX_MEDIA_FILE_BYTES } from '../../media.js';

/** The MIME types Meta's Resumable Upload API takes (`file_type`). */
export const RESUMABLE_FILE_TYPES: readonly string[] = [
  'application/pdf',
  'image/jpeg',
  'image/jpg',
  'image/png',
  'video/mp4',
];

/** A file uploaded in full, known by the handle (`h`) the upload answered with. */
export interface UploadedFile {
  handle: string;
  appId: string;
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
  sha256: string;
}

interface Session {
  kind: 'session';
  /** 'upload:…', the path segment the upload is posted to. */
  key: string;
  sig: string;
  appId: string;
  fileLength: number;
  fileType: string;
  fileName: string;
  chunks: Uint8Array[];
  received: number;
}

interface Finished {
  kind: 'file';
  file: UploadedFile;
}

/** What posting bytes to an upload session came to. */
export type UploadOutcome =
  | { ok: true; complete: true; handle: string }
  | { ok: true; complete: false; offset: number }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'offset'; expected: number }
  | { ok: false; reason: 'too-long'; remaining: number };

/**
 * Meta's Resumable Upload API (`POST /{app-id}/uploads`, then `POST /upload:…` with the bytes):
 * open sessions and finished files. Memory is bounded like the media store: past `maxBytes`
 * received in total or `maxEntries` sessions and files, the oldest are dropped.
 */
export class ResumableUploads {
  /** Sessions by key and files by handle, in insertion order, so the first entry is the oldest. */
  #entries = new Map<string, Session | Finished>();
  #bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntries: number,
  ) {}

  /** The largest file a session may announce. */
  get maxFileBytes(): number {
    return Math.min(MAX_MEDIA_FILE_BYTES, this.maxBytes);
  }

  /** Opens a session; its id is the key plus `?sig=…`, as Meta's ids are. */
  start(appId: string, file: { fileLength: number; fileType: string; fileName: string }): string {
    const key = `upload:${randomBytes(24).toString('base64url')}`;
    const session: Session = {
      kind: 'session',
      key,
      sig: randomBytes(12).toString('base64url'),
      appId,
      ...file,
      chunks: [],
      received: 0,
    };
    this.#entries.set(key, session);
    this.#trim();
    return `${key}?sig=${session.sig}`;
  }

  /** How far the session has got (Meta's `file_offset`), or undefined when it is unknown. */
  offset(key: string, sig: string | null): number | undefined {
    const session = this.#session(key, sig);
    return session?.received;
  }

  /** Takes bytes at `offset`; the chunk that completes the file turns the session into a handle. */
  upload(key: string, sig: string | null, offset: number, bytes: Uint8Array): UploadOutcome {
    const session = this.#session(key, sig);
    if (!session) return { ok: false, reason: 'unknown' };
    if (offset !== session.received)
      return { ok: false, reason: 'offset', expected: session.received };
    const remaining = session.fileLength - session.received;
    if (bytes.length > remaining) return { ok: false, reason: 'too-long', remaining };
    session.chunks.push(bytes);
    session.received += bytes.length;
    this.#bytes += bytes.length;
    if (session.received < session.fileLength) {
      this.#trim();
      return { ok: true, complete: false, offset: session.received };
    }
    const whole = Buffer.concat(session.chunks);
    const handle = `4::${Buffer.from(session.fileType).toString('base64')}:${randomBytes(24).toString('base64url')}`;
    this.#entries.delete(key);
    this.#entries.set(handle, {
      kind: 'file',
      file: {
        handle,
        appId: session.appId,
        bytes: new Uint8Array(whole),
        mimeType: session.fileType,
        fileName: session.fileName,
        sha256: createHash('sha256').update(whole).digest('hex'),
      },
    });
    this.#trim();
    return { ok: true, complete: true, handle };
  }

  /** The finished file behind a handle. */
  file(handle: string): UploadedFile | undefined {
    const entry = this.#entries.get(handle);
    return entry?.kind === 'file' ? entry.file : undefined;
  }

  reset(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #session(key: string, sig: string | null): Session | undefined {
    const entry = this.#entries.get(key);
    return entry?.kind === 'session' && entry.sig === sig ? entry : undefined;
  }

  #trim(): void {
    for (const [id, oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(id);
      this.#bytes -= oldest.kind === 'file' ? oldest.file.bytes.length : oldest.received;
    }
  }
}
