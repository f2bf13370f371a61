'use strict'
// The configuration sources a Node host hands to the core (docs/api.md `Sources`): reporter
// options, the text of `qase.config.json`, the QASE_* environment and CLI flags. Where the file
// is looked for is the core's answer (`configFileCandidates`); the core resolves everything.

const fs = require('node:fs')

/**
 * Reads the first candidate that exists (`{ file, file_error }`): a missing one is skipped, any
 * other failure becomes `file_error` (one warning from the core) and ends the search.
 */
function readConfigFile(candidates) {
  for (const candidate of candidates) {
    try {
      return { file: fs.readFileSync(candidate, 'utf8'), file_error: null }
    } catch (error) {
      if (error?.code === 'ENOENT' || error?.code === 'ENOTDIR') continue
      return { file: null, file_error: { path: candidate, message: error?.code ?? String(error?.message ?? error) } }
    }
  }
  return { file: null, file_error: null }
}

/** Only the QASE_* names, so one crossing carries what the core reads. */
function qaseEnv(env) {
  const out = {}
  for (const [name, value] of Object.entries(env)) if (name.startsWith('QASE_') && value !== undefined) out[name] = value
  return out
}

/**
 * @param {object | null} options reporter options (`qase.config.json` shape)
 * @param {{ dirs?: string[], cwd?: string, env?: NodeJS.ProcessEnv, cli?: object | null }} [context]
 *   `dirs`: the directories to look for `qase.config.json` in (default: the working directory)
 */
function collectSources(options, context = {}) {
  const { configFileCandidates } = require('../index.js')
  const dirs = context.dirs ?? [context.cwd ?? process.cwd()]
  return {
    options: options ?? null,
    ...readConfigFile(configFileCandidates(dirs)),
    env: qaseEnv(context.env ?? process.env),
    cli: context.cli ?? null,
  }
}

module.exports = { collectSources, qaseEnv }
