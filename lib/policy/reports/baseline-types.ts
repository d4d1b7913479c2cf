import type { Finding } from "../findings";

/**
 * The shapes of a comparison with a previous report, apart from the comparison itself
 * (baseline.ts), so the JSON and HTML writers can name them without importing the code that
 * reads a report (which imports the JSON writer's schema): no circle among the reports.
 */

/** A finding of the previous report, as much of it as the comparison shows. */
export interface BaselineFinding {
  readonly ruleId: string;
  readonly resource: string;
  readonly engine?: string;
  readonly level: string;
  readonly status: string;
  readonly message: string;
  readonly title?: string;
}

/** One engine's changes. */
export interface EngineChanges {
  /** The engine's name; `""` for findings without one (a report of one unnamed engine). */
  readonly engine: string;
  readonly new: readonly Finding[];
  readonly fixed: readonly BaselineFinding[];
  readonly unchanged: readonly Finding[];
  /** Old problems on an engine not reached this time: neither fixed nor still there, unknown. */
  readonly unverified: readonly BaselineFinding[];
}

/** The comparison with a previous report. */
export interface BaselineComparison {
  /** Where the previous report came from (shown in reports). */
  readonly source: string;
  readonly engines: readonly EngineChanges[];
  /** `new` or `unchanged` for each current problem finding. */
  readonly changes: ReadonlyMap<Finding, "new" | "unchanged">;
}
