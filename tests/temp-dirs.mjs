// Temporary folders of one test file (Node's test runner gives each file its own process): all
// removed when the process ends with every test passed; kept after a failure, or with
// TESTRELAY_KEEP=1, for a look. Without it each run of the tests left its folders behind.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made = []
process.on('exit', (code) => {
  if (code !== 0 || process.env.TESTRELAY_KEEP) return
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A fresh folder named `prefix` + random characters, in `base` (the system's temp folder). */
export function tempDir(prefix, base = tmpdir()) {
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, prefix))
  made.push(dir)
  return dir
}
