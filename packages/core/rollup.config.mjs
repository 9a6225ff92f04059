// The JavaScript build (types come from tsup, see tsup.config.ts). Rollup rather than esbuild
// because cold start is decided by how many files Node's ESM loader reads: esbuild's splitting made
// `import('@kabar/core')` plus one gateway read 11 files (~1 ms each), and it cannot be told to
// keep shared code together. Here everything the index needs, and everything two gateways share,
// goes into one runtime chunk, so core plus a gateway is three files, and each subpath still loads
// only what it uses.
import { existsSync, rmSync } from 'node:fs';
import { transform } from 'esbuild';
import { entries, gatewayEntries } from './entries.mjs';

const absolute = (path) => new URL(path, import.meta.url).pathname;
const input = Object.fromEntries(
  Object.entries(entries).map(([name, path]) => [name, absolute(path)]),
);
const indexEntry = input.index;
const gatewayInputs = Object.keys(gatewayEntries).map((name) => input[name]);

/** TypeScript sources through esbuild; imports are written `./x.js` and resolve to `./x.ts`. */
function typescript() {
  return {
    name: 'kabar-typescript',
    resolveId(source, importer) {
      if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js')) return;
      const candidate = new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`).pathname;
      return existsSync(candidate) ? candidate : undefined;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return;
      const result = await transform(code, {
        loader: 'ts',
        target: 'node20',
        format: 'esm',
        sourcemap: true,
        sourcefile: id,
      });
      return { code: result.code, map: result.map };
    },
  };
}

/**
 * Whitespace and syntax minified, names kept (stack traces still name functions): the text V8
 * compiles at import is about half, which is a quarter of core's cold start.
 */
function compact() {
  return {
    name: 'kabar-compact',
    async renderChunk(code, chunk) {
      const result = await transform(code, {
        minifyWhitespace: true,
        minifySyntax: true,
        target: 'node20',
        sourcemap: true,
        sourcefile: chunk.fileName,
      });
      return { code: result.code, map: result.map };
    },
  };
}

// Which entries reach each module, computed once from the module graph.
let reachedBy;
function entriesReaching(id, getModuleInfo) {
  if (!reachedBy) {
    reachedBy = new Map();
    for (const entry of Object.values(input)) {
      const stack = [entry];
      const seen = new Set();
      while (stack.length > 0) {
        const module = stack.pop();
        if (seen.has(module)) continue;
        seen.add(module);
        if (!reachedBy.has(module)) reachedBy.set(module, new Set());
        reachedBy.get(module).add(entry);
        stack.push(...(getModuleInfo(module)?.importedIds ?? []));
      }
    }
  }
  return reachedBy.get(id) ?? new Set();
}

/** The index's whole graph, and whatever two gateways share, in one chunk. */
function manualChunks(id, { getModuleInfo }) {
  const reaching = entriesReaching(id, getModuleInfo);
  const gateways = gatewayInputs.filter((entry) => reaching.has(entry)).length;
  if (reaching.has(indexEntry) || gateways > 1) return 'runtime';
}

const output = (format, extension) => ({
  dir: 'dist',
  format,
  entryFileNames: `[name].${extension}`,
  chunkFileNames: `[name]-[hash].${extension}`,
  manualChunks,
  sourcemap: true,
});

// Chunk names carry content hashes, so a build starts from an empty dist (tsup adds the types after).
rmSync(absolute('dist'), { recursive: true, force: true });

export default {
  input,
  // Core has no runtime dependencies: only Node's own modules stay imports.
  external: (id) => id.startsWith('node:'),
  // Subpaths export their API and nothing else: `import * as core` shows no internals.
  preserveEntrySignatures: 'strict',
  plugins: [typescript(), compact()],
  output: [output('es', 'js'), output('cjs', 'cjs')],
};
