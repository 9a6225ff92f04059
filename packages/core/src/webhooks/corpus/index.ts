import { gatewayCorpus } from './gateways.js';
import { metaFieldCorpus } from './meta-fields.js';
import { metaMessageCorpus } from './meta-messages.js';
import { metaStatusCorpus } from './meta-statuses.js';

export type { CorpusEntry, CorpusOrigin } from './types.js';

/** Every corpus payload with the events it must give. */
export const corpus = [
  ...metaMessageCorpus,
  ...metaStatusCorpus,
  ...metaFieldCorpus,
  ...gatewayCorpus,
];
