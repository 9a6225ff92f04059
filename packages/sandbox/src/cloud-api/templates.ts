import { ChangeSignal } from '../change-signal.js';
import type { KeptTemplates } from '../dialect.js';
import { isRecord } from '../http.js';
import { randomDigits } from '../ids.js';
import type {
  SentTemplate,
  Template,
  TemplateCategory,
  TemplateComponent,
  TemplateStatus,
} from '../types.js';
import { isHttpUrl } from '../webhook-config.js';
import { charLength, componentType, type FieldErrors } from './message-validation.js';

/** Every review status a template can be set to. */
export const TEMPLATE_STATUSES: readonly TemplateStatus[] = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
];
const CATEGORIES: readonly TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];
const COMPONENT_TYPES = new Set([
  'HEADER',
  'BODY',
  'FOOTER',
  'BUTTONS',
  'LIMITED_TIME_OFFER',
  'CAROUSEL',
]);
/** The longest offer headline of a limited-time offer template. */
const MAX_OFFER_TEXT = 16;
const BUTTON_TYPES = new Set([
  'QUICK_REPLY',
  'URL',
  'PHONE_NUMBER',
  'COPY_CODE',
  'FLOW',
  'CATALOG',
  'MPM',
]);
/** Meta allows at most ten buttons on a template. */
const MAX_TEMPLATE_BUTTONS = 10;
/** A coupon code's longest sample. */
const MAX_COUPON_LENGTH = 15;

/** The seed's list-templates response, verbatim. */
const SEED_TEMPLATES: readonly Template[] = [
  {
    name: 'otp_verification',
    status: 'APPROVED',
    category: 'AUTHENTICATION',
    language: 'id',
    components: [{ type: 'BODY', text: 'Kode keamanan OTP Kirem Anda adalah: {{1}}.' }],
    id: '18491849184919',
  },
  {
    name: 'promo_diskon_baru',
    status: 'PENDING',
    category: 'MARKETING',
    language: 'id',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Promo Spesial!' },
      { type: 'BODY', text: 'Halo {{1}}, nikmati diskon {{2}}% untuk semua produk.' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Ya, saya tertarik' }] },
    ],
    id: '194819481948194',
  },
];

/**
 * The templates Kabar's READMEs and examples send, approved, so they work against a fresh sandbox
 * without creating them by hand. Their bodies take the parameters those examples pass.
 */
const EXAMPLE_TEMPLATES: readonly Template[] = [
  {
    name: 'broadcast_promo',
    status: 'APPROVED',
    category: 'MARKETING',
    language: 'id',
    components: [
      { type: 'BODY', text: 'Halo {{1}}! Pakai kode {{2}} untuk diskon spesial hari ini.' },
    ],
    id: '310000000000001',
  },
  {
    name: 'notif_pesanan_baru',
    status: 'APPROVED',
    category: 'UTILITY',
    language: 'id',
    components: [
      {
        type: 'BODY',
        text: 'Halo {{1}}, terima kasih telah berbelanja di {{2}}!\n\nPesanan #{{3}} telah kami terima.\nTotal: Rp {{4}}\n\nKami akan segera memproses pesanan Anda.',
      },
    ],
    id: '310000000000002',
  },
  {
    name: 'order_shipped',
    status: 'APPROVED',
    category: 'UTILITY',
    language: 'id',
    components: [{ type: 'BODY', text: 'Halo {{1}}, pesanan {{2}} sudah dikirim.' }],
    id: '310000000000003',
  },
  {
    name: 'pesan_baru',
    status: 'APPROVED',
    category: 'UTILITY',
    language: 'id',
    components: [
      { type: 'BODY', text: 'Ada pesan baru untuk Anda. Balas untuk melanjutkan percakapan.' },
    ],
    id: '310000000000004',
  },
  {
    name: 'kode_masuk',
    status: 'APPROVED',
    category: 'AUTHENTICATION',
    language: 'id',
    components: [
      {
        type: 'BODY',
        text: '{{1}} is your verification code. For your security, do not share this code.',
      },
      { type: 'FOOTER', text: 'This code expires in 5 minutes.' },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
    ],
    id: '310000000000005',
  },
];

