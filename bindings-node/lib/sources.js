'use strict'
// The configuration sources a Node host hands to the core (docs/api.md `Sources`): reporter
// options, the text of ./qase.config.json, the QASE_* environment and CLI flags. The core
// resolves them; nothing is interpreted here.

const fs = require('node:fs')
const path = require('node:path')

/** Reads `qase.config.json` from `dir`, or `null` when there is none. */
function configFile(dir) {
  try {
    return fs.readFileSync(path.join(dir, 'qase.config.json'), 'utf8')
  } catch (error) {
    if (error.code === 'ENOENT') return null
    throw error
  }
}

/** Only the QASE_* names, so one crossing carries what the core reads. */
function qaseEnv(env) {
  const out = {}
  for (const [name, value] of Object.entries(env)) if (name.startsWith('QASE_') && value !== undefined) out[name] = value
  return out
}

/**
 * @param {object | null} options reporter options (`qase.config.json` shape)
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, cli?: object | null }} [context]
 */
function collectSources(options, context = {}) {
  return {
    options: options ?? null,
    file: configFile(context.cwd ?? process.cwd()),
    env: qaseEnv(context.env ?? process.env),
    cli: context.cli ?? null,
  }
}

module.exports = { collectSources, qaseEnv }
