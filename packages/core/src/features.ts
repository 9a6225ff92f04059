import type { PreparedMessage } from './message.js';
import type { Feature } from './provider.js';

/** Every capability a provider needs to send this message as asked. */
export function requiredFeatures(prepared: PreparedMessage): Feature[] {
  const { message } = prepared;
  const features: Feature[] = [];
  if (prepared.kind === 'interactive') {
    const interactive = prepared.content;
    features.push(`interactive.${interactive.type}`);
    if (interactive.type === 'buttons' && typeof interactive.header === 'object') {
      features.push('interactive.media_header');
    }
  } else {
    features.push(prepared.kind);
  }
  if (prepared.recipientType === 'group') features.push('group');
  if (prepared.recipientType === 'user') features.push('recipient.userId');
  if (message.callbackData !== undefined) features.push('callbackData');
  if (Array.isArray(message.to)) features.push('batch');
  if (message.replyTo !== undefined) features.push('reply');
  if (message.notifyUrl !== undefined) features.push('notifyUrl');
  if (message.sendAt !== undefined) features.push('schedule');
  if (prepared.kind === 'template' && prepared.content.vars !== undefined) {
    features.push('template.vars');
  }
  return features;
}

/** The first capability in `features` that `capabilities` lacks. */
export function firstMissing(
  capabilities: ReadonlySet<Feature>,
  features: Feature[],
): Feature | undefined {
  return features.find((feature) => !capabilities.has(feature));
}