/**
 * The templates a store starts with (and returns to on reset): `seed`, the gateway documentation's
 * own list; `examples`, that plus what Kabar's READMEs and examples send; `none`, nothing.
 */
export type TemplateSeed = 'seed' | 'examples' | 'none';

const SEEDS: Record<TemplateSeed, readonly Template[]> = {
  seed: SEED_TEMPLATES,
  examples: [...SEED_TEMPLATES, ...EXAMPLE_TEMPLATES],
  none: [],
};

/** A template as a create request gives it, checked. */
export interface TemplateInput {
  name: string;
  category: TemplateCategory;
  language: string;
  components: TemplateComponent[];
}

/** One provider's templates. */
export class TemplateStore implements KeptTemplates<Template> {
  #templates: Template[] = [];
  /** Fires after every change: a template created, edited, removed or reviewed. */
  readonly changes = new ChangeSignal();

  constructor(private readonly seed: TemplateSeed = 'seed') {
    this.reset();
  }

  reset(): void {
    this.#templates = structuredClone([...SEEDS[this.seed]]);
    this.changes.notify();
  }

  /** Every template, in the store's order: its own objects, for serializing at once. */
  snapshot(): Template[] {
    return [...this.#templates];
  }

  check(value: unknown, at: string): string | undefined {
    return templateProblem(value, at);
  }

  /** Replaces every template with these, seeds included. */
  restore(templates: readonly Template[]): void {
    this.#templates = [...templates];
    this.changes.notify();
  }

  list(status?: string): Template[] {
    const wanted = status?.toUpperCase();
    return this.#templates.filter((template) => !wanted || template.status === wanted);
  }

  find(name: string, language: string): Template | undefined {
    return this.#templates.find((t) => t.name === name && t.language === language);
  }

  /** New templates start PENDING, as they do while Meta reviews them. */
  create(input: TemplateInput): Template {
    const components =
      input.category === 'AUTHENTICATION'
        ? withAuthenticationText(input.components)
        : input.components;
    const template: Template = { ...input, components, status: 'PENDING', id: randomDigits(15) };
    this.#templates.push(template);
    this.changes.notify();
    return template;
  }

  /** Removes every language of the template; returns how many were removed. */
  remove(name: string): number {
    const before = this.#templates.length;
    this.#templates = this.#templates.filter((template) => template.name !== name);
    this.changes.notify();
    return before - this.#templates.length;
  }

  /** The template (one language of it) with this id. */
  byId(id: string): Template | undefined {
    return this.#templates.find((template) => template.id === id);
  }

  /**
   * Replaces a template's components and/or category, as Meta's edit does (the caller has checked
   * the edit is allowed). An edited APPROVED or PAUSED template is approved again at once, as Meta
   * does when the edit passes review; an edited REJECTED one goes back to PENDING.
   */
  edit(
    id: string,
    edit: { components?: TemplateComponent[]; category?: TemplateCategory },
  ): Template | undefined {
    const template = this.byId(id);
    if (!template) return undefined;
    if (edit.category !== undefined) template.category = edit.category;
    if (edit.components !== undefined) {
      template.components =
        template.category === 'AUTHENTICATION'
          ? withAuthenticationText(edit.components)
          : edit.components;
    }
    template.status = template.status === 'REJECTED' ? 'PENDING' : 'APPROVED';
    this.changes.notify();
    return template;
  }

  setStatus(name: string, status: TemplateStatus): Template[] {
    const matching = this.#templates.filter((template) => template.name === name);
    for (const template of matching) template.status = status;
    this.changes.notify();
    return matching;
  }
}

/**
 * Why `value` cannot be a stored template (from a data file or an imported session), naming it by
 * `at`, or undefined when it can. Only what the store and sends rely on is checked: the components
 * themselves were checked when the template was created.
 */
export function templateProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  for (const field of ['name', 'language', 'id'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      return `${at}.${field} must be a non-empty string`;
    }
  }
  if (!TEMPLATE_STATUSES.includes(value.status as TemplateStatus)) {
    return `${at}.status must be one of ${TEMPLATE_STATUSES.join(', ')}`;
  }
  if (!CATEGORIES.includes(value.category as TemplateCategory)) {
    return `${at}.category must be one of ${CATEGORIES.join(', ')}`;
  }
  if (!Array.isArray(value.components) || !value.components.every(isComponent)) {
    return `${at}.components must be an array of objects with a string type`;
  }
  return undefined;
}

