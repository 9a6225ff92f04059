import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';
import type {
  TemplateButton,
  TemplateCard,
  TemplateComponent,
  TemplateContent,
  TemplateParameter,
} from './message.js';
import {
  checkMediaSource,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  unknownVariant,
} from './validate-fields.js';
import { checkProductSections } from './validate-interactive.js';

/** Meta's rules for a template send: its parameters, buttons, offers and carousel cards. */

const COMPONENT_TYPES: readonly TemplateComponent['type'][] = [
  'header',
  'body',
  'button',
  'limited_time_offer',
  'carousel',
];
const BUTTON_SUB_TYPES: readonly TemplateButton['subType'][] = [
  'quick_reply',
  'url',
  'otp',
  'copy_code',
  'flow',
  'catalog',
  'mpm',
];
/** Meta's rule for a named placeholder: lowercase letters, digits and underscores. */
const PARAMETER_NAME = /^[a-z0-9_]+$/;
/** A template has at most ten buttons. */
const MAX_BUTTON_INDEX = 9;
const MAX_TEMPLATE_CARDS = 10;

function checkParameter(param: TemplateParameter, field: string): void {
  if (typeof param === 'number') {
    if (!Number.isFinite(param)) throw new ValidationError(field, 'must be a finite number');
    return;
  }
  if (typeof param === 'string') {
    checkParameterText(param, field);
    return;
  }
  requireObject(param, field);
  switch (param.type) {
    case 'text':
      checkParameterText(param.text, `${field}.text`);
      checkParameterName(param.name, `${field}.name`);
      return;
    case 'currency': {
      const currency = requireObject(param.currency, `${field}.currency`);
      requireString(currency.fallbackValue, `${field}.currency.fallbackValue`);
      if (typeof currency.code !== 'string' || !/^[A-Z]{3}$/.test(currency.code)) {
        throw new ValidationError(`${field}.currency.code`, 'must be an ISO 4217 code such as IDR');
      }
      if (!Number.isInteger(currency.amount1000)) {
        throw new ValidationError(`${field}.currency.amount1000`, 'must be a whole number');
      }
      checkParameterName(param.name, `${field}.name`);
      return;
    }
    case 'date_time':
      requireString(
        requireObject(param.dateTime, `${field}.dateTime`).fallbackValue,
        `${field}.dateTime.fallbackValue`,
      );
      checkParameterName(param.name, `${field}.name`);
      return;
    case 'image':
      checkMediaSource(param.image, `${field}.image`);
      return;
    case 'video':
      checkMediaSource(param.video, `${field}.video`);
      return;
    case 'document':
      checkMediaSource(param.document, `${field}.document`);
      return;
    case 'payload':
      requireString(param.payload, `${field}.payload`);
      return;
    default:
      unknownVariant(`${field}.type`, param, [
        'text',
        'currency',
        'date_time',
        'image',
        'video',
        'document',
        'payload',
      ]);
  }
}

function checkParameterText(text: unknown, field: string): void {
  const value = requireString(text, field);
  // WhatsApp rejects these at delivery time (error 132018); failing here saves a round trip.
  if (/[\n\t]/.test(value) || / {5,}/.test(value)) {
    throw new ValidationError(
      field,
      'must not contain new lines, tabs or more than 4 spaces in a row',
    );
  }
}

function checkParameterName(name: unknown, field: string): void {
  if (name === undefined) return;
  if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) {
    throw new ValidationError(field, 'must be lowercase letters, digits and underscores');
  }
}

function checkParameters(parameters: unknown, field: string): void {
  if (!Array.isArray(parameters)) throw new ValidationError(field, 'must be an array');
  parameters.forEach((p: TemplateParameter, i) => {
    checkParameter(p, `${field}[${i}]`);
  });
}

