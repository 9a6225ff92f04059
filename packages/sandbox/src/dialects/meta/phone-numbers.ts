import { BUSINESS_PHONE_NUMBER } from '../../cloud-api/channel.js';

/** A business phone number as Meta's `GET /{waba-id}/phone_numbers` lists it (default fields). */
export interface MetaPhoneNumber {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  code_verification_status: string;
}

/** The name WhatsApp shows for every sandbox number. */
const VERIFIED_NAME = 'Kabar Sandbox';

/** `6281100001234` as WhatsApp Manager writes an Indonesian number: `+62 811-0000-1234`. */
function displayed(digits: string): string {
  return `+${digits.slice(0, 2)} ${digits.slice(2, 5)}-${digits.slice(5, 9)}-${digits.slice(9)}`;
}

/**
 * The numbers of the sandbox's business account, one per configured phone number id, in that
 * order. The first is the business number inbound messages go to; the others follow it
 * (`6281100001235`, ...). Every configured WABA id has all of them.
 */
export function businessPhoneNumbers(phoneNumberIds: readonly string[]): MetaPhoneNumber[] {
  return phoneNumberIds.map((id, index) => ({
    id,
    display_phone_number: displayed(String(Number(BUSINESS_PHONE_NUMBER) + index)),
    verified_name: VERIFIED_NAME,
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
  }));
}
