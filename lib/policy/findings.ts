import { Level, Status } from "./rule";
import { SubjectCover } from "./subjects";
import type { WaiverSource } from "./suppressions";

/** Why a finding is suppressed: the reason written where the exception was granted. */
export interface FindingSuppression {
  /** The written reason, shown in every report. */
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the exception holds, when it has one. */
  readonly expires?: string;
  /**
   * Who wrote the exception: `construct` (`Suppressions.add`), `relaxation` (a `Relax.*` on the
   * construct), `label` (a container's relaxation labels) or `carrier` (the `//` JSON on the
   * resource in synthesized Terraform).
   */
  readonly source: WaiverSource;
  /** Where it sits: the construct path, the relaxation label's key or the resource address. */
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
  /** The Docker Engine the resource lives on (`audit --host`): a URL or `context <name>`. */
  readonly engine?: string;
  /** The stack the resource belongs to, when the input held several. */
  readonly stack?: string;
  /** The synthesized file (e.g. `cdktf.out/stacks/web/cdk.tf.json`) the resource is defined in. */
  readonly file?: string;
  /** The 1-based line of `file` where the resource's body starts, when known. */
  readonly line?: number;
}

/**
 * The resource and the engine it lives on, as reports name a live finding: `container:/web on
 * unix:///var/run/docker.sock`. An engine's own finding (`engine:...`) or one with no engine
 * (synthesized) is its resource alone.
 */
export function resourceOnEngine(f: Pick<Finding, "resource" | "engine">): string {
  const engine = engineBesideResource(f);
  return engine !== undefined ? `${f.resource} on ${engine}` : f.resource;
}

/** The engine a finding's resource lives on, unless the resource is that engine (`engine:...`). */
export function engineBesideResource(f: Pick<Finding, "resource" | "engine">): string | undefined {
  return f.resource.startsWith("engine:") ? undefined : f.engine;
}

/**
 * Where an exception comes from and what it names, for every report: `label
 * io.hardened-docker.relaxation.addCapabilities naming capability "NET_ADMIN"` or `construct
 * app/web (whole rule)`.
 */
export function describeWaiver(s: Pick<FindingSuppression, "source" | "scope" | "covers">): string {
  const where =
    s.source === "label"
      ? `label ${s.scope}`
      : s.source === "carrier"
        ? `"//" carrier on ${s.scope}`
        : s.source === "relaxation"
          ? `relaxation on ${s.scope}`
          : `construct ${s.scope}`;
  const what =
    s.covers === undefined
      ? "whole rule"
      : `naming ${s.covers.kind} ${s.covers.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where} (${what})`;
}

/**
 * One waiver as a report lists it, at the top of every report: each waiver that applies to a
 * resource, honoured or refused, and every relaxation a container records even when it waives no
 * rule or its rule passed.
 */
export interface WaiverEntry {
  /** The rule it waives; absent for a relaxation that waives no rule (recorded for review). */
  readonly ruleId?: string;
  /** The resource it was judged against. */
  readonly resource: string;
  readonly constructPath?: string;
  readonly stack?: string;
  readonly reason: string;
  readonly expires?: string;
  /** Who wrote it and where it sits. */
  readonly source: WaiverSource;
  readonly scope: string;
  /** The values it names; absent: the whole rule. */
  readonly covers?: SubjectCover;
  /** `honoured`: it applies; `refused`: it does not (see `why`). */
  readonly status: "honoured" | "refused";
  /** Why it was refused: the team policy, its expiry. */
  readonly why?: string;
  /** For an honoured waiver: whether it suppressed a failing finding in this run. */
  readonly used: boolean;
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
   * Let `unknown` findings (a value only known at apply time, a block generated by `dynamic`,
   * a module not read, a rule that could not run) through instead of blocking on them.
   * @default false — a gate that cannot read a value must not pass it: unknowns at or above
   * `failOn` block like failures. When set, reports say how many were let through.
   */
  readonly allowUnknown?: boolean;
}

/**
 * The findings that should stop a deployment: unsuppressed failures and unknowns at or above
 * the `failOn` level (unknowns not with `allowUnknown`). Suppressed findings never block: their
 * reason is in the report.
 */
export function blockingFindings(
  findings: readonly Finding[],
  options: BlockingOptions = {},
): Finding[] {
  const failOn = options.failOn ?? "error";
  return findings.filter(
    (f) =>
      isAtLeast(f.level, failOn) &&
      (f.status === "fail" || (options.allowUnknown !== true && f.status === "unknown")),
  );
}

/** The unknown findings that would block but were let through with `allowUnknown`. */
export function unknownsLetThrough(
  findings: readonly Finding[],
  options: BlockingOptions = {},
): Finding[] {
  if (options.allowUnknown !== true) return [];
  const failOn = options.failOn ?? "error";
  return findings.filter((f) => f.status === "unknown" && isAtLeast(f.level, failOn));
}

/** The report line for unknowns let through, or undefined when there are none. */
export function letThroughNotice(
  findings: readonly Finding[],
  options: BlockingOptions = {},
): string | undefined {
  const count = unknownsLetThrough(findings, options).length;
  if (count === 0) return undefined;
  return (
    `${count} unknown finding${count === 1 ? " was" : "s were"} let through at level ` +
    `${options.failOn ?? "error"} or above (allowUnknown / --allow-unknown): what they ` +
    `concern was not checked`
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
