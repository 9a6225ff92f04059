import type { Feature, Provider, WhatsAppClient } from '@kabar/core';
import type { OtpEngine } from '@kabar/core/otp';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Inbox } from '../inbox.js';
import type { SafetyOptions } from '../safety.js';

/** One configured gateway, under the name the tools show. */
export interface Gateway {
  /** The name tools take in their `gateway` argument, e.g. `toko` or `kirem`. */
  name: string;
  provider: Provider;
  client: WhatsAppClient;
  /** Its conversations as Kabar keeps them, when its webhooks come to this server. */
  inbox?: Inbox;
  /** One-time codes: the gateway's own (Qirim), or made here and sent through it (`otp` option). */
  otp?: OtpEngine;
}

/** What a tool's `run` gets besides its arguments. */
export interface ToolContext {
  /** The gateway the call goes to: the one named in `gateway`, or the first that can do it. */
  gateway: Gateway;
  safety: SafetyOptions;
  /** The MCP session the call came in, for its rate limit. */
  sessionId: string;
  /** The session's server, to ask the user to confirm (elicitation). */
  server: McpServer;
}

/**
 * How a tool touches the world, which its MCP annotations state: `read` changes nothing,
 * `send` reaches a customer (additive, not repeatable), `write` changes the gateway's state,
 * `repeatable` changes state but a second call does no more (mark as read).
 */
export type ToolEffect = 'read' | 'send' | 'write' | 'repeatable';

/** One tool: registered on a server only when one of its gateways can do it. */
export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** Whether `gateway` can do it: most tools need one feature of core's capability table. */
  offered(gateway: Gateway): boolean;
  effect: ToolEffect;
  input: Shape;
  /** Does the work once the arguments passed `input`; what it resolves with is the answer, as JSON. */
  run(args: z.infer<z.ZodObject<Shape>>, context: ToolContext): Promise<unknown>;
}

/** Typed construction of a `ToolDefinition`: `run` gets the arguments its `input` describes. */
export function defineTool<Shape extends z.ZodRawShape>(
  tool: ToolDefinition<Shape>,
): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/** `offered` for a tool that needs one feature of the gateway. */
export function needs(feature: Feature): (gateway: Gateway) => boolean {
  return (gateway) => gateway.client.supports(feature);
}

/** The MCP annotations of an effect, set as the spec defines each hint. */
export function annotationsOf(effect: ToolEffect): ToolAnnotations {
  return {
    readOnlyHint: effect === 'read',
    // Sending, creating a template and marking as read add to the world; nothing here deletes.
    destructiveHint: false,
    idempotentHint: effect === 'read' || effect === 'repeatable',
    // Every tool talks to a WhatsApp gateway, and sends reach people.
    openWorldHint: true,
  };
}
