#!/usr/bin/env node
'use strict'
// `testrelay complete-run`: the final CI step of a sharded run. Reads the configuration like
// the reporter (qase.config.json, QASE_* env: token, project, QASE_TESTOPS_RUN_ID), joins the
// run and asks the session to complete it. Exit status 0 when the run was completed.

const { randomUUID } = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Session, completeRunExit, completeRunPlan } = require('../index.js')
const { Host } = require('../lib/host.js')
const { collectSources } = require('../lib/sources.js')

const USAGE = `usage: testrelay complete-run [--run-id N] [--receipts DIR] [--expect-jobs a,b,c]

Completes a test run once every shard has reported into it (QASE_TESTOPS_RUN_ID).
Configuration comes from ./qase.config.json and QASE_* variables (QASE_TESTOPS_API_TOKEN,
QASE_TESTOPS_PROJECT, QASE_TESTOPS_RUN_ID, ...); --run-id overrides the run id.
With --receipts (or TESTRELAY_RECEIPTS_DIR), the receipts the reporters wrote there decide:
the run is completed only if every job (--expect-jobs: these names must all be present)
delivered everything; otherwise it is left open and the short jobs are named.
Exit status: 0 completed, 1 left open (a job short, a receipt missing, an error, or the
completion failed), 2 bad usage (arguments, no run id).`

function parseArgs(argv) {
  const [command, ...rest] = argv
  const cli = {}
  let receipts = process.env.TESTRELAY_RECEIPTS_DIR || null
  let expectedJobs = []
  for (let i = 0; i < rest.length; i++) {
    const value = rest[i + 1]
    if (value === undefined) return { error: `${rest[i]} needs a value` }
    if (rest[i] === '--run-id') cli.testops = { run: { id: Number(value) } }
    else if (rest[i] === '--receipts') receipts = value
    else if (rest[i] === '--expect-jobs') expectedJobs = value.split(',').filter(Boolean)
    else return { error: `unknown argument ${rest[i]}` }
    i++
  }
  return { command, cli, receipts, expectedJobs }
}

/** Reads every receipt (`*.json`) the jobs wrote into `dir`. */
function readReceipts(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
}

async function completeRun(cli, receiptsDir, expectedJobs) {
  const sources = collectSources(null, { cli })
  // The core decides: a run id (asked first: without one, the receipts are not read), and with
  // receipts whether every job delivered everything.
  let plan = completeRunPlan({ sources, receipts: null, expected_jobs: expectedJobs })
  if (plan.proceed && receiptsDir) plan = completeRunPlan({ sources, receipts: readReceipts(receiptsDir), expected_jobs: expectedJobs })
  for (const line of plan.lines) (plan.exit_code === 2 ? console.error : console.log)(line)
  if (plan.exit_code === 2) console.error(USAGE)
  if (!plan.proceed) return plan.exit_code
  const session = new Session(sources, { instance: randomUUID() }, Date.now())
  const host = new Host(session)
  host.drain()
  host.handle({ event: 'complete_run_requested' })
  host.handle({ event: 'all_tests_done' })
  // The session printed its summary line through the host.
  return completeRunExit(await host.finished)
}

async function main(argv) {
  const { command, cli, receipts, expectedJobs, error } = parseArgs(argv)
  if (error || command !== 'complete-run') {
    console.error(error ? `testrelay: ${error}\n${USAGE}` : USAGE)
    return 2
  }
  try {
    return await completeRun(cli, receipts, expectedJobs)
  } catch (e) {
    console.error(`testrelay: ERROR${e?.code ? ` [${e.code}]` : ''}: ${e?.message ?? e}`)
    return 1
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
