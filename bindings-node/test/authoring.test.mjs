// docs/authoring.md's JavaScript reporter (examples/authoring/node-test-reporter.mjs), run as a
// user would: a project whose node_modules holds `testrelay`, `node --test` with the reporter,
// report mode; the report files say what the core decided.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../../tests/temp-dirs.mjs'

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const root = resolve(pkg, '..')

test('authoring: the node:test reporter of the guide reports through the kit', () => {
  const project = tempDir('authoring-js-')
  mkdirSync(join(project, 'node_modules'))
  symlinkSync(pkg, join(project, 'node_modules', 'testrelay'), 'dir')
  copyFileSync(join(root, 'examples/authoring/node-test-reporter.mjs'), join(project, 'reporter.mjs'))
  writeFileSync(join(project, 'math.test.mjs'), [
    "import { describe, test } from 'node:test'",
    "import assert from 'node:assert/strict'",
    "describe('math', () => {",
    "  test('adds', () => assert.equal(1 + 1, 2))",
    "  test('compares', () => assert.equal(1 + 1, 3))",
    "  test('throws', () => { null.x })",
    "  test('later', { skip: 'not yet' }, () => {})",
    '})',
  ].join('\n'))
  const report = join(project, 'report')
  // NODE_TEST_CONTEXT would make the child think it runs inside this test file.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_') && !k.startsWith('TESTRELAY_') && k !== 'NODE_TEST_CONTEXT'))
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=./reporter.mjs', '--test-reporter-destination=stdout', 'math.test.mjs'], {
    cwd: project, env: { ...env, QASE_MODE: 'report', QASE_REPORT_CONNECTION_PATH: report }, encoding: 'utf8',
  })
  assert.match(run.stdout, /testrelay: 4 results written to/, `${run.stdout}\n${run.stderr}`)
  const results = readdirSync(join(report, 'results')).map((f) => JSON.parse(readFileSync(join(report, 'results', f), 'utf8')))
  const status = Object.fromEntries(results.map((r) => [r.title, r.execution.status]))
  assert.deepEqual(status, { adds: 'passed', compares: 'failed', throws: 'invalid', later: 'skipped' })
  assert.deepEqual(results[0].relations.suite.data.map((s) => s.title), ['math.test.mjs', 'math'])
})

test('authoring: the guide shows the reporter that runs', () => {
  const guide = readFileSync(join(root, 'docs/authoring.md'), 'utf8')
  const block = guide.split('```js\n')[1].split('```')[0]
  assert.equal(block, readFileSync(join(root, 'examples/authoring/node-test-reporter.mjs'), 'utf8'))
})