function isComponent(value: unknown): boolean {
  return isRecord(value) && typeof value.type === 'string';
}

/** A checked create request, or what is wrong with each field. */
export type ValidatedTemplate =
  | { ok: true; input: TemplateInput }
  | { ok: false; errors: FieldErrors };

/** Checks a template create (or edit) body the way Meta's review does on submission. */
export function validateTemplateInput(body: unknown): ValidatedTemplate {
  if (!isRecord(body)) return { ok: false, errors: { body: 'must be a JSON object' } };
  const errors: FieldErrors = {};
  const { name, category, language, components } = body;
  if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
    errors.name = 'must be 1 to 512 lowercase letters, digits or underscores';
  }
  // Meta takes the category in any case ('authentication' in its own examples).
  const categoryName = (
    typeof category === 'string' ? category.toUpperCase() : ''
  ) as TemplateCategory;
  if (!CATEGORIES.includes(categoryName)) {
    errors.category = `must be one of ${CATEGORIES.join(', ')}`;
  }
  if (typeof language !== 'string' || language === '') errors.language = 'is required';
  if (!Array.isArray(components)) errors.components = 'must be an array';
  else if (categoryName === 'AUTHENTICATION') checkAuthenticationComponents(components, errors);
  else checkComponents(components, errors);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: name as string,
      category: categoryName,
      language: language as string,
      components: components as TemplateComponent[],
    },
  };
}

const OTP_TYPES = ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'];

/**
 * An AUTHENTICATION template as Meta's create API takes it: a BODY whose text Meta supplies
 * (optionally with `add_security_recommendation`), an optional FOOTER with
 * `code_expiration_minutes` (1..90), and BUTTONS holding one OTP button (COPY_CODE, ONE_TAP or
 * ZERO_TAP; the one-tap kinds name the Android app). No header.
 */
function checkAuthenticationComponents(components: unknown[], errors: FieldErrors): void {
  const counts = { BODY: 0, BUTTONS: 0 };
  components.forEach((component, index) => {
    const at = `components[${index}]`;
    const type = isRecord(component) && typeof component.type === 'string' ? component.type : '';
    if (!isRecord(component) || !['BODY', 'FOOTER', 'BUTTONS'].includes(type.toUpperCase())) {
      errors[`${at}.type`] = 'must be BODY, FOOTER or BUTTONS in an AUTHENTICATION template';
      return;
    }
    const optionalText = (max: number) => {
      const text = component.text;
      if (text === undefined) return;
      if (typeof text !== 'string' || text === '')
        errors[`${at}.text`] = 'must be a non-empty string';
      else if (charLength(text) > max) errors[`${at}.text`] = `must be at most ${max} characters`;
    };
    switch (type.toUpperCase()) {
      case 'BODY':
        counts.BODY += 1;
        optionalText(1024);
        if (
          component.add_security_recommendation !== undefined &&
          typeof component.add_security_recommendation !== 'boolean'
        ) {
          errors[`${at}.add_security_recommendation`] = 'must be a boolean';
        }
        break;
      case 'FOOTER': {
        optionalText(60);
        const minutes = component.code_expiration_minutes;
        if (
          minutes !== undefined &&
          (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 90)
        ) {
          errors[`${at}.code_expiration_minutes`] = 'must be an integer from 1 to 90';
        }
        break;
      }
      default:
        counts.BUTTONS += 1;
        checkOtpButtons(component.buttons, `${at}.buttons`, errors);
    }
  });
  if (counts.BODY !== 1 || counts.BUTTONS !== 1) {
    errors.components =
      'must contain exactly one BODY and one BUTTONS component with an OTP button';
  }
}

