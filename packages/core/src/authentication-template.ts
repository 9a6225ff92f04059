import { ValidationError } from './errors.js';
import type { TemplateDefinition, TemplateDefinitionComponent } from './resources.js';
import { requireString } from './validate-fields.js';

/** What `authenticationTemplate` builds a definition from. */
export interface AuthenticationTemplateOptions {
  /** Lowercase letters, digits and underscores, at most 512 characters. */
  name: string;
  /** Language code, e.g. `id` or `en_US`; WhatsApp writes the text in it. */
  language: string;
  /** Add "For your security, do not share this code." to the body. Default true. */
  securityRecommendation?: boolean;
  /** Add "This code expires in N minutes." as the footer: 1 to 90. */
  codeExpirationMinutes?: number;
  /**
   * How the customer takes the code: `copy_code` (the default) copies it; `one_tap` and
   * `zero_tap` fill it into your Android app (`apps` required), falling back to copying.
   */
  button?: 'copy_code' | 'one_tap' | 'zero_tap';
  /** Label of the copy-code button, at most 25 characters. */
  buttonText?: string;
  /** Label of the one-tap autofill button, at most 25 characters. */
  autofillText?: string;
  /** Android apps allowed to receive the code (one-tap and zero-tap). */
  apps?: { packageName: string; signatureHash: string }[];
  /**
   * Zero-tap only: you accept that zero-tap use is subject to the WhatsApp Business Terms of
   * Service. Required for `zero_tap`, so nobody accepts them by accident.
   */
  zeroTapTermsAccepted?: boolean;
}

const NAME = /^[a-z0-9_]{1,512}$/;
const BUTTON_LABEL = 25;

/**
 * The definition of an AUTHENTICATION template for `templates.create`: WhatsApp supplies the text
 * ("*{{1}}* is your verification code.") and its translations; you choose the security line, the
 * expiry footer and the OTP button. Send codes through it with `createOtpEngine`'s
 * `delivery.template`. Bad options throw `validation` naming the option.
 *
 * @example
 * ```ts
 * await wa.templates.create(
 *   authenticationTemplate({ name: 'kode_masuk', language: 'id', codeExpirationMinutes: 5 }),
 * );
 * ```
 */
export function authenticationTemplate(options: AuthenticationTemplateOptions): TemplateDefinition {
  if (!NAME.test(String(options?.name))) {
    throw new ValidationError('name', 'must be lowercase letters, digits and underscores');
  }
  requireString(options.language, 'language');
  const { codeExpirationMinutes, button = 'copy_code', apps } = options;
  if (
    codeExpirationMinutes !== undefined &&
    !(
      Number.isInteger(codeExpirationMinutes) &&
      codeExpirationMinutes >= 1 &&
      codeExpirationMinutes <= 90
    )
  ) {
    throw new ValidationError('codeExpirationMinutes', 'must be a whole number from 1 to 90');
  }
  if (!['copy_code', 'one_tap', 'zero_tap'].includes(button)) {
    throw new ValidationError('button', 'must be copy_code, one_tap or zero_tap');
  }
  if (options.buttonText !== undefined)
    requireString(options.buttonText, 'buttonText', BUTTON_LABEL);
  if (options.autofillText !== undefined) {
    requireString(options.autofillText, 'autofillText', BUTTON_LABEL);
  }
  if (button !== 'copy_code' && (!Array.isArray(apps) || apps.length === 0)) {
    throw new ValidationError('apps', `a ${button} button needs at least one Android app`);
  }
  if (button === 'zero_tap' && options.zeroTapTermsAccepted !== true) {
    throw new ValidationError('zeroTapTermsAccepted', 'must be true to create a zero-tap template');
  }
  apps?.forEach((app, i) => {
    requireString(app?.packageName, `apps[${i}].packageName`, 224);
    // Meta's app signing hash is exactly 11 characters.
    if (typeof app.signatureHash !== 'string' || !/^[A-Za-z0-9+/]{11}$/.test(app.signatureHash)) {
      throw new ValidationError(`apps[${i}].signatureHash`, 'must be the 11-character app hash');
    }
  });

  const components: TemplateDefinitionComponent[] = [
    { type: 'BODY', add_security_recommendation: options.securityRecommendation ?? true },
  ];
  if (codeExpirationMinutes !== undefined) {
    components.push({ type: 'FOOTER', code_expiration_minutes: codeExpirationMinutes });
  }
  components.push({
    type: 'BUTTONS',
    buttons: [
      {
        type: 'OTP',
        otp_type:
          button === 'copy_code' ? 'COPY_CODE' : button === 'one_tap' ? 'ONE_TAP' : 'ZERO_TAP',
        text: options.buttonText,
        autofill_text: options.autofillText,
        supported_apps: apps?.map((app) => ({
          package_name: app.packageName,
          signature_hash: app.signatureHash,
        })),
        zero_tap_terms_accepted: button === 'zero_tap' ? true : undefined,
      },
    ],
  });
  return { name: options.name, language: options.language, category: 'AUTHENTICATION', components };
}
