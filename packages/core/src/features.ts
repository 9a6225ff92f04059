import type { PreparedMessage } from './message.js';
import type { Feature } from './provider.js';

/** Every capability a provider needs to send this message as asked. */
export function requiredFeatures(prepared: PreparedMessage): Feature[] {
  const { message } = prepared;
  const features: Feature[] = [];
  if (prepared.kind === 'interactive') {
    const { interactive } = message as { interactive: { type: string } };
    features.push(interactive.type === 'list' ? 'interactive.list' : 'interactive.buttons');
  } else {
    features.push(prepared.kind);
  }
  if (prepared.toGroup) features.push('group');
  if (Array.isArray(message.to)) features.push('batch');
  if (message.replyTo !== undefined) features.push('reply');
  if (message.notifyUrl !== undefined) features.push('notifyUrl');
  const template = (message as { template?: { vars?: unknown } }).template;
  if (template?.vars !== undefined) features.push('template.vars');
  return features;
}

/** The first capability in `features` that `capabilities` lacks. */
export function firstMissing(
  capabilities: ReadonlySet<Feature>,
  features: Feature[],
): Feature | undefined {
  return features.find((feature) => !capabilities.has(feature));
}
