import type { INodeProperties } from 'n8n-workflow';

/**
 * Options > Sender of every send: the number or session to send from instead of the credential's
 * (`loadOptions.getSenders` lists what the credential names).
 */
export const senderOption: INodeProperties = {
  displayName: 'Sender Name or ID',
  name: 'sender',
  type: 'options',
  typeOptions: { loadOptionsMethod: 'getSenders' },
  default: '',
  description:
    'The Kirem or Meta Phone Number ID, or the Kirimy session, to send from instead of the credential\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