function checkOtpButtons(buttons: unknown, field: string, errors: FieldErrors): void {
  if (!Array.isArray(buttons) || buttons.length !== 1) {
    errors[field] = 'must have exactly one OTP button';
    return;
  }
  const button: unknown = buttons[0];
  const at = `${field}[0]`;
  if (!isRecord(button)) {
    errors[at] = 'must be an object';
    return;
  }
  if (typeof button.type !== 'string' || button.type.toUpperCase() !== 'OTP') {
    errors[`${at}.type`] = 'must be OTP';
  }
  const otpType = typeof button.otp_type === 'string' ? button.otp_type.toUpperCase() : '';
  if (!OTP_TYPES.includes(otpType))
    errors[`${at}.otp_type`] = `must be one of ${OTP_TYPES.join(', ')}`;
  for (const key of ['text', 'autofill_text'] as const) {
    const value = button[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '' || charLength(value) > 25) {
      errors[`${at}.${key}`] = 'must be 1 to 25 characters';
    }
  }
  if (otpType === 'ONE_TAP' || otpType === 'ZERO_TAP') {
    // Meta takes the app as package_name + signature_hash, or as a supported_apps list.
    if (!Array.isArray(button.supported_apps)) {
      for (const key of ['package_name', 'signature_hash'] as const) {
        if (typeof button[key] !== 'string' || button[key] === '') {
          errors[`${at}.${key}`] = `is required for ${otpType} buttons`;
        }
      }
    }
  }
}

/**
 * Meta writes an authentication template's text itself; the sandbox fills in the English preset
 * so the template renders like the delivered message.
 */
function withAuthenticationText(components: TemplateComponent[]): TemplateComponent[] {
  return components.map((component) => {
    const type = component.type.toUpperCase();
    if (type === 'BODY' && component.text === undefined) {
      const warning =
        component.add_security_recommendation === true
          ? ' For your security, do not share this code.'
          : '';
      return { ...component, text: `{{1}} is your verification code.${warning}` };
    }
    if (
      type === 'FOOTER' &&
      component.text === undefined &&
      typeof component.code_expiration_minutes === 'number'
    ) {
      return {
        ...component,
        text: `This code expires in ${component.code_expiration_minutes} minutes.`,
      };
    }
    return component;
  });
}

function checkComponents(components: unknown[], errors: FieldErrors): void {
  let bodies = 0;
  components.forEach((component, index) => {
    const at = `components[${index}]`;
    const type = isRecord(component) && typeof component.type === 'string' ? component.type : '';
    if (!isRecord(component) || !COMPONENT_TYPES.has(type.toUpperCase())) {
      errors[`${at}.type`] = `must be one of ${[...COMPONENT_TYPES].join(', ')}`;
      return;
    }
    const text = component.text;
    const textLimit = (max: number) => {
      if (typeof text !== 'string' || text === '') errors[`${at}.text`] = 'is required';
      else if (charLength(text) > max) errors[`${at}.text`] = `must be at most ${max} characters`;
    };
    switch (type.toUpperCase()) {
      case 'BODY':
        bodies += 1;
        textLimit(1024);
        break;
      case 'FOOTER':
        textLimit(60);
        break;
      case 'HEADER':
        if (component.format === undefined || component.format === 'TEXT') textLimit(60);
        break;
      case 'BUTTONS':
        checkTemplateButtons(component.buttons, `${at}.buttons`, errors);
        break;
      case 'LIMITED_TIME_OFFER': {
        const offer = isRecord(component.limited_time_offer) ? component.limited_time_offer : {};
        if (
          typeof offer.text !== 'string' ||
          offer.text === '' ||
          charLength(offer.text) > MAX_OFFER_TEXT
        ) {
          errors[`${at}.limited_time_offer.text`] = `must be 1 to ${MAX_OFFER_TEXT} characters`;
        }
        break;
      }
      case 'CAROUSEL':
        if (
          !Array.isArray(component.cards) ||
          component.cards.length < 1 ||
          component.cards.length > 10
        ) {
          errors[`${at}.cards`] = 'must have 1 to 10 cards';
        }
        break;
    }
  });
  if (bodies !== 1) errors.components = 'must contain exactly one BODY component';
}

