// `testrelay/host`: the host kit reporter authors build on (docs/authoring.md).
import type { Receipt, Session, SessionEvent, Sources, TestResult } from './index'

export interface ReporterSessionInit {
  /** Reporter options, `qase.config.json` shape. */
  options?: object | null
  /** Where to look for `qase.config.json`, in order (default: the working directory). */
  dirs?: string[]
  /** The environment (default: `process.env`); only `QASE_*` and `TESTRELAY_*` are read. */
  env?: NodeJS.ProcessEnv
  /** Command-line flags, `qase.config.json` shape (above env). */
  cli?: object | null
  /** The runner's name, for the job's name (`vitest`, `mocha`, …). */
  runner?: string
  /** This process's shard of a split run. */
  shard?: { current: number; total: number } | null
  /** A worker whose controller completes the run. */
  worker?: boolean
  /** Where log lines go (default: the console, warnings and errors to stderr). */
  print?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

/**
 * One reporting session: configuration, finished tests in, the receipt out. Never throws into
 * the runner: a binding or configuration it cannot use is said once, and it reports nothing.
 */
export declare class ReporterSession {
  constructor(init?: ReporterSessionInit)
  /** The run id, once the run is created or checked. */
  readonly runId: number | null
  /** This job's name in its receipt. */
  readonly job: string
  /** The resolved mode (`testops`, `report`, `off`; `off` when reporting could not start). */
  readonly mode: 'testops' | 'report' | 'off'
  /** Runs `fn` when the process exits before `end`, before the kit ends the session (hand over held tests there). */
  onExit(fn: () => void): void
  /** One finished test; handed to the core in batches. */
  add(result: TestResult): void
  /** Many finished tests in one crossing. */
  addMany(results: TestResult[]): void
  /** Hands the buffered tests to the core now. */
  flush(): void
  /** The test run was interrupted: the run will be left open. */
  interrupted(): void
  /** Flushes, waits for the uploads (bounded by the core), writes the job receipt; `null` after a bug. */
  end(counts?: { expectedTests?: number | null; testsReported?: number | null; ignored?: number }): Promise<Receipt | null>
}

/** The loop under `ReporterSession`: performs a session's actions, for hosts that drive a `Session` themselves. */
export declare class Host {
  constructor(session: Session, options?: { print?: (level: string, message: string) => void; fetch?: typeof fetch })
  readonly finished: Promise<Receipt | null>
  handle(event: SessionEvent): void
  addResults(results: TestResult[]): void
  drain(): void
}

/** The configuration sources as every testrelay reporter reads them. */
export declare function collectSources(options: object | null, context?: { dirs?: string[]; cwd?: string; env?: NodeJS.ProcessEnv; cli?: object | null }): Sources

/** Writes the files of a `write_files` action; the event to feed back. */
export declare function writeFiles(action: { request_id: number; dir: string; files: { path: string; content: string; source?: string; encoding?: 'base64' }[] }): SessionEvent
