// The npm package testrelay-wasm as a user meets it: a fresh project in the temp folder
// installs it from its packed tarball alone (TESTRELAY_ARTIFACTS: the folder
// bindings-wasm/npm/pack.sh wrote), with TypeScript and playwright-core from the registry.
// Both entry points answer in Node, their types check under the bundler and Node
// resolutions, and in a browser (CHROMIUM: the executable; without it that test is skipped)
// the default `init()` fetches the module beside the glue. Run by scripts/test.d/85-artifacts.sh
// and the release workflow.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { tempDir } from '../temp-dirs.mjs'
import { serve } from '../../bindings-wasm/scripts/serve.mjs'

const artifacts = process.env.TESTRELAY_ARTIFACTS
const TYPESCRIPT = '6.0.3' // as bindings-node's lockfile has it
const PLAYWRIGHT = '1.65.1'
// One test per status the preview decides; the TypeError is `invalid`, mapped to `failed`.
const JUNIT = `<testsuite name="cart" tests="4">
  <testcase classname="cart" name="adds (Qase ID: 7)"/>
  <testcase classname="cart" name="totals"><failure type="AssertionError" message="expected 7">at cart.js:3</failure></testcase>
  <testcase classname="cart" name="reads a price"><error type="TypeError" message="undefined">at cart.js:9</error></testcase>
  <testcase classname="cart" name="pays"><skipped/></testcase>
</testsuite>`
const SETTINGS = { mapping: { invalid: 'failed' }, app: 'https://app.example', project: 'DEMO' }
const EXPECTED = [['adds', 'passed', [7]], ['totals', 'failed', []], ['reads a price', 'failed', []], ['pays', 'skipped', []]]

let project
let site

function run(command, args) {
  const shell = process.platform === 'win32' && command === 'npm'
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }
  delete env.NODE_PATH
  const r = spawnSync(command, args, { cwd: project, env, encoding: 'utf8', shell, timeout: 300_000 })
  if (r.error) throw r.error
  return r
}

/** What a preview says per test: [title, status after mapping, case ids]. */
const summary = (preview) => preview.tests.map((t) => [t.title, t.reported, t.case_ids])

before(() => {
  assert.ok(artifacts, 'TESTRELAY_ARTIFACTS must name the folder of the packed tarball')
  const tarball = readdirSync(artifacts).find((f) => /^testrelay-wasm-.+\.tgz$/.test(f))
  assert.ok(tarball, `no testrelay-wasm-<version>.tgz in ${artifacts}`)
  project = tempDir('testrelay-wasm-')
  copyFileSync(join(artifacts, tarball), join(project, tarball))
  writeFileSync(join(project, 'package.json'), JSON.stringify({
    name: 'artifact-check',
    private: true,
    type: 'module',
    dependencies: { 'testrelay-wasm': `file:${tarball}`, typescript: TYPESCRIPT, 'playwright-core': PLAYWRIGHT },
  }, null, 2))
  const r = run('npm', ['install', '--no-audit', '--no-fund'])
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

after(() => site?.close())

test('the web build answers in Node once given its module bytes; without the session plan', () => {
  const script = `
    import { readFileSync } from 'node:fs'
    import { createRequire } from 'node:module'
    import { initSync, previewReport } from 'testrelay-wasm'
    const wasm = createRequire(import.meta.url).resolve('testrelay-wasm/web/testrelay_wasm_bg.wasm')
    initSync({ module: readFileSync(wasm) })
    console.log(JSON.stringify(previewReport(process.argv[1], ${JSON.stringify(SETTINGS)})))`
  const r = run(process.execPath, ['--input-type=module', '-e', script, JUNIT])
  assert.equal(r.status, 0, r.stderr)
  const preview = JSON.parse(r.stdout)
  assert.deepEqual(summary(preview), EXPECTED)
  assert.equal(preview.session, null)
})

test('testrelay-wasm/session plans the session', () => {
  const script = `
    import { readFileSync } from 'node:fs'
    import { createRequire } from 'node:module'
    import { initSync, previewReport } from 'testrelay-wasm/session'
    const wasm = createRequire(import.meta.url).resolve('testrelay-wasm/web-session/testrelay_wasm_bg.wasm')
    initSync({ module: readFileSync(wasm) })
    console.log(JSON.stringify(previewReport(process.argv[1], ${JSON.stringify(SETTINGS)})))`
  const r = run(process.execPath, ['--input-type=module', '-e', script, JUNIT])
  assert.equal(r.status, 0, r.stderr)
  const planned = JSON.parse(r.stdout)
  assert.deepEqual(summary(planned), EXPECTED)
  assert.deepEqual(planned.session.steps.map((s) => s.action), ['create_run', 'upload_results', 'complete_run'])
})

test('the types check under the bundler and the Node resolutions', () => {
  writeFileSync(join(project, 'check.ts'), `
    import init, { previewReport, type Preview, type PreviewSettings } from 'testrelay-wasm'
    import { previewReport as withSession } from 'testrelay-wasm/session'
    const settings: PreviewSettings = { mapping: { invalid: 'failed' }, project: 'DEMO' }
    export async function failures(text: string): Promise<number> {
      await init()
      const preview: Preview = previewReport(text, settings)
      const steps = withSession(text, settings).session?.steps.length ?? 0
      return preview.counts.failed + steps
    }
    // @ts-expect-error: counts are numbers, so the types are real, not \`any\`
    export const wrong: string = previewReport('', null).counts.passed
  `)
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc')
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', 'check.ts']
  for (const resolution of [['--module', 'esnext', '--moduleResolution', 'bundler'], ['--module', 'nodenext', '--moduleResolution', 'nodenext']]) {
    const r = run(process.execPath, [tsc, ...resolution, ...common])
    assert.equal(r.status, 0, `tsc ${resolution.join(' ')}:\n${r.stdout}${r.stderr}`)
  }
})

test('in a browser, init() fetches the module beside the glue', { skip: !process.env.CHROMIUM && 'CHROMIUM is not set' }, async () => {
  const page = join(project, 'page')
  mkdirSync(page)
  writeFileSync(join(page, 'index.html'), `<!doctype html>
    <script type="importmap">{ "imports": { "testrelay-wasm": "/node_modules/testrelay-wasm/web/testrelay_wasm.js" } }</script>
    <script type="module">
      import init, { previewReport } from 'testrelay-wasm'
      await init()
      window.preview = previewReport(${JSON.stringify(JUNIT)}, ${JSON.stringify(SETTINGS)})
    </script>`)
  site = await serve(project)
  const { chromium } = await import(pathToFileURL(join(project, 'node_modules', 'playwright-core', 'index.mjs')).href)
  const context = await chromium.launchPersistentContext(tempDir('testrelay-wasm-chromium-'), {
    executablePath: process.env.CHROMIUM, headless: true,
  })
  try {
    const tab = context.pages()[0] ?? (await context.newPage())
    const errors = []
    tab.on('pageerror', (e) => errors.push(e.message))
    await tab.goto(`${site.url}page/`)
    await tab.waitForFunction(() => window.preview, null, { timeout: 30_000 })
    assert.deepEqual(summary(await tab.evaluate(() => window.preview)), EXPECTED)
    assert.deepEqual(errors, [])
    assert.ok(site.requests.includes('/node_modules/testrelay-wasm/web/testrelay_wasm_bg.wasm'), site.requests.join(' '))
  } finally {
    await context.close()
  }
})