function checkTemplateButtons(buttons: unknown, field: string, errors: FieldErrors): void {
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > MAX_TEMPLATE_BUTTONS) {
    errors[field] = `must have 1 to ${MAX_TEMPLATE_BUTTONS} buttons`;
    return;
  }
  buttons.forEach((button: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(button)) {
      errors[at] = 'must be an object';
      return;
    }
    if (typeof button.type !== 'string' || !BUTTON_TYPES.has(button.type)) {
      errors[`${at}.type`] = `must be one of ${[...BUTTON_TYPES].join(', ')}`;
    }
    if (button.type === 'COPY_CODE') {
      // A coupon button has WhatsApp's own label; its example is the code to copy.
      if (typeof button.example !== 'string' || charLength(button.example) > MAX_COUPON_LENGTH) {
        errors[`${at}.example`] = `must be a code of at most ${MAX_COUPON_LENGTH} characters`;
      }
    } else if (typeof button.text !== 'string' || button.text === '') {
      errors[`${at}.text`] = 'is required';
    }
    if (button.type === 'FLOW' && button.flow_id === undefined && button.flow_name === undefined) {
      errors[`${at}.flow_id`] = 'a FLOW button needs flow_id or flow_name';
    }
    if (button.type === 'URL' && !isHttpUrl(button.url))
      errors[`${at}.url`] = 'must be an http(s) URL';
    if (button.type === 'PHONE_NUMBER' && typeof button.phone_number !== 'string') {
      errors[`${at}.phone_number`] = 'is required';
    }
  });
}

/** A Meta template error; each dialect wraps it in its own error shape. */
export interface TemplateSendError {
  message: string;
  code: number;
  subcode?: number;
  /** What exactly is wrong (Graph's error_data.details). */
  details?: string;
}

/** A template send resolved against the store, or Meta's error for it. */
export type PreparedTemplate =
  | { ok: true; template: Template; text: string; sent: SentTemplate }
  | { ok: false; error: TemplateSendError };

/** Meta's error for a send addressed only by BSUID where a phone number is needed. */
export const BSUID_NOT_SUPPORTED: TemplateSendError = {
  message: '(#131062) Business-scoped User ID recipients are not supported for this message',
  code: 131062,
};

/** The longest one-time password an authentication template delivers. */
const MAX_OTP_LENGTH = 15;

const parameterCountError = (details?: string): PreparedTemplate => ({
  ok: false,
  error: {
    message: '(#132000) Number of parameters does not match the expected number of params',
    code: 132000,
    ...(details === undefined ? {} : { details }),
  },
});

/**
 * Checks a template message against the store the way Meta does (exists, APPROVED, body
 * parameters, and for AUTHENTICATION templates the code and its button) and renders what the
 * customer sees. `template` has already passed message validation; `toUserId` says the send is
 * addressed by business-scoped user id only.
 */
