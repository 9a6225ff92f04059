import { type Feature, KabarError, type WhatsAppClient } from '@kabar/core';
import { gatewayNamed } from '@kabar/core/gateways';
import {
  type ILoadOptionsFunctions,
  type INodePropertyOptions,
  NodeOperationError,
  type ResourceMapperFields,
} from 'n8n-workflow';
import { clientFor, gatewayOf, SENDER_SETTING } from '../../shared/gateway';
import { n8nFetch } from '../../shared/http-fetch';
import { templateFields, templateRef } from './template-parameters';

/**
 * The node's dropdowns: approved templates, the chosen template's parameters as fields, sender
 * numbers and groups. Each asks the gateway through n8n's HTTP helpers; a gateway without the
 * call gets a readable error in the dropdown instead of an empty or broken list.
 */

async function gatewayClient(context: ILoadOptionsFunctions) {
  const credentials = await context.getCredentials('kabarWhatsAppApi');
  const label = gatewayNamed(gatewayOf(credentials)).label;
  const client = clientFor(credentials, {
    fetch: n8nFetch(context.helpers),
  });
  return { label, client };
}

/** Fails with `message` unless the gateway has `feature`, before any request. */
function requireFeature(
  context: ILoadOptionsFunctions,
  client: WhatsAppClient,
  feature: Feature,
  message: string,
): void {
  if (!client.supports(feature)) throw new NodeOperationError(context.getNode(), message);
}

/** A gateway's refusal (a wrong key, Meta without a Business Account ID) in its own words. */
async function asked<T>(context: ILoadOptionsFunctions, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!KabarError.isInstance(error))
      throw new NodeOperationError(context.getNode(), error as Error);
    throw new NodeOperationError(context.getNode(), error.message, {
      description: `kabar code: ${error.code}`,
    });
  }
}

function currentText(context: ILoadOptionsFunctions, name: string): string {
  const value = context.getCurrentNodeParameter(name);
  return typeof value === 'string' ? value : '';
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** `loadOptions.getTemplates`: approved templates, each valued `name|language`. */
export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const { label, client } = await gatewayClient(this);
  requireFeature(
    this,
    client,
    'templates.list',
    client.supports('template')
      ? `${label} has no call to list its templates: give the template name with an expression`
      : `${label} does not send WhatsApp templates`,
  );
  const templates = await asked(this, client.templates.list({ status: 'APPROVED' }));
  return templates
    .map((template) => {
      const body = template.components?.find((c) => c.type === 'BODY')?.text ?? '';
      return {
        name: `${template.name} (${template.language})`,
        value: `${template.name}|${template.language}`,
        description: `${template.category}: ${body.length > 120 ? `${body.slice(0, 117)}...` : body}`,
      };
    })
    .sort(byName);
}

/** `resourceMapping.getTemplateParameters`: the values the chosen template needs, as fields. */
export async function getTemplateParameters(
  this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
  const { name, language } = templateRef(
    currentText(this, 'templateName'),
    currentText(this, 'language'),
  );
  if (name === '' || name.startsWith('=')) {
    return { fields: [], emptyFieldsNotice: 'Choose a template from the list first' };
  }
  const { label, client } = await gatewayClient(this);
  requireFeature(
    this,
    client,
    'templates.list',
    `${label} has no call to list its templates, so their parameters cannot be shown: use Body Parameters`,
  );
  const templates = await asked(this, client.templates.list());
  const template = templates.find((t) => t.name === name && t.language === language);
  if (!template) {
    return {
      fields: [],
      emptyFieldsNotice: `${label} has no template "${name}" in language "${language}"`,
    };
  }
  const fields = templateFields(template);
  return fields.length > 0
    ? { fields }
    : { fields, emptyFieldsNotice: `"${name}" takes no parameters` };
}

/**
 * `loadOptions.getSenders`: the numbers or sessions the credential can send from. Kirimy's
 * credential lists its sessions. Meta with a Business Account ID lists every number of the
 * account; Kirem, and Meta without that ID, offer the credential's own Phone Number ID, and
 * another is given with an expression.
 */
export async function getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const credentials = await this.getCredentials('kabarWhatsAppApi');
  const gateway = gatewayNamed(gatewayOf(credentials));
  const key = SENDER_SETTING[gateway.name];
  if (key === undefined) {
    throw new NodeOperationError(
      this.getNode(),
      `${gateway.label} sends from the one WhatsApp number its key belongs to: there is no sender to choose`,
    );
  }
  const configured = String(credentials[key] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (configured.length === 0) {
    throw new NodeOperationError(
      this.getNode(),
      `The credential names no ${key === 'sessionId' ? 'session' : 'Phone Number ID'}, and ${gateway.label} numbers cannot be listed: give one with an expression`,
    );
  }
  if (key === 'sessionId') {
    return configured.map((id, i) => ({
      name: id,
      value: id,
      description: `Session ${i + 1} of the credential; only this one sends (no fallback)`,
    }));
  }
  const listable = gateway.capabilities.has('numbers.list');
  // Meta lists the numbers of the Business Account the credential names, and needs that ID.
  if (listable && String(credentials.businessAccountId ?? '').trim() !== '') {
    const { client } = await gatewayClient(this);
    const numbers = await asked(this, client.numbers.list());
    return numbers
      .map((number) => ({
        name:
          number.verifiedName === undefined
            ? number.displayNumber
            : `${number.verifiedName} · ${number.displayNumber}`,
        value: number.id,
        description: `Phone Number ID ${number.id}${number.qualityRating === undefined ? '' : `, quality ${number.qualityRating}`}`,
      }))
      .sort(byName);
  }
  return configured.map((id) => ({
    name: id,
    value: id,
    description: listable
      ? "The credential's Phone Number ID; set its Business Account ID to list the account's other numbers, or give one with an expression"
      : "The credential's Phone Number ID; give another of the account's numbers with an expression",
  }));
}

/** `loadOptions.getGroups`: the groups the gateway's WhatsApp number is in (Waviro). */
export async function getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const { label, client } = await gatewayClient(this);
  requireFeature(
    this,
    client,
    'groups.list',
    client.supports('group')
      ? `${label} sends to groups but has no call to list them: give the group ID with an expression`
      : `${label} does not send to WhatsApp groups`,
  );
  const groups = await asked(this, client.groups.list());
  return groups
    .map((group) => ({ name: group.name, value: group.id, description: group.id }))
    .sort(byName);
}
