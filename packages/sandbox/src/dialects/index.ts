import type { Dialect } from '../dialect.js';
import type { Provider } from '../types.js';
import { fonnteDialect } from './fonnte/index.js';
import { kiremDialect } from './kirem/index.js';
import { kirimyDialect } from './kirimy/index.js';
import { metaDialect } from './meta/index.js';
import { qirimDialect } from './qirim/index.js';
import { wablasDialect } from './wablas/index.js';
import { waviroDialect } from './waviro/index.js';

/**
 * Every emulated gateway, by name, in the order the sandbox reports them. This is the only list of
 * dialects: the server, control API, CLI, inbox and /api/v1/info all read it. A gateway missing
 * here, or one whose name is not a `Provider`, is a compile error.
 */
export const DIALECTS = {
  kirem: kiremDialect,
  meta: metaDialect,
  kirimy: kirimyDialect,
  qirim: qirimDialect,
  waviro: waviroDialect,
  fonnte: fonnteDialect,
  wablas: wablasDialect,
} as const satisfies { readonly [P in Provider]: Dialect<P> };
