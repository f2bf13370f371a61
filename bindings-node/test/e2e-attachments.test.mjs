// End to end of attachments through the Playwright reporter: testops mode against the local
// Qase API server (tests/server, fake-qase) — uploaded first, their hashes in the results;
// a failing attachment endpoint never loses a result — and report mode (copied into the
// report's attachments/ folder, listed in the result files).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeQase } from '../../tests/server/client/fake_qase.mjs'
import { tempDir } from '../../tests/temp-dirs.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const TOKEN = 'e2e-secret-token-a77c'
const server = await startFakeQase({ token: TOKEN, projects: ['DEMO'] })
after(() => server.stop())

function run(env) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_')))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'test/fixtures/attachments/playwright.config.mjs'], {
      cwd: pkg,
      env: { ...clean, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', FORCE_COLOR: '0', TESTRELAY_PW_OUTPUT: tempDir('pw-out-'), ...env },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
}

const testops = (report) => ({
  QASE_MODE: 'testops',
  QASE_TESTOPS_API_TOKEN: TOKEN,
  QASE_TESTOPS_API_HOST: server.url,
  QASE_TESTOPS_PROJECT: 'DEMO',
  QASE_REPORT_CONNECTION_PATH: report,
})

test('attachments are uploaded before their result, which carries their hashes', async () => {
  await server.reset()
  const { code, out } = await run(testops(tempDir('fallback-')))
  assert.equal(code, 0, out)
  assert.ok(!out.includes(TOKEN))
  const state = await server.state()
  assert.deepEqual(state.attachments.map((a) => [a.filename, a.mime, a.size]).sort(), [
    ['data.json', 'application/json', 7],
    ['notes.txt', 'text/plain', 16],
  ])
  const [runState] = state.runs
  const byTitle = Object.fromEntries(runState.results.map((r) => [r.payload.title, r.payload]))
  assert.deepEqual([...byTitle['attaches a file and a body'].attachments].sort(), state.attachments.map((a) => a.hash).sort())
  assert.equal(byTitle['attaches nothing'].attachments, undefined)
  assert.equal(runState.unknown_attachments, 0)
  assert.ok(runState.completed)
  // Both attachments went up before the upload request that carried their result.
  const attachmentSeqs = state.requests.filter((r) => r.endpoint === 'attachment').map((r) => r.seq)
  const carrier = runState.results.find((r) => r.payload.title === 'attaches a file and a body').request
  assert.equal(attachmentSeqs.length, 2)
  assert.ok(Math.max(...attachmentSeqs) < carrier, `${attachmentSeqs} then ${carrier}`)
})

test('a failing attachment endpoint sends the results without their attachments', async () => {
  await server.reset()
  await server.setFaults({ attachment: { error: { probability: 1, status: 500 } } })
  const fallback = tempDir('fallback-')
  const { code, out } = await run({ ...testops(fallback), QASE_TESTOPS_UPLOADS_RETRIES: '1' })
  assert.equal(code, 0, out)
  assert.match(out, /attachment notes\.txt could not be uploaded/)
  const [runState] = (await server.state()).runs
  assert.equal(runState.results.length, 2)
  assert.ok(runState.results.every((r) => r.payload.attachments === undefined))
  assert.ok(runState.completed)
  assert.deepEqual(readdirSync(fallback), [])
})

test('with uploadAttachments off, no attachment request reaches the server and the results still do', async () => {
  await server.reset()
  const { code, out } = await run({ ...testops(tempDir('fallback-')), QASE_TESTOPS_UPLOAD_ATTACHMENTS: 'false' })
  assert.equal(code, 0, out)
  assert.match(out, /attachments stay local: testops\.uploadAttachments is false/)
  const state = await server.state()
  assert.deepEqual(state.requests.filter((r) => r.endpoint === 'attachment'), [])
  assert.deepEqual(state.attachments, [])
  const [runState] = state.runs
  assert.equal(runState.results.length, 2)
  assert.ok(runState.results.every((r) => r.payload.attachments === undefined))
  assert.ok(runState.completed)
})

test('report mode copies attachments into the report and lists them in the result', async () => {
  const report = tempDir('report-')
  const { code, out } = await run({ QASE_MODE: 'report', QASE_REPORT_CONNECTION_PATH: report })
  assert.equal(code, 0, out)
  const results = readdirSync(join(report, 'results')).map((f) => JSON.parse(readFileSync(join(report, 'results', f), 'utf8')))
  const attached = results.find((r) => r.title === 'attaches a file and a body')
  assert.equal(attached.attachments.length, 2)
  const contents = attached.attachments.map((a) => [a.file_name, a.mime_type, readFileSync(join(report, a.file_path), 'utf8')]).sort()
  assert.deepEqual(contents, [
    ['data.json', 'application/json', '{"k":1}'],
    ['notes.txt', 'text/plain', 'file attachment\n'],
  ])
})