export function prepareTemplateSend(
  store: TemplateStore,
  template: Record<string, unknown>,
  options: { toUserId?: boolean } = {},
): PreparedTemplate {
  const name = String(template.name);
  const language = isRecord(template.language) ? String(template.language.code) : '';
  const found = store.find(name, language);
  if (!found) {
    return {
      ok: false,
      error: {
        message: '(#132001) Template name does not exist in the translation',
        code: 132001,
      },
    };
  }
  if (found.status !== 'APPROVED') {
    // Verbatim from the seed's error example, including the odd space.
    return {
      ok: false,
      error: {
        message: '( #132000) Template status is not APPROVED.',
        code: 132000,
        subcode: 2490001,
      },
    };
  }
  // One-tap, zero-tap and copy-code codes need the customer's phone number.
  if (found.category === 'AUTHENTICATION' && options.toUserId) {
    return { ok: false, error: BSUID_NOT_SUPPORTED };
  }
  const part = (type: string) => found.components.find((c) => c.type.toUpperCase() === type);
  const bodyParameters = sentParameters(template.components, 'body');
  const body = fill(part('BODY')?.text ?? '', bodyParameters);
  if (!body.ok) return parameterCountError(`body: ${body.details}`);

  const sent: SentTemplate = {
    name: found.name,
    language: found.language,
    status: found.status,
    category: found.category,
  };
  const headerText = part('HEADER')?.text;
  if (headerText !== undefined) {
    const header = fill(headerText, sentParameters(template.components, 'header'));
    sent.header = header.ok ? header.text : headerText;
  }
  const footerText = part('FOOTER')?.text;
  if (footerText !== undefined) sent.footer = footerText;
  const buttons = templateButtons(found);
  if (buttons.length > 0) sent.buttons = buttons.map(buttonLabel);
  const strayButton = buttonMismatch(buttons, template.components);
  if (strayButton) return parameterCountError(strayButton);
  for (const kind of ['limited_time_offer', 'carousel']) {
    // Parameters for a part the template lacks are refused like a wrong count.
    if (sentComponent(template.components, kind) && !part(kind.toUpperCase())) {
      return parameterCountError(`${kind}: the template has no ${kind.replaceAll('_', ' ')}`);
    }
  }

  if (found.category === 'AUTHENTICATION') {
    const code = bodyParameters[0]?.value ?? '';
    const problem = otpProblem(found, code, template.components);
    if (problem) return { ok: false, error: problem };
    sent.code = code;
  }
  return { ok: true, template: found, text: body.text, sent };
}

interface SentParameter {
  name?: string;
  value: string;
}

/** The header or body parameters of a send, as the text they stand for. */
function sentParameters(components: unknown, type: 'header' | 'body'): SentParameter[] {
  if (!Array.isArray(components)) return [];
  const component = components.find((c) => componentType(c) === type);
  if (!isRecord(component) || !Array.isArray(component.parameters)) return [];
  return component.parameters.map((parameter: unknown) => {
    if (!isRecord(parameter)) return { value: '' };
    const name =
      typeof parameter.parameter_name === 'string' ? parameter.parameter_name : undefined;
    const value = (() => {
      if (parameter.type === 'text') return String(parameter.text ?? '');
      const typed = parameter[String(parameter.type)];
      if (isRecord(typed) && typed.fallback_value !== undefined)
        return String(typed.fallback_value);
      return `[${String(parameter.type)}]`;
    })();
    return name === undefined ? { value } : { name, value };
  });
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Fills `{{1}}`-style placeholders by position or `{{first_name}}`-style ones by parameter_name;
 * the parameters must match the placeholders one to one, as Meta requires.
 */
function fill(
  text: string,
  parameters: SentParameter[],
): { ok: true; text: string } | { ok: false; details: string } {
  const names = [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1] as string))];
  const positional = names.every((name) => /^\d+$/.test(name));
  if (positional) {
    if (parameters.length !== names.length) {
      return {
        ok: false,
        details: `expected ${names.length} parameters, got ${parameters.length}`,
      };
    }
    const filled = text.replace(PLACEHOLDER, (placeholder, n: string) => {
      return parameters[Number(n) - 1]?.value ?? placeholder;
    });
    return { ok: true, text: filled };
  }
  const byName = new Map(parameters.map((p) => [p.name, p.value]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0 || parameters.length !== names.length) {
    return {
      ok: false,
      details: `expected the named parameters ${names.join(', ')}${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}`,
    };
  }
  return {
    ok: true,
    text: text.replace(PLACEHOLDER, (placeholder, name: string) => byName.get(name) ?? placeholder),
  };
}

