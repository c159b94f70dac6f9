// Bundles the per-call toolexec entry into one CommonJS file: CommonJS loads faster than ESM, and a
// single file means one read and one compile (cached by NODE_COMPILE_CACHE) per call.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/toolexec/main.ts'],
  outfile: 'dist/toolexec.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  logLevel: 'warning',
});
