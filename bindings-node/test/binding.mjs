// The module under test: the napi build by default, or the WASM build of bindings-wasm
// (`TESTRELAY_TARGET=wasm`, built into bindings-wasm/pkg-node/ with the same function names).
import { createRequire } from 'node:module'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

export const target = process.env.TESTRELAY_TARGET === 'wasm' ? 'wasm' : 'napi'

function loadWasm() {
  const dir = join(here, '../../bindings-wasm/pkg-node')
  if (!existsSync(dir)) throw new Error(`TESTRELAY_TARGET=wasm but ${dir} does not exist (build bindings-wasm first)`)
  if (existsSync(join(dir, 'package.json'))) return require(dir)
  const js = readdirSync(dir).filter((f) => f.endsWith('.js'))
  if (js.length !== 1) throw new Error(`${dir}: expected one .js entry, found ${js.join(', ') || 'none'}`)
  return require(join(dir, js[0]))
}

export const binding = target === 'wasm' ? loadWasm() : require('../index.js')
