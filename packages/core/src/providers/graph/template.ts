import type {
  ProductSection,
  TemplateButton,
  TemplateCard,
  TemplateComponent,
  TemplateContent,
  TemplateParameter,
} from '../../message.js';

/**
 * A template send in the Cloud API's JSON (Meta, and Kirem which mirrors it). Shape translation
 * only; `validate-template.ts` checked everything first.
 */

type Json = Record<string, unknown>;

function graphParameter(param: TemplateParameter, name?: string): Json {
  if (typeof param === 'string' || typeof param === 'number') {
    return { type: 'text', text: String(param), parameter_name: name };
  }
  switch (param.type) {
    case 'text':
      return { type: 'text', text: param.text, parameter_name: param.name ?? name };
    case 'currency':
      return {
        type: 'currency',
        parameter_name: param.name ?? name,
        currency: {
          fallback_value: param.currency.fallbackValue,
          code: param.currency.code,
          amount_1000: param.currency.amount1000,
        },
      };
    case 'date_time':
      return {
        type: 'date_time',
        parameter_name: param.name ?? name,
        date_time: { fallback_value: param.dateTime.fallbackValue },
      };
    case 'image':
      return { type: 'image', image: { ...param.image } };
    case 'video':
      return { type: 'video', video: { ...param.video } };
    case 'document':
      return { type: 'document', document: { ...param.document } };
    case 'payload':
      return { type: 'payload', payload: param.payload };
  }
}

/** Product sections as the Cloud API's `sections[].product_items`. */
export function graphProductSections(sections: ProductSection[]): Json[] {
  return sections.map((section) => ({
    title: section.title,
    product_items: section.productIds.map((id) => ({ product_retailer_id: id })),
  }));
}

function graphButton(button: TemplateButton): Json {
  const base = { type: 'button', index: String(button.index) };
  switch (button.subType) {
    case 'quick_reply':
    case 'url':
      return {
        ...base,
        sub_type: button.subType,
        parameters: button.parameters.map((p) => graphParameter(p)),
      };
    case 'otp':
      // Meta fills copy-code, one-tap and zero-tap buttons alike through a `url` button parameter.
      return { ...base, sub_type: 'url', parameters: [{ type: 'text', text: button.code }] };
    case 'copy_code':
      return {
        ...base,
        sub_type: 'copy_code',
        parameters: [{ type: 'coupon_code', coupon_code: button.couponCode }],
      };
    case 'flow':
      return {
        ...base,
        sub_type: 'flow',
        parameters: [
          {
            type: 'action',
            action: { flow_token: button.flowToken, flow_action_data: button.flowActionData },
          },
        ],
      };
    case 'catalog':
      return {
        ...base,
        sub_type: 'catalog',
        parameters: [
          { type: 'action', action: { thumbnail_product_retailer_id: button.thumbnailProductId } },
        ],
      };
    case 'mpm':
      return {
        ...base,
        sub_type: 'mpm',
        parameters: [
          {
            type: 'action',
            action: {
              thumbnail_product_retailer_id: button.thumbnailProductId,
              sections: graphProductSections(button.sections),
            },
          },
        ],
      };
  }
}

function graphCard(card: TemplateCard, index: number): Json {
  return {
    card_index: index,
    components: card.components.map((component) =>
      component.type === 'button'
        ? graphButton(component)
        : { type: component.type, parameters: component.parameters.map((p) => graphParameter(p)) },
    ),
  };
}

function graphComponent(component: TemplateComponent): Json {
  switch (component.type) {
    case 'header':
    case 'body':
      return {
        type: component.type,
        parameters: component.parameters.map((p) => graphParameter(p)),
      };
    case 'button':
      return graphButton(component);
    case 'limited_time_offer':
      return {
        type: 'limited_time_offer',
        parameters: [
          {
            type: 'limited_time_offer',
            limited_time_offer: { expiration_time_ms: component.expiresAt },
          },
        ],
      };
    case 'carousel':
      return { type: 'carousel', cards: component.cards.map(graphCard) };
  }
}

function graphBodyParams(params: TemplateContent['params']): Json[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params.map((p) => graphParameter(p));
  return Object.entries(params).map(([name, p]) => graphParameter(p, name));
}

/** A template message's `template` object in the Cloud API's shape. */
export function graphTemplate(template: TemplateContent): Json {
  const components = (template.components ?? []).map(graphComponent);
  const body = graphBodyParams(template.params);
  if (body.length > 0) components.push({ type: 'body', parameters: body });
  return {
    name: template.name,
    language: { code: template.language },
    components: components.length > 0 ? components : undefined,
  };
}
