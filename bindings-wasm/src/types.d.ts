/** A built-in result status. */
export type Status = "passed" | "failed" | "invalid" | "skipped" | "blocked";
export type Polarity = "positive" | "negative";
export interface Warning { code: string; level: "warning" | "note"; key: string; message: string }
export interface ErrorInfo {
  type?: string | null; chain?: string[]; module?: string | null; message?: string | null;
  stack?: string | null; matcher?: boolean;
}
export interface Outcome {
  framework?: string; runner_status?: string | null; phase?: "setup" | "call" | "teardown";
  expected_status?: Status | null; strict?: boolean; error?: ErrorInfo | null;
  errors?: ErrorInfo[]; element?: "failure" | "error" | "skipped" | null;
}
export interface Policy { phase_rule?: boolean; assertion_types?: string[]; assertion_packages?: string[] }
export interface Verdict { status: Status; rule: string; evidence: string }
export interface MappingParsed { mapping: Record<string, Status>; warnings: Warning[] }
export interface FilterParsed { filter: Status[]; warnings: Warning[] }
export interface PipelineInput { mapping?: Record<string, string> | null; filter?: string[] | null; statuses: string[] }
export interface PipelineOutput { statuses: (Status | null)[]; trace: string[]; warnings: Warning[] }
export interface BatchPlan { batches: number[]; warnings: Warning[] }
export interface LinksInput {
  app: string; project: string; run_id: number;
  result: { testops_ids?: number[] | null; title?: string; status: Status | null };
}
export interface RunResult { status: string; muted?: boolean }
export interface TestResult {
  title: string; suite?: string[]; testops_ids?: number[] | null; node_id?: string | null;
  outcome: Outcome; started_at?: number | null; duration?: number | null;
  params?: Record<string, string>; param_groups?: string[][]; fields?: Record<string, string>;
  steps?: unknown[]; attachments?: { name: string; content_type?: string | null; path?: string | null; content?: string | null }[];
  message?: string | null; attempt?: number; muted?: boolean; thread?: string | null;
  signature_path?: string[] | null;
}
export interface PreviewSettings {
  mapping?: string | Record<string, string> | null; filter?: string | string[] | null;
  batch_size?: number | null; app?: string | null; project?: string | null; run_id?: number | null;
  run_complete?: boolean | null; batch_bytes?: number | null;
  policy?: Policy; cases?: Record<string, unknown>[] | null;
  matching?: { auto_create?: boolean; create_from?: "passed" | "all"; [key: string]: unknown };
}
export interface Imported { results: TestResult[]; warnings: Warning[] }
export interface PreviewTest {
  title: string; suite: string[]; case_ids: number[]; status: Status; rule: string;
  evidence: string; reported: Status | null; mapped: boolean; filtered: boolean; links: string[];
  started_at: number | null; duration: number | null;
  /** With a snapshot, for a reported test: `{decision: "linked" | "create" | "caseless", display_title, …}`. */
  matching: Record<string, any> | null;
}
/** One request or file write of the simulated session. */
export interface PlannedStep {
  action: "create_run" | "check_run" | "get_configurations" | "create_configuration_group"
    | "create_configuration" | "upload_attachment" | "upload_results" | "complete_run"
    | "save_fallback" | "write_report";
  method: string; path: string; results: number | null; bytes: number;
}
/** What the run session would do with the previewed results (every request answered with success). */
export interface SessionPlan {
  now: number; steps: PlannedStep[]; uploads: number[]; left_open: string | null;
  log: { level: "debug" | "info" | "warn" | "error"; message: string }[];
  receipt: {
    run_id: number | null; run_created: boolean; mode: "testops" | "report" | "off";
    results_seen: number; filtered: number; sent: number; acknowledged: number; retried: number;
    in_fallback: number; reported: number; lost: number; completed: boolean;
    fallback_dir: string | null; summary: string;
  };
}
export interface Preview {
  tests: PreviewTest[]; counts: Record<Status, number>; filtered: number; mapped: number;
  run_status: Status; batch_size: number; batches: number[]; warnings: Warning[];
  session: SessionPlan | null;
  matching: { new_cases: Record<string, any>[]; updates: Record<string, any>[];
    totals: { link: number; create: number; update: number; caseless: number; new_cases: number } } | null;
}
export interface Sources {
  options?: Record<string, unknown> | null; file?: string | null;
  env?: Record<string, string> | null; cli?: Record<string, unknown> | null;
}
/** The resolved configuration (camelCase keys as in `qase.config.json`; the token is `***`). */
export interface ConfigResolved { config: Record<string, unknown>; warnings: Warning[] }
export interface JobFacts { env_job?: string | null; shard?: { current: number; total: number } | null; runner: string; instance: string }
export interface SessionOptions { instance: string; shard?: { current: number; total: number } | null; receipts?: boolean; worker?: boolean }
