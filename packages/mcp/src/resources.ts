import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Gateway } from './tools/define.js';

const json = (uri: URL, value: unknown) => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

/**
 * Each gateway's templates and recent conversations as MCP resources, for clients that attach
 * context rather than call tools: `kabar://<gateway>/templates`, `kabar://<gateway>/conversations`.
 */
export function registerResources(server: McpServer, gateways: readonly Gateway[]): void {
  for (const { name, client } of gateways) {
    if (client.supports('templates.list')) {
      server.registerResource(
        `${name}-templates`,
        `kabar://${name}/templates`,
        {
          title: `${name}: message templates`,
          description: 'Every message template with its status and components',
          mimeType: 'application/json',
        },
        async (uri) => json(uri, await client.templates.list()),
      );
    }
    if (client.supports('mcp')) {
      server.registerResource(
        `${name}-conversations`,
        `kabar://${name}/conversations`,
        {
          title: `${name}: open conversations`,
          description: 'The inbox’s open conversations, most recent first',
          mimeType: 'application/json',
        },
        async (uri) => json(uri, await client.mcp.listConversations({ status: 'open' })),
      );
    }
  }
}
