// The npm packages as a user meets them: a fresh project in the temp folder installs `testrelay`
// from the packed tarballs alone (TESTRELAY_ARTIFACTS: the folder bindings-node/npm/pack.sh
// wrote) and @playwright/test from the registry; nothing of this repository is on its module
// path. Each platform package is offered through `overrides`, so npm picks the one for this
// machine through the root package's optionalDependencies, as it will from the registry.
// Run on every platform the release supports (.github/workflows/release.yml) and here by
// scripts/test.d/85-artifacts.sh.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../temp-dirs.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const artifacts = process.env.TESTRELAY_ARTIFACTS
const PLAYWRIGHT = '1.65.1' // as bindings-node's devDependency
const PLATFORMS = ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'linux-arm64-musl',
  'darwin-x64', 'darwin-arm64', 'win32-x64-msvc']

/** This machine's platform package suffix, named as napi-rs names it. */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'win32') return `win32-${arch}-msvc`
  if (platform === 'darwin') return `darwin-${arch}`
  const glibc = process.report.getReport().header.glibcVersionRuntime
  return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
}

const platform = platformSuffix()
const packageName = `testrelay-${platform}`

/** The environment of a user's shell: no Qase settings, nothing that points into the repository. */
function userEnv() {
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }
  for (const key of Object.keys(env)) {
    if (/^(QASE_|TESTRELAY_|NODE_PATH$|NODE_OPTIONS$|NAPI_RS_)/.test(key)) delete env[key]
  }
  return env
}

function run(command, args, cwd) {
  // npm is a .cmd script on Windows, which only a shell starts.
  const shell = process.platform === 'win32' && command === 'npm'
  const r = spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', shell, timeout: 300_000 })
  if (r.error) throw r.error
  return r
}

function npmInstall(project, extra = []) {
  const r = run('npm', ['install', '--no-audit', '--no-fund', ...extra], project)
  assert.equal(r.status, 0, `npm install failed:\n${r.stdout}\n${r.stderr}`)
}

const node = (project, args) => run(process.execPath, args, project)

let version
let project // the full install
let bare // the same without optional dependencies: no platform package

/** A project folder with the tarballs beside its package.json and `testrelay` depending on them. */
function makeProject(prefix, tarballs) {
  const dir = tempDir(prefix)
  const overrides = {}
  for (const name of PLATFORMS.map((p) => `testrelay-${p}`)) {
    const file = `${name}-${version}.tgz`
    if (tarballs.includes(file)) {
      copyFileSync(join(artifacts, file), join(dir, file))
      overrides[name] = `file:${file}`
    }
  }
  copyFileSync(join(artifacts, `testrelay-${version}.tgz`), join(dir, `testrelay-${version}.tgz`))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'artifact-check',
    private: true,
    dependencies: { testrelay: `file:testrelay-${version}.tgz`, '@playwright/test': PLAYWRIGHT },
    overrides,
  }, null, 2))
  return dir
}

before(() => {
  assert.ok(artifacts, 'TESTRELAY_ARTIFACTS must name the folder of the packed tarballs')
  const tarballs = readdirSync(artifacts)
  const root = tarballs.map((f) => /^testrelay-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.tgz$/.exec(f)).find(Boolean)
  assert.ok(root, `no testrelay-<version>.tgz in ${artifacts}`)
  version = root[1]
  assert.ok(tarballs.includes(`${packageName}-${version}.tgz`), `no ${packageName}-${version}.tgz in ${artifacts}`)
  project = makeProject('testrelay-npm-', tarballs)
  npmInstall(project)
  bare = makeProject('testrelay-npm-bare-', tarballs)
  npmInstall(bare, ['--omit=optional'])
})

test('npm installs the platform package of this machine and no other', () => {
  const installed = readdirSync(join(project, 'node_modules')).filter((n) => n.startsWith('testrelay-'))
  assert.deepEqual(installed, [packageName])
  const files = readdirSync(join(project, 'node_modules', packageName))
  assert.ok(files.includes(`testrelay.${platform}.node`), `${packageName} holds ${files}`)
})

test('the root package holds JavaScript only and names every platform package at its version', () => {
  const root = join(project, 'node_modules', 'testrelay')
  const binaries = readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.node'))
  assert.deepEqual(binaries, [])
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  assert.deepEqual(manifest.optionalDependencies,
    Object.fromEntries(PLATFORMS.map((p) => [`testrelay-${p}`, version])))
})

test('require and import load the binary of the platform package', () => {
  const script = `
    const { classify } = require('testrelay')
    const verdict = classify({ framework: 'pytest', phase: 'call', error: { type: 'AssertionError', chain: ['AssertionError'] } }, null)
    const loaded = process.report.getReport().sharedObjects.filter((f) => f.endsWith('.node'))
    console.log(JSON.stringify({ status: verdict.status, loaded }))`
  const r = node(project, ['-e', script])
  assert.equal(r.status, 0, r.stderr)
  const { status, loaded } = JSON.parse(r.stdout)
  assert.equal(status, 'failed')
  assert.equal(loaded.length, 1, `binaries loaded: ${loaded}`)
  assert.match(loaded[0], new RegExp(`${packageName}[\\\\/]testrelay\\.${platform}\\.node$`))
  const esm = node(project, ['--input-type=module', '-e',
    "import { classify } from 'testrelay'; console.log(classify({ framework: 'pytest', phase: 'call' }, null).status)"])
  assert.equal(esm.status, 0, esm.stderr)
  assert.equal(esm.stdout.trim(), 'passed')
})

test('a Playwright suite through testrelay/playwright in report mode writes the local report', () => {
  cpSync(join(here, 'playwright'), join(project, 'suite'), { recursive: true })
  const suite = join(project, 'suite')
  const r = node(suite, [join(project, 'node_modules', '@playwright', 'test', 'cli.js'), 'test'])
  const output = r.stdout + r.stderr
  assert.equal(r.status, 1, `two tests fail on purpose:\n${output}`) // Playwright's exit code
  assert.doesNotMatch(output, /testrelay: (ERROR|WARN)/)
  const report = join(suite, 'build', 'qase-report')
  assert.ok(existsSync(join(report, 'run.json')), `no run.json in ${report}:\n${output}`)
  const results = readdirSync(join(report, 'results'))
    .map((f) => JSON.parse(readFileSync(join(report, 'results', f), 'utf8')))
  const byTitle = Object.fromEntries(results.map((res) => [res.title, res]))
  assert.deepEqual(Object.fromEntries(results.map((res) => [res.title, res.execution.status])), {
    passes: 'passed',
    'fails an assertion': 'failed',
    'breaks with a TypeError': 'invalid',
    'is skipped': 'skipped',
  })
  assert.deepEqual(byTitle.passes.testops_ids ?? [byTitle.passes.testops_id], [1])
})

test("the package's testrelay command starts", () => {
  const r = node(project, [join(project, 'node_modules', 'testrelay', 'bin', 'testrelay.js')])
  assert.equal(r.status, 2, r.stdout + r.stderr) // bad usage: no command
  assert.match(r.stderr, /usage: testrelay complete-run/)
})

test('without its platform package, loading testrelay fails naming the package to install', () => {
  assert.ok(!existsSync(join(bare, 'node_modules', packageName)))
  for (const args of [['-e', "require('testrelay')"], ['--input-type=module', '-e', "import 'testrelay'"]]) {
    const r = node(bare, args)
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /Cannot find native binding/)
    assert.ok(r.stderr.includes(`Cannot find module '${packageName}'`), r.stderr)
  }
})
