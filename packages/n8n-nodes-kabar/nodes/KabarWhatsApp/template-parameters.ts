import type { Template, TemplateComponent, TemplateParameter } from '@kabar/core';
import type { ResourceMapperField } from 'n8n-workflow';

/** Which template a Send Template node names: from the list (`name|language`), or typed. */
export interface TemplateRef {
  name: string;
  language: string;
}

/**
 * The Template field holds `name|language` when chosen from the list; a name alone (typed, from
 * an expression, or saved before the list existed) takes its language from the Language field.
 */
export function templateRef(template: string, language: string): TemplateRef {
  const [name = '', listed] = template.split('|');
  return { name: name.trim(), language: (listed ?? language).trim() };
}

/** `{{1}}` or `{{first_name}}` placeholders of a template text, each once, in order. */
function placeholders(text: string | undefined): string[] {
  const names = [...(text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(names)];
}

/** Sample values the template was submitted with, by placeholder, to show next to each field. */
function bodyExamples(example: unknown, names: string[]): Record<string, string> {
  const samples: Record<string, string> = {};
  const { body_text, body_text_named_params } = (example ?? {}) as {
    body_text?: unknown[][];
    body_text_named_params?: { param_name?: string; example?: string }[];
  };
  const positional = body_text?.[0];
  if (Array.isArray(positional)) {
    names.forEach((name, i) => {
      if (positional[i] !== undefined) samples[name] = String(positional[i]);
    });
  }
  for (const { param_name, example: sample } of body_text_named_params ?? []) {
    if (param_name && sample !== undefined) samples[param_name] = String(sample);
  }
  return samples;
}

const HEADER_MEDIA = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;
type HeaderMedia = (typeof HEADER_MEDIA)[number];

function field(id: string, displayName: string): ResourceMapperField {
  return {
    id,
    displayName,
    required: true,
    defaultMatch: false,
    canBeUsedToMatch: false,
    display: true,
    type: 'string',
  };
}

/**
 * One field per value the template needs at send time: its header's text placeholder or media
 * link (ids `header:text`, `header:image`...), then each body placeholder (ids `1`, `2`... or the
 * placeholder's name). A colon never occurs in a placeholder, so the ids cannot clash.
 */
export function templateFields(template: Template): ResourceMapperField[] {
  const fields: ResourceMapperField[] = [];
  const header = template.components.find((c) => c.type === 'HEADER');
  const format = header?.format;
  if (format && HEADER_MEDIA.includes(format as HeaderMedia)) {
    fields.push(field(`header:${format.toLowerCase()}`, `Header ${format.toLowerCase()} URL`));
  } else if (placeholders(header?.text).length > 0) {
    fields.push(field('header:text', `Header {{${placeholders(header?.text)[0]}}}`));
  }
  const body = template.components.find((c) => c.type === 'BODY');
  const names = placeholders(body?.text);
  const samples = bodyExamples(body?.example, names);
  for (const name of names) {
    const sample = samples[name];
    fields.push(field(name, sample ? `{{${name}}} (e.g. ${sample})` : `{{${name}}}`));
  }
  return fields;
}

/** A Template Parameters value, as the resource mapper stores it. */
export type MappedValues = Record<string, string | number | boolean | null>;

/** The mapped values as core's template parts: the header component, and the body's params. */
export function mappedTemplate(values: MappedValues): {
  header?: TemplateComponent;
  params?: TemplateParameter[] | Record<string, TemplateParameter>;
} {
  let header: TemplateComponent | undefined;
  const body: [string, string][] = [];
  for (const [id, raw] of Object.entries(values)) {
    const value = raw === null ? '' : String(raw);
    const [part, kind] = id.split(':');
    if (part !== 'header' || kind === undefined) {
      body.push([id, value]);
      continue;
    }
    const parameter: TemplateParameter =
      kind === 'text'
        ? value
        : kind === 'image'
          ? { type: 'image', image: { link: value } }
          : kind === 'video'
            ? { type: 'video', video: { link: value } }
            : { type: 'document', document: { link: value } };
    header = { type: 'header', parameters: [parameter] };
  }
  if (body.length === 0) return header ? { header } : {};
  const positional = body.every(([id]) => /^\d+$/.test(id));
  const params = positional
    ? body.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => value)
    : Object.fromEntries(body);
  return { ...(header ? { header } : {}), params };
}
