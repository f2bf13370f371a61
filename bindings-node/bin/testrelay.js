#!/usr/bin/env node
'use strict'
// `testrelay complete-run`: the final CI step of a sharded run. Reads the configuration like
// the reporter (qase.config.json, QASE_* env: token, project, QASE_TESTOPS_RUN_ID), joins the
// run and asks the session to complete it. Exit status 0 when the run was completed.

const { randomUUID } = require('node:crypto')
const { Session } = require('../index.js')
const { Host } = require('../lib/host.js')
const { collectSources } = require('../lib/sources.js')

const USAGE = `usage: testrelay complete-run [--run-id N]

Completes a test run once every shard has reported into it (QASE_TESTOPS_RUN_ID).
Configuration comes from ./qase.config.json and QASE_* variables (QASE_TESTOPS_API_TOKEN,
QASE_TESTOPS_PROJECT, QASE_TESTOPS_RUN_ID, ...); --run-id overrides the run id.`

function parseArgs(argv) {
  const [command, ...rest] = argv
  const cli = {}
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--run-id' && i + 1 < rest.length) cli.testops = { run: { id: Number(rest[++i]) } }
    else return { error: `unknown argument ${rest[i]}` }
  }
  return { command, cli }
}

async function completeRun(cli) {
  const session = new Session(collectSources(null, { cli }), { instance: randomUUID() }, Date.now())
  const host = new Host(session)
  host.drain()
  host.handle({ event: 'complete_run_requested' })
  host.handle({ event: 'all_tests_done' })
  const receipt = await host.finished
  console.log(`testrelay: ${receipt.summary}`)
  return receipt.completed ? 0 : 1
}

async function main(argv) {
  const { command, cli, error } = parseArgs(argv)
  if (error || command !== 'complete-run') {
    console.error(error ? `testrelay: ${error}\n${USAGE}` : USAGE)
    return 2
  }
  try {
    return await completeRun(cli)
  } catch (e) {
    console.error(`testrelay: ERROR${e?.code ? ` [${e.code}]` : ''}: ${e?.message ?? e}`)
    return 1
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
