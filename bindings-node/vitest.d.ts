// Types of `testrelay/vitest`: the reporter (default export) and the `qase` helpers called inside
// tests (docs/vitest.md).
import type { Reporter } from 'vitest/reporters'
import type { TestContext } from 'vitest'

/** What a test says about itself; every call returns the helpers again, so calls chain. */
export interface QaseTestHelpers {
  /** Case ids of this test; they win over ids in the title. */
  id(value: number | string | Array<number | string>): QaseTestHelpers
  /** The title reported instead of the test's own (the signature stays the test's own). */
  title(text: string): QaseTestHelpers
  /** The suite reported instead of file and describe blocks; `\t` separates levels. */
  suite(text: string): QaseTestHelpers
  /** Result fields: description, severity, priority, layer, custom ones (values become strings). */
  fields(values: Record<string, unknown>): QaseTestHelpers
  /** Parameters (values become strings); they enter the signature. */
  parameters(values: Record<string, unknown>): QaseTestHelpers
  /** Parameters sent as one parameter group; they do not enter the signature. */
  groupParameters(values: Record<string, unknown>): QaseTestHelpers
  /** A comment, sent as the result's message before the error message. */
  comment(text: string): QaseTestHelpers
  /** Leaves this result out of the report; the test still runs. */
  ignore(): QaseTestHelpers
}

export interface Qase {
  /** The test title with case ids: `test(qase(7, 'logs in'), …)` → `logs in (Qase ID: 7)`. */
  (caseId: number | string | Array<number | string>, name: string): string
  /** The helpers bound to a test, given its context or its task (`({ task }) => qase.with(task)`). */
  with(target: TestContext | { meta: object }): QaseTestHelpers
}

export declare const qase: Qase

/** A test function whose context carries `qase`, the helpers bound to the test. */
export declare function withQase<C extends TestContext, R>(fn: (context: C & { qase: QaseTestHelpers }) => R): (context: C) => R

/** Reporter options: the `qase.config.json` shape (SPEC §4). */
export type TestrelayVitestReporterOptions = Record<string, unknown>

declare class TestrelayVitestReporter implements Reporter {
  constructor(options?: TestrelayVitestReporterOptions)
}
export { TestrelayVitestReporter }
export default TestrelayVitestReporter

// The `task.meta` keys the reporter reads; the helpers write them, and a suite may set them
// itself (`test('x', { meta: { qaseId: 7 } }, …)`).
declare module '@vitest/runner' {
  interface TaskMeta {
    qaseId?: number | string | Array<number | string>
    qaseTitle?: string
    qaseSuite?: string
    qaseFields?: Record<string, string>
    qaseParameters?: Record<string, string>
    qaseGroupParameters?: Record<string, string>
    qaseComment?: string
    qaseIgnore?: boolean
  }
}
