// Types of `testrelay/playwright`: the reporter (default export) and the `qase` helpers called
// inside tests (lib/qase.js), with the call shapes of playwright-qase-reporter's.
import type { Reporter } from '@playwright/test/reporter'

/** What `qase.attach` takes: files by path, or content under a name. */
export type QaseAttachment =
  | { paths: string | string[]; contentType?: string; type?: string }
  | { name?: string; content: string | Uint8Array; contentType?: string; type?: string }

/** What a test says about itself; every call but `step` returns `qase` again, so calls chain. */
export interface QaseHelpers {
  /** The test title with case ids: `test(qase(12, 'logs in'), …)` → `logs in (Qase ID: 12)`. */
  (caseId: number | string | Array<number | string>, name: string): string
  /** Case ids of this test; `QaseID` annotations win. */
  id(value: number | number[]): QaseHelpers
  /** Parameters (values become strings); they enter the signature. */
  parameters(values: Record<string, unknown>): QaseHelpers
  /** Parameters sent as one parameter group. */
  groupParameters(values: Record<string, unknown>): QaseHelpers
  /** Result fields: description, severity, priority, layer, custom ones. */
  fields(values: Record<string, unknown>): QaseHelpers
  /** A comment, sent as the result's message before the error message. */
  comment(text: string): QaseHelpers
  /** The title reported instead of the test's own (the signature stays the test's own). */
  title(text: string): QaseHelpers
  /** The suite reported instead of the describe path; `\t` separates nested suites. */
  suite(text: string): QaseHelpers
  /** Leaves this result out of the report; the test still runs. */
  ignore(): QaseHelpers
  /** Attaches files (`{ paths }`) or content (`{ name, content, contentType }`). */
  attach(attachment: QaseAttachment): QaseHelpers
  /** A step title with an expected result and data, for `test.step(qase.step(…), body)`. */
  step(action: string, expectedResult?: string, data?: string): string
  /** Runs `body` as one `test.step` whose title carries the expected result and data. */
  step<T>(action: string, body: () => T | Promise<T>, expectedResult?: string, data?: string): Promise<T>
}

export declare const qase: QaseHelpers

/** Reporter options: the `qase.config.json` shape (SPEC §4). */
export type TestrelayReporterOptions = Record<string, unknown>

declare class TestrelayReporter implements Reporter {
  constructor(options?: TestrelayReporterOptions)
}
export default TestrelayReporter