function templateButtons(template: Template): Record<string, unknown>[] {
  const component = template.components.find((c) => c.type.toUpperCase() === 'BUTTONS');
  return Array.isArray(component?.buttons) ? component.buttons.filter(isRecord) : [];
}

function sentComponent(components: unknown, type: string): boolean {
  return Array.isArray(components) && components.some((c) => componentType(c) === type);
}

/** The stored button types a send-time `sub_type` can fill. */
const SUB_TYPE_FILLS: Record<string, readonly string[]> = {
  quick_reply: ['QUICK_REPLY'],
  url: ['URL', 'OTP'],
  copy_code: ['COPY_CODE'],
  flow: ['FLOW'],
  catalog: ['CATALOG'],
  mpm: ['MPM'],
};

/**
 * Meta matches each button component of a send to the template's button at its index: parameters
 * for a button the template lacks, or of another kind, are refused like a wrong parameter count.
 */
function buttonMismatch(
  buttons: Record<string, unknown>[],
  components: unknown,
): string | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const component of components) {
    if (componentType(component) !== 'button' || !isRecord(component)) continue;
    const index = Number(component.index);
    const stored = buttons[index];
    const subType = String(component.sub_type).toLowerCase();
    if (!stored) return `button ${index}: the template has no button at index ${index}`;
    const fills = SUB_TYPE_FILLS[subType] ?? [];
    if (!fills.includes(String(stored.type).toUpperCase())) {
      return `button ${index}: a ${subType} parameter cannot fill the template's ${String(stored.type)} button`;
    }
  }
  return undefined;
}

const isOtpButton = (button: Record<string, unknown>) =>
  typeof button.type === 'string' && button.type.toUpperCase() === 'OTP';

function buttonLabel(button: Record<string, unknown>): string {
  if (typeof button.text === 'string' && button.text !== '') return button.text;
  if (isOtpButton(button)) {
    const oneTap = String(button.otp_type).toUpperCase() !== 'COPY_CODE';
    if (oneTap && typeof button.autofill_text === 'string') return button.autofill_text;
    return oneTap ? 'Autofill' : 'Copy code';
  }
  // WhatsApp labels coupon buttons itself.
  if (String(button.type).toUpperCase() === 'COPY_CODE') return 'Copy offer code';
  return String(button.type ?? '');
}

/**
 * An authentication send: the code (body parameter 1) is at most 15 characters, and a template
 * with a one-time password button needs the code again as that button's url parameter. A stored
 * template without an OTP button (Kirem's seeded otp_verification) needs no button parameter.
 */
function otpProblem(
  template: Template,
  code: string,
  components: unknown,
): TemplateSendError | undefined {
  const invalid = (details: string): TemplateSendError => ({
    message: '(#131009) Parameter value is not valid',
    code: 131009,
    details,
  });
  if (charLength(code) > MAX_OTP_LENGTH) {
    return invalid(`the one-time password is at most ${MAX_OTP_LENGTH} characters`);
  }
  const otpIndex = templateButtons(template).findIndex(isOtpButton);
  if (otpIndex < 0) return undefined;
  const button = Array.isArray(components)
    ? components.find(
        (c) =>
          componentType(c) === 'button' &&
          isRecord(c) &&
          String(c.sub_type).toLowerCase() === 'url' &&
          String(c.index) === String(otpIndex),
      )
    : undefined;
  const parameter =
    isRecord(button) && Array.isArray(button.parameters) ? button.parameters[0] : undefined;
  if (!isRecord(parameter) || parameter.type !== 'text') {
    return {
      message: '(#131008) Required parameter is missing',
      code: 131008,
      details: `an authentication template with a one-time password button needs the code as the parameter of { type: 'button', sub_type: 'url', index: '${otpIndex}' }`,
    };
  }
  if (parameter.text !== code) {
    return invalid("the button's url parameter must repeat the one-time password of the body");
  }
  return undefined;
}
