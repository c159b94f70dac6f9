// `make wasm`: builds (or finds) the wasm injector for the `go` on PATH, through the same code path
// the job server uses at run time.
import { ensureWasm, pathToolchain } from './module.ts';

const tc = await pathToolchain(process.cwd());
const files = await ensureWasm(tc, (m) => console.error(`wasm: ${m}`));
console.log(`wasm: ${files.wasm}`);
