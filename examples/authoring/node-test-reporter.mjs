// A complete testrelay reporter for node:test, on the public host kit:
//   node --test --test-reporter=./node-test-reporter.mjs --test-reporter-destination=stdout
// Every decision (status, mapping, batching, retries, fallback, completion) is the core's:
// the reporter only says what node:test saw.
import { relative } from 'node:path'
import { ReporterSession } from 'testrelay/host'

// eslint-disable-next-line require-yield
export default async function* testrelay(source) {
  const session = new ReporterSession({ runner: 'node-test' })
  const path = [] // the names of the suites and tests around the current event, by nesting
  let reported = 0
  for await (const { type, data } of source) {
    if (type === 'test:start') path.splice(data.nesting, Infinity, data.name)
    if ((type !== 'test:pass' && type !== 'test:fail') || data.details.type === 'suite') continue
    const error = data.details.error?.cause ?? data.details.error
    session.add({
      title: data.name,
      suite: [relative(process.cwd(), data.file ?? ''), ...path.slice(0, data.nesting)],
      outcome: {
        framework: 'node',
        runner_status: data.skip || data.todo ? 'skipped' : type === 'test:pass' ? 'passed' : 'failed',
        error: type === 'test:fail' && error ? {
          type: error.name ?? null, chain: error.name ? [error.name] : [], module: null,
          message: String(error.message ?? error), stack: error.stack ?? null, matcher: false,
        } : null,
      },
      duration: data.details.duration_ms,
    })
    reported += 1
  }
  // The session printed its summary line; the receipt says what happened, for a caller that asks.
  await session.end({ testsReported: reported })
}
