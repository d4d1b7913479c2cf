import { Level, Status } from "./rule";
import { SubjectCover } from "./subjects";

/** Why a finding is suppressed: the reason written where the exception was granted. */
export interface FindingSuppression {
  /** The written reason, shown in every report. */
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the exception holds, when it has one. */
  readonly expires?: string;
  /**
   * Where the exception came from: `construct` for `Suppressions.add` (a construct path and its
   * children), `label` for a live or synthesized container's
   * `io.hardened-docker.relaxation.<kind>.rules` label.
   */
  readonly source: "construct" | "label";
  /** The construct path the suppression was added on, or the relaxation label's key. */
  readonly scope: string;
  /** The values the exception names, which are all it waives; absent for a whole-rule one. */
  readonly covers?: SubjectCover;
}

/**
 * The outcome of one rule for one resource, after levels and suppressions apply. Every rule that
 * applies to a resource yields one finding, passes included, so a report shows what was checked
 * and not only what failed.
 */
export interface Finding {
  /** `CIS-5.5`, `HD-LOG-ROTATION`, `HD-SUPPRESSION-EXPIRED`, ... */
  readonly ruleId: string;
  readonly title: string;
  /** The rule's level after `levels` overrides. */
  readonly level: Level;
  readonly status: Status;
  /** `docker_container.<name>` (synthesized) or `container:/<name>` (live). */
  readonly resource: string;
  /** The construct path that produced the resource, when known. */
  readonly constructPath?: string;
  /** One sentence on what was seen. */
  readonly message: string;
  /** What to do, naming the HardenedContainer prop or relaxation that fixes it. */
  readonly remediation: string;
  /** Present when `status` is `suppressed`. */
  readonly suppression?: FindingSuppression;
  /** The stack the resource belongs to, when the input held several. */
  readonly stack?: string;
  /** The synthesized file (e.g. `cdktf.out/stacks/web/cdk.tf.json`) the resource is defined in. */
  readonly file?: string;
}

/**
 * Where an exception comes from and what it names, for every report: `label
 * io.hardened-docker.relaxation.addCapabilities naming capability "NET_ADMIN"` or `construct
 * app/web (whole rule)`.
 */
export function describeWaiver(s: FindingSuppression): string {
  const where = s.source === "label" ? `label ${s.scope}` : `construct ${s.scope}`;
  const what =
    s.covers === undefined
      ? "whole rule"
      : `naming ${s.covers.kind} ${s.covers.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where} (${what})`;
}

/** Levels from most to least severe. */
export const LEVELS: readonly Level[] = ["error", "warning", "info"];

/** True when `level` is at least as severe as `threshold`. */
export function isAtLeast(level: Level, threshold: Level): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);
}

/** Options of {@link blockingFindings}. */
export interface BlockingOptions {
  /**
   * The least severe level that blocks.
   * @default "error" — an error-level finding is what the CIS benchmark scores as a failure;
   * warnings are reported but do not stop a deployment unless asked.
   */
  readonly failOn?: Level;
  /**
   * Also block on `unknown` findings (a value only known at apply time, or a rule that could not
   * run) at or above `failOn`.
   * @default false — unknowns are always listed in every report, but the contract of the audit
   * is "exit 1 when an unsuppressed error-level finding fails".
   */
  readonly failOnUnknown?: boolean;
}

/**
 * The findings that should stop a deployment: unsuppressed failures (and, when asked, unknowns)
 * at or above the `failOn` level. Suppressed findings never block: their reason is in the report.
 */
export function blockingFindings(
  findings: readonly Finding[],
  options: BlockingOptions = {},
): Finding[] {
  const failOn = options.failOn ?? "error";
  return findings.filter(
    (f) =>
      isAtLeast(f.level, failOn) &&
      (f.status === "fail" || (options.failOnUnknown === true && f.status === "unknown")),
  );
}

/** Counts per status, for summaries. */
export function countByStatus(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = {
    pass: 0,
    fail: 0,
    unknown: 0,
    suppressed: 0,
    "not-applicable": 0,
  };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}
