// Child process of hostile.test.mjs: loads one binding (`napi` or `wasm`), runs one case (by
// index, or `session`) and prints one JSON line {problem}. A crash or hang of the binding
// kills only this process, which the parent reports with the case's name.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CASES, check } from './cases.mjs'
import { previewAccounts, sessionAccounts } from './session.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)
const [target, which] = process.argv.slice(2)
const binding = require(target === 'wasm' ? join(root, 'bindings-wasm/pkg-node') : join(root, 'bindings-node/index.js'))
const problem = which === 'session' ? sessionAccounts(binding) : which === 'preview' ? previewAccounts(binding) : check(binding, CASES[Number(which)])
process.stdout.write(`${JSON.stringify({ problem })}\n`)
