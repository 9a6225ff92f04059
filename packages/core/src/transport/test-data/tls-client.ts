// Run in a child process (bundled by node.test.ts) so NODE_EXTRA_CA_CERTS can trust a test
// certificate: Node reads it only at start. Prints what one GET to argv[2] answered, or failed with.
import { performRequest } from '../../http.js';
import { nodeTransport } from '../node.js';

try {
  const response = await performRequest(
    { method: 'GET', url: process.argv[2] as string },
    {
      transport: nodeTransport(),
      timeoutMs: 5000,
      secrets: [],
      provider: 'test',
      operation: 'send',
      attempt: 1,
    },
  );
  console.log(JSON.stringify({ status: response.status, body: response.body }));
} catch (error) {
  const { code, maybeAccepted, providerCode } = error as Record<string, unknown>;
  console.log(JSON.stringify({ error: { code, maybeAccepted, providerCode } }));
}
