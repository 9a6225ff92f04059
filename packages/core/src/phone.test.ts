import { describe, expect, it } from 'vitest';
import { InvalidPhoneError, KabarError } from './errors.js';
import { maskPhone, maskPhonesIn, normalizePhone, tryNormalizePhone } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '6281234567890'],
    ['+6281234567890', '6281234567890'],
    ['6281234567890', '6281234567890'],
    ['81234567890', '6281234567890'],
    ['0812-3456-7890', '6281234567890'],
    ['+62 812 3456 7890', '6281234567890'],
    ['(021) 555-0123', '62215550123'],
    ['62215550123', '62215550123'],
    ['+1 650 253 0000', '16502530000'],
  ])('turns %s into %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('checks numbers outside the countries it knows in full by shape: a known calling code, 8 to 15 digits', () => {
    expect(normalizePhone('+49 1512 3456789')).toBe('4915123456789');
    expect(normalizePhone('+1 416 555 0199')).toBe('14165550199');
    for (const input of ['+49 1234', '+4912345678901234', '+999 1234 5678']) {
      expect(() => normalizePhone(input)).toThrow(InvalidPhoneError);
    }
    // Indonesia's own rules still apply in full: a well-shaped number it does not allow fails.
    expect(() => normalizePhone('+62 1234 5678 9012 3')).toThrow(InvalidPhoneError);
  });

  it('refuses national numbers of a region it does not know in full, naming the fix', () => {
    expect(() => normalizePhone('0151 23456789', { defaultRegion: 'DE' })).toThrow(
      /numbers of DE must be written with their country code/,
    );
    expect(normalizePhone('+49 1512 3456789', { defaultRegion: 'DE' })).toBe('4915123456789');
  });

  it('gives the same number when normalizing its own answer again, where no Indonesian number reads alike', () => {
    // `16502530000` (+1 650…) and `60123456789` (+60 12…) are also well-formed Indonesian numbers
    // written without their 0, so such digits stay ambiguous; these are not.
    for (const input of ['0812-3456-7890', '+49 1512 3456789']) {
      const once = normalizePhone(input);
      expect(normalizePhone(once)).toBe(once);
    }
  });

  it('reads national numbers in the region it is given', () => {
    expect(normalizePhone('012 3456 789', { defaultRegion: 'MY' })).toBe('60123456789');
  });

  it.each(['08123', '12345', 'abc', '0812345678901234', '', '0812 3456 789x'])(
    'rejects %j with invalid_phone, echoing the input',
    (input) => {
      let error: unknown;
      try {
        normalizePhone(input);
      } catch (caught) {
        error = caught;
      }
      expect(InvalidPhoneError.isInstance(error)).toBe(true);
      expect(KabarError.isInstance(error) && error.code).toBe('invalid_phone');
      expect((error as InvalidPhoneError).input).toBe(input);
      expect((error as Error).message).toContain(JSON.stringify(input));
    },
  );

  it('tryNormalizePhone answers undefined instead of throwing', () => {
    expect(tryNormalizePhone('0812')).toBeUndefined();
    expect(tryNormalizePhone('0812 3456 7890')).toBe('6281234567890');
  });
});

describe('maskPhone', () => {
  it('keeps the prefix and the last four digits, whatever the spelling', () => {
    expect(maskPhone('6281300000005')).toBe('62813****0005');
    expect(maskPhone('+62 813-0000-0005')).toBe('62813****0005');
  });

  it('hides at least half of a short number, and anything too short to be one whole', () => {
    expect(maskPhone('021555012')).toBe('02****12');
    expect(maskPhone('12345')).toBe('****');
    expect(maskPhone(undefined)).toBe('****');
  });
});

describe('maskPhonesIn', () => {
  it.each([
    ['invalid_phone: "0812-3456-7890" is not valid', 'invalid_phone: "08123****7890" is not valid'],
    [
      'Recipient +62 812 3456 7890 is not on WhatsApp.',
      'Recipient 62812****7890 is not on WhatsApp.',
    ],
    ['to (0812) 3456-7890', 'to (08123****7890'],
    ['woo:727:processing:6281234567890', 'woo:727:processing:62812****7890'],
    ['job otp/6281234567890 lost its lock', 'job otp/62812****7890 lost its lock'],
  ])('masks %s', (text, masked) => {
    expect(maskPhonesIn(text)).toBe(masked);
  });

  it.each([
    'kirem log: wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA= at 2026-11-21T03:15:30.000Z, sent',
    'from 103.10.20.30',
    'order 727, Rp 150.000, retry in 1200 ms',
  ])('leaves %s alone', (text) => {
    expect(maskPhonesIn(text)).toBe(text);
  });
});
