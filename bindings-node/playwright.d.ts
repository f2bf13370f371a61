// Types of `testrelay/playwright`: the reporter (default export) and the `qase` helpers called
// inside tests (lib/qase.js).
import type { Reporter } from '@playwright/test/reporter'

/** What a test says about itself; every call returns `qase` again, so calls chain. */
export interface QaseHelpers {
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
}

export declare const qase: QaseHelpers

/** Reporter options: the `qase.config.json` shape (SPEC §4). */
export type TestrelayReporterOptions = Record<string, unknown>

declare class TestrelayReporter implements Reporter {
  constructor(options?: TestrelayReporterOptions)
}
export default TestrelayReporter
