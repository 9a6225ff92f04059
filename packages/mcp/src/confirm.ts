import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Refusal } from './safety.js';

/**
 * Asks the person at the MCP client to confirm `action` (MCP elicitation), and throws `Refusal`
 * unless they accept. A client that cannot ask is refused, with the reason: what needs
 * confirmation must never go through on the model's word alone.
 */
export async function confirmWithUser(server: McpServer, action: string): Promise<void> {
  if (!server.server.getClientCapabilities()?.elicitation) {
    throw new Refusal(
      `refused: ${action} needs a person to confirm it, and this MCP client cannot ask (it does not support elicitation). Use a client that does, such as Claude Desktop or the MCP Inspector`,
    );
  }
  const answer = await server.server.elicitInput({
    mode: 'form',
    message: `Confirm: ${action}`,
    requestedSchema: {
      type: 'object',
      properties: {
        confirm: { type: 'boolean', title: 'Yes, do it', description: action },
      },
      required: ['confirm'],
    },
  });
  if (answer.action !== 'accept' || answer.content?.confirm !== true) {
    throw new Refusal(`refused: ${action} was not confirmed (${answer.action})`);
  }
}
