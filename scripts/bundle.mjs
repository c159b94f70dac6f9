// Bundles the per-call toolexec entry into CommonJS files (CommonJS loads faster than ESM; one file
// is one read and one compile, cached by NODE_COMPILE_CACHE): a tiny entry that passes through the
// tools orchestrion does not touch, and the compile/link code it loads only when needed.
import * as fs from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  logLevel: 'warning',
};
// entry: pass-through of tools orchestrion does not touch, nothing else loaded.
await build({ ...common, entryPoints: ['src/toolexec/entry.ts'], outfile: 'dist/toolexec.cjs', external: ['./toolexec-main.cjs'] });
// compile, link and -V=full.
await build({ ...common, entryPoints: ['src/toolexec/main.ts'], outfile: 'dist/toolexec-main.cjs' });
// `orchestrion go …`: the wrapper without oclif.
await build({ ...common, entryPoints: ['src/wrapper/entry.ts'], outfile: 'dist/go.cjs' });
// `orchestrion cacheprog`: go starts one per go process (GOCACHEPROG) and waits for its handshake.
await build({ ...common, entryPoints: ['src/cacheprog/main.ts'], outfile: 'dist/cacheprog.cjs' });

// The tool's build ID, stamped once here (dist/ and the injector's Go sources) rather than hashed by
// every process that needs it: it keys the suffix cache and goes into the -V=full suffix.
const { computeToolBuildID } = await import('../dist/version.js');
const { helpersHash } = await import('../dist/wasm/module.js');
fs.writeFileSync('dist/build-id', computeToolBuildID(helpersHash()) + '\n');
