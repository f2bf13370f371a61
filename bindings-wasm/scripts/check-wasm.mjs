// Checks a built module: no import from `env` (the core must not need the host) and prints
// its size raw and gzipped. Usage: node check-wasm.mjs <file.wasm>
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
const bytes = readFileSync(file);
const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
const fromEnv = imports.filter((i) => i.module === 'env');
if (fromEnv.length > 0) {
  console.error(`${file} imports from env: ${fromEnv.map((i) => i.name).join(', ')}`);
  process.exit(1);
}
const modules = [...new Set(imports.map((i) => i.module))].join(', ');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gzipped = gzipSync(bytes, { level: 9 }).length;
console.log(`wasm size: ${kb(bytes.length)} raw, ${kb(gzipped)} gzipped (${imports.length} imports, all from: ${modules}; none from env)`);