function checkButton(button: TemplateButton, field: string): void {
  if (!Number.isInteger(button.index) || button.index < 0 || button.index > MAX_BUTTON_INDEX) {
    throw new ValidationError(
      `${field}.index`,
      `must be a whole number from 0 to ${MAX_BUTTON_INDEX}`,
    );
  }
  switch (button.subType) {
    case 'quick_reply':
    case 'url':
      checkParameters(button.parameters, `${field}.parameters`);
      return;
    case 'otp':
      requireString(button.code, `${field}.code`, LIMITS.otpCode);
      return;
    case 'copy_code':
      requireString(button.couponCode, `${field}.couponCode`, LIMITS.couponCode);
      return;
    case 'flow':
      optionalString(button.flowToken, `${field}.flowToken`, 255);
      if (button.flowActionData !== undefined)
        requireObject(button.flowActionData, `${field}.flowActionData`);
      return;
    case 'catalog':
      optionalString(button.thumbnailProductId, `${field}.thumbnailProductId`, 255);
      return;
    case 'mpm':
      requireString(button.thumbnailProductId, `${field}.thumbnailProductId`, 255);
      checkProductSections(button.sections, `${field}.sections`);
      return;
    default: {
      const subType = (button satisfies never as { subType?: unknown }).subType;
      throw new ValidationError(
        `${field}.subType`,
        `must be one of ${BUTTON_SUB_TYPES.join(', ')} (got ${JSON.stringify(subType)})`,
      );
    }
  }
}

function checkCard(card: TemplateCard, field: string): void {
  requireObject(card, field);
  requireArray(card.components, `${field}.components`, 1, 10);
  card.components.forEach((component, i) => {
    const at = `${field}.components[${i}]`;
    requireObject(component, at);
    switch (component.type) {
      case 'header':
      case 'body':
        checkParameters(component.parameters, `${at}.parameters`);
        return;
      case 'button':
        checkButton(component, at);
        return;
      default:
        unknownVariant(`${at}.type`, component, ['header', 'body', 'button']);
    }
  });
}

function checkComponent(
  component: TemplateComponent,
  field: string,
  template: TemplateContent,
): void {
  requireObject(component, field);
  switch (component.type) {
    case 'header':
      checkParameters(component.parameters, `${field}.parameters`);
      return;
    case 'body':
      if (template.params !== undefined) {
        throw new ValidationError(field, 'a body component and `params` cannot both be given');
      }
      checkParameters(component.parameters, `${field}.parameters`);
      return;
    case 'button':
      checkButton(component, field);
      return;
    case 'limited_time_offer':
      if (!Number.isInteger(component.expiresAt) || component.expiresAt <= 0) {
        throw new ValidationError(`${field}.expiresAt`, 'must be a time in epoch milliseconds');
      }
      return;
    case 'carousel':
      requireArray(component.cards, `${field}.cards`, 1, MAX_TEMPLATE_CARDS);
      component.cards.forEach((card, i) => {
        checkCard(card, `${field}.cards[${i}]`);
      });
      return;
    default:
      unknownVariant(`${field}.type`, component, COMPONENT_TYPES);
  }
}

/** Checks a template send against Meta's rules; throws `ValidationError` naming the field. */
export function checkTemplate(template: TemplateContent): void {
  requireObject(template, 'template');
  requireString(template.name, 'template.name', LIMITS.templateName);
  requireString(template.language, 'template.language');
  const { params } = template;
  if (Array.isArray(params)) {
    checkParameters(params, 'template.params');
  } else if (params !== undefined) {
    requireObject(params, 'template.params');
    for (const [name, param] of Object.entries(params)) {
      checkParameterName(name, `template.params.${name}`);
      checkParameter(param, `template.params.${name}`);
    }
  }
  if (template.components !== undefined) {
    if (!Array.isArray(template.components)) {
      throw new ValidationError('template.components', 'must be an array');
    }
    template.components.forEach((component, i) => {
      checkComponent(component, `template.components[${i}]`, template);
    });
  }
}

/**
 * True when the template carries a one-time password (an `otp` button): an authentication
 * template, which Meta delivers only to phone numbers.
 */
export function carriesOtp(template: TemplateContent): boolean {
  return (template.components ?? []).some(
    (component) => component.type === 'button' && component.subType === 'otp',
  );
}
