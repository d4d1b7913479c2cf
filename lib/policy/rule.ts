import { ContainerModel } from "./model";

export type Level = "error" | "warning" | "info";
export type Status = "pass" | "fail" | "unknown" | "suppressed" | "not-applicable";

/** What a rule's check returns for one container, before levels and suppressions apply. */
export interface Verdict {
  readonly status: "pass" | "fail" | "unknown" | "not-applicable";
  /** One sentence on what was seen, e.g. `"privileged is true"`. */
  readonly message: string;
}

/** Facts about where the rules run that a container's own configuration does not hold. */
export interface RuleContext {
  /** "Now", from the injectable clock. */
  readonly now: Date;
  /** Registries/repositories images may come from (prefixes); undefined: no allowlist set. */
  readonly trustedRegistries?: readonly string[];
  /** Whether the host enforces AppArmor / SELinux; undefined when unknown (synthesized input). */
  readonly hostHasAppArmor?: boolean;
  readonly hostHasSELinux?: boolean;
}

/** One rule: its metadata and a pure function of the normalized model. */
export interface Rule {
  /** `CIS-5.4`, `HD-LOG-ROTATION`, ... */
  readonly id: string;
  readonly title: string;
  readonly level: Level;
  readonly rationale: string;
  /** What to do, naming the HardenedContainer prop (or relaxation) that fixes it. */
  readonly remediation: string;
  /** What the rule cannot see from its input (shown in docs/policy-rules.md). */
  readonly blindSpots?: string;
  readonly check: (container: ContainerModel, context: RuleContext) => Verdict;
}
