import { isRecord } from '../http.js';
import { charLength, type FieldErrors } from './message-validation.js';

/** A business profile as Meta's whatsapp_business_profile (and Kirem's /v1/profile) shows it. */
export interface BusinessProfile {
  about: string;
  address: string;
  description: string;
  email: string;
  vertical: string;
  websites: string[];
  profile_picture_url: string;
}

/** The seed's GET /v1/profile example. */
const SEED_PROFILE: BusinessProfile = {
  about: 'Solusi Komunikasi Bisnis Terbaik',
  address: 'Gedung Cyber 2, Lt. 15, Jakarta Selatan',
  description: 'Kirem adalah platform WhatsApp Business API Developer Terpercaya.',
  email: 'support@kirem.co.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.co.id', 'https://docs.kirem.co.id'],
  profile_picture_url: 'https://pps.whatsapp.net/v/t61.24694-24/...',
};

const VERTICALS = [
  'AUTO',
  'BEAUTY',
  'APPAREL',
  'EDU',
  'ENTERTAIN',
  'FINANCE',
  'GROCERY',
  'GOVT',
  'HOTEL',
  'HEALTH',
  'NONPROFIT',
  'PROF_SERVICES',
  'RETAIL',
  'TRAVEL',
  'RESTAURANT',
  'OTHER',
];

/** Business profiles keyed by their owner (a Kirem channel or a Meta phone number), seeded on first read. */
export class ProfileStore {
  #profiles = new Map<string, BusinessProfile>();

  get(owner: string): BusinessProfile {
    let profile = this.#profiles.get(owner);
    if (!profile) {
      profile = structuredClone(SEED_PROFILE);
      this.#profiles.set(owner, profile);
    }
    return profile;
  }

  update(owner: string, patch: Partial<BusinessProfile>): void {
    Object.assign(this.get(owner), patch);
  }

  reset(): void {
    this.#profiles.clear();
  }
}

/** The fields to change, or what is wrong with each. */
export type ValidatedProfile =
  | { ok: true; patch: Partial<BusinessProfile> }
  | { ok: false; errors: FieldErrors };

/** Every field is optional; only the ones given change. Unknown fields are ignored, as Meta does. */
export function validateProfileUpdate(body: unknown): ValidatedProfile {
  if (!isRecord(body)) return { ok: false, errors: { body: 'must be a JSON object' } };
  const errors: FieldErrors = {};
  const patch: Partial<BusinessProfile> = {};
  const limits = { about: 139, address: 256, description: 256, email: 128 } as const;
  for (const [field, max] of Object.entries(limits) as [keyof typeof limits, number][]) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') errors[field] = 'must be a string';
    else if (charLength(value) > max) errors[field] = `must be at most ${max} characters`;
    else patch[field] = value;
  }
  if (patch.email !== undefined && !patch.email.includes('@')) {
    errors.email = 'must be an email address';
    delete patch.email;
  }
  if (body.vertical !== undefined) {
    if (typeof body.vertical === 'string' && VERTICALS.includes(body.vertical)) {
      patch.vertical = body.vertical;
    } else {
      errors.vertical = `must be one of ${VERTICALS.join(', ')}`;
    }
  }
  if (body.websites !== undefined) {
    const websites = body.websites;
    if (
      !Array.isArray(websites) ||
      websites.length > 2 ||
      !websites.every((site) => typeof site === 'string')
    ) {
      errors.websites = 'must be an array of at most 2 URLs';
    } else {
      patch.websites = websites;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}
