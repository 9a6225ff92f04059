import { createHash } from 'node:crypto';
import { ChangeSignal } from './change-signal.js';
import { MiB, readMultipart } from './http.js';
import { randomDigits } from './ids.js';
import type { Provider } from './types.js';

/** One stored file, tagged with the gateway whose ids it answers to. */
export interface StoredMedia {
  id: string;
  provider: Provider;
  bytes: Uint8Array;
  mimeType: string;
  filename: string;
  sha256: string;
}

/** The largest file the sandbox takes, uploaded or from a link: WhatsApp's limit for documents. */
export const MAX_MEDIA_FILE_BYTES = 100 * MiB;

/**
 * Uploaded files, kept per provider so one dialect's ids do not resolve in the other. Memory is
 * bounded: past `maxBytes` in total or `maxFiles` files, the oldest files are dropped.
 */
export class MediaStore {
  /** In insertion order, so the first entry is the oldest. */
  #media = new Map<string, StoredMedia>();
  #bytes = 0;
  /** Fires after every change. */
  readonly changes = new ChangeSignal();

  constructor(
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {}

  /** The largest single file save() takes. */
  get maxFileBytes(): number {
    return Math.min(MAX_MEDIA_FILE_BYTES, this.maxBytes);
  }

  /** Stores the file, dropping the oldest ones to make room; undefined when it is over maxFileBytes. */
  save(
    provider: Provider,
    file: { bytes: Uint8Array; mimeType: string; filename: string },
  ): StoredMedia | undefined {
    if (file.bytes.length > this.maxFileBytes) return undefined;
    const media: StoredMedia = {
      id: randomDigits(16),
      provider,
      ...file,
      sha256: sha256(file.bytes),
    };
    this.#add(media);
    this.changes.notify();
    return media;
  }

  /** Stores the file as the newest and drops the oldest ones past the limits. */
  #add(media: StoredMedia): void {
    this.#media.set(media.id, media);
    this.#bytes += media.bytes.length;
    // The new file is last and fits on its own, so the loop stops before reaching it.
    for (const [id, oldest] of this.#media) {
      if (this.#bytes <= this.maxBytes && this.#media.size <= this.maxFiles) break;
      this.#media.delete(id);
      this.#bytes -= oldest.bytes.length;
    }
  }

  get(provider: Provider, id: string): StoredMedia | undefined {
    const media = this.#media.get(id);
    return media?.provider === provider ? media : undefined;
  }

  /** Deletes one provider's file; false when it holds no file with that id. */
  remove(provider: Provider, id: string): boolean {
    const media = this.get(provider, id);
    if (!media) return false;
    this.#media.delete(id);
    this.#bytes -= media.bytes.length;
    this.changes.notify();
    return true;
  }

  reset(): void {
    this.#media.clear();
    this.#bytes = 0;
    this.changes.notify();
  }

  /** Every file, oldest first: the store's own objects, for serializing at once. */
  snapshot(): StoredMedia[] {
    return [...this.#media.values()];
  }

  /**
   * Replaces every file with these (oldest first), under the same limits as save(): a file over
   * maxFileBytes is left out, and the oldest go past maxBytes or maxFiles.
   */
  restore(files: readonly StoredMedia[]): void {
    this.#media.clear();
    this.#bytes = 0;
    for (const file of files) {
      if (file.bytes.length <= this.maxFileBytes) this.#add(file);
    }
    this.changes.notify();
  }
}

/** The SHA-256 of the bytes in hex, as Meta reports a media file's `sha256`. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The uploaded file, or which part of the request is wrong and why. */
export type Upload =
  | { ok: true; file: { bytes: Uint8Array; mimeType: string; filename: string } }
  | { ok: false; field: 'body' | 'file'; reason: string };

/** Parses a multipart upload and picks out the `file` part. */
export async function readUpload(body: Buffer, contentType: string | undefined): Promise<Upload> {
  const form = await readMultipart(body, contentType);
  if (!form.ok) return { ok: false, field: 'body', reason: form.reason };
  const fields = form.fields;
  const file = fields.get('file');
  if (file === null || typeof file === 'string') {
    return { ok: false, field: 'file', reason: 'is required' };
  }
  // The part's own Content-Type first; Meta clients also send it as a separate `type` field.
  const typeField = fields.get('type');
  return {
    ok: true,
    file: {
      bytes: new Uint8Array(await file.arrayBuffer()),
      mimeType:
        file.type || (typeof typeField === 'string' && typeField) || 'application/octet-stream',
      filename: file.name,
    },
  };
}
