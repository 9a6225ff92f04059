import { createClient, type SendPolicy, type WhatsAppClient } from '@kabar/core';
import type { WhatsAppModuleOptions } from './options.js';

/** The client's `policy`: the module's `policy` option without the tracker's settings. */
export function sendPolicyOf(options: WhatsAppModuleOptions): SendPolicy | undefined {
  if (!options.policy) return undefined;
  const { window, consent, now } = options.policy;
  return { window, consent, now };
}

/**
 * The core client the module's options describe. In a file of its own because
 * `@kabar/nestjs/testing` builds the same client around the sandbox's gateway, and its CommonJS
 * build bundles what it imports.
 */
export function moduleClientOf(options: WhatsAppModuleOptions): WhatsAppClient {
  const {
    webhook: _webhook,
    otp: _otp,
    chatState: _chatState,
    policy: _policy,
    include: _include,
    ...client
  } = options;
  return createClient({ ...client, policy: sendPolicyOf(options) });
}
