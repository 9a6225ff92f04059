import type {
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { probe } from './gateway';

/** `testedBy` for both nodes: one authenticated call through the same client the nodes use. */
export async function kabarGatewayTest(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
  try {
    return {
      status: 'OK',
      message: `Connection successful: ${await probe(credential.data ?? {})}`,
    };
  } catch (error) {
    return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
  }
}
