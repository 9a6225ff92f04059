// Bundles each node and credential with what it needs from @kabar/core into one CommonJS file,
// as n8n loads them: community nodes may have no runtime dependencies besides n8n-workflow.
//
// Not `n8n-node build` (@n8n/node-cli 0.48.3): it runs plain `tsc` and copies **/*.{png,svg} and
// __schema__ JSON, with no options. tsc leaves `require("@kabar/core")` in the output, which n8n can
// only resolve if core is installed beside the package, i.e. a runtime dependency, and n8n's
// verification and its `no-runtime-dependencies` lint rule forbid those ("bundle them into your
// build artifact").
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const entries = {
  'nodes/KabarWhatsApp/KabarWhatsApp.node': 'nodes/KabarWhatsApp/KabarWhatsApp.node.ts',
  'nodes/KabarWhatsAppTrigger/KabarWhatsAppTrigger.node':
    'nodes/KabarWhatsAppTrigger/KabarWhatsAppTrigger.node.ts',
  'credentials/KabarWhatsAppApi.credentials': 'credentials/KabarWhatsAppApi.credentials.ts',
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['n8n-workflow'],
  legalComments: 'none',
  logLevel: 'warning',
  // tsup's chunks are imported bare for ordering; core has no side effects to keep.
  logOverride: { 'ignored-bare-import': 'silent' },
});

// Icons sit beside what references them (`file:kabar.svg`), as n8n's lint wants them in the
// sources too; the codex files beside the nodes.
for (const dir of ['nodes/KabarWhatsApp', 'nodes/KabarWhatsAppTrigger', 'credentials']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  for (const icon of ['kabar.svg', 'kabar.dark.svg'])
    cpSync(`${dir}/${icon}`, `dist/${dir}/${icon}`);
}
for (const node of ['KabarWhatsApp', 'KabarWhatsAppTrigger']) {
  cpSync(`nodes/${node}/${node}.node.json`, `dist/nodes/${node}/${node}.node.json`);
}
