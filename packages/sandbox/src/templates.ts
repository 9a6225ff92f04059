import { isRecord } from './http';
import { randomDigits } from './ids';
import { charLength, type FieldErrors, isHttpUrl } from './message-validation';
import type { Template, TemplateCategory, TemplateComponent, TemplateStatus } from './types';

export const TEMPLATE_STATUSES: readonly TemplateStatus[] = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
];
const CATEGORIES: readonly TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];
const COMPONENT_TYPES = new Set(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']);
const BUTTON_TYPES = new Set(['QUICK_REPLY', 'URL', 'PHONE_NUMBER']);

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

export interface TemplateInput {
  name: string;
  category: TemplateCategory;
  language: string;
  components: TemplateComponent[];
}

/** One provider's templates. */
export class TemplateStore {
  #templates: Template[] = [];

  constructor() {
    this.reset();
  }

  reset(): void {
    this.#templates = structuredClone([...SEED_TEMPLATES]);
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
    const template: Template = { ...input, status: 'PENDING', id: randomDigits(15) };
    this.#templates.push(template);
    return template;
  }

  /** Removes every language of the template; returns how many were removed. */
  remove(name: string): number {
    const before = this.#templates.length;
    this.#templates = this.#templates.filter((template) => template.name !== name);
    return before - this.#templates.length;
  }

  setStatus(name: string, status: TemplateStatus): Template[] {
    const matching = this.#templates.filter((template) => template.name === name);
    for (const template of matching) template.status = status;
    return matching;
  }
}

export type ValidatedTemplate =
  | { ok: true; input: TemplateInput }
  | { ok: false; errors: FieldErrors };

export function validateTemplateInput(body: unknown): ValidatedTemplate {
  if (!isRecord(body)) return { ok: false, errors: { body: 'must be a JSON object' } };
  const errors: FieldErrors = {};
  const { name, category, language, components } = body;
  if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
    errors.name = 'must be 1 to 512 lowercase letters, digits or underscores';
  }
  if (!CATEGORIES.includes(category as TemplateCategory)) {
    errors.category = `must be one of ${CATEGORIES.join(', ')}`;
  }
  if (typeof language !== 'string' || language === '') errors.language = 'is required';
  if (!Array.isArray(components)) errors.components = 'must be an array';
  else checkComponents(components, errors);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: name as string,
      category: category as TemplateCategory,
      language: language as string,
      components: components as TemplateComponent[],
    },
  };
}

function checkComponents(components: unknown[], errors: FieldErrors): void {
  let bodies = 0;
  components.forEach((component, index) => {
    const at = `components[${index}]`;
    const type = isRecord(component) && typeof component.type === 'string' ? component.type : '';
    if (!isRecord(component) || !COMPONENT_TYPES.has(type.toUpperCase())) {
      errors[`${at}.type`] = 'must be HEADER, BODY, FOOTER or BUTTONS';
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
    }
  });
  if (bodies !== 1) errors.components = 'must contain exactly one BODY component';
}

function checkTemplateButtons(buttons: unknown, field: string, errors: FieldErrors): void {
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 2) {
    errors[field] = 'must have 1 to 2 buttons';
    return;
  }
  buttons.forEach((button: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(button)) {
      errors[at] = 'must be an object';
      return;
    }
    if (typeof button.type !== 'string' || !BUTTON_TYPES.has(button.type)) {
      errors[`${at}.type`] = 'must be QUICK_REPLY, URL or PHONE_NUMBER';
    }
    if (typeof button.text !== 'string' || button.text === '') errors[`${at}.text`] = 'is required';
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
}

export type PreparedTemplate =
  | { ok: true; template: Template; text: string }
  | { ok: false; error: TemplateSendError };

/**
 * Checks a template message against the store the way Meta does (exists, APPROVED, body parameter
 * count) and renders its body. `template` has already passed message validation.
 */
export function prepareTemplateSend(
  store: TemplateStore,
  template: Record<string, unknown>,
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
  const bodyText = found.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  const expected = new Set(Array.from(bodyText.matchAll(/\{\{(\d+)\}\}/g), (m) => m[1])).size;
  const values = bodyParameterValues(template.components);
  if (values.length !== expected) {
    return {
      ok: false,
      error: {
        message: '(#132000) Number of parameters does not match the expected number of params',
        code: 132000,
      },
    };
  }
  const text = bodyText.replace(/\{\{(\d+)\}\}/g, (placeholder, n: string) => {
    return values[Number(n) - 1] ?? placeholder;
  });
  return { ok: true, template: found, text };
}

function bodyParameterValues(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  const body = components.find((c) => isRecord(c) && String(c.type).toLowerCase() === 'body');
  if (!isRecord(body) || !Array.isArray(body.parameters)) return [];
  return body.parameters.map((parameter: unknown) => {
    if (!isRecord(parameter)) return '';
    if (parameter.type === 'text') return String(parameter.text ?? '');
    const typed = parameter[String(parameter.type)];
    if (isRecord(typed) && typed.fallback_value !== undefined) return String(typed.fallback_value);
    return `[${String(parameter.type)}]`;
  });
}
