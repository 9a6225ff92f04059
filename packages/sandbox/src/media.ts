import { createHash } from 'node:crypto';
import { readMultipart } from './http';
import { randomDigits } from './ids';
import type { Provider } from './types';

export interface StoredMedia {
  id: string;
  provider: Provider;
  bytes: Uint8Array;
  mimeType: string;
  filename: string;
  sha256: string;
}

/** Uploaded files, kept per provider so one dialect's ids do not resolve in the other. */
export class MediaStore {
  #media = new Map<string, StoredMedia>();

  save(provider: Provider, file: { bytes: Uint8Array; mimeType: string; filename: string }) {
    const media: StoredMedia = {
      id: randomDigits(16),
      provider,
      ...file,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
    };
    this.#media.set(media.id, media);
    return media;
  }

  get(provider: Provider, id: string): StoredMedia | undefined {
    const media = this.#media.get(id);
    return media?.provider === provider ? media : undefined;
  }

  reset(): void {
    this.#media.clear();
  }
}

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
