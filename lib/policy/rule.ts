import { ContainerModel } from "./model";
import type { RelaxationKind } from "./relaxations";
import { Subject } from "./subjects";

export type Level = "error" | "warning" | "info";
export type Status = "pass" | "fail" | "unknown" | "suppressed" | "not-applicable";

/** What a rule's check returns for one container, before levels and suppressions apply. */
export interface Verdict {
  readonly status: "pass" | "fail" | "unknown" | "not-applicable";
  /** One sentence on what was seen, e.g. `"privileged is true"`. */
  readonly message: string;
  /**
   * For a failure: the values it is about (capabilities added, host ports, syscalls, paths).
   * A relaxation waives the failure only if it names every one of them; a failure without
   * subjects can only be waived for the whole rule (see `lib/policy/subjects.ts`).
   * @default - none: the failure is about the setting as a whole
   */
  readonly subjects?: readonly Subject[];
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
  /**
   * Signatures of the containers' images, looked up before evaluation when trusted keys are
   * given (`audit --host --trusted-key`); undefined: no key given (HD-IMAGE-SIGNED not applicable).
   */
  readonly imageSignatures?: ImageSignatureFacts;
}

/** The outcome of the signature look-ups, by container resource. */
export interface ImageSignatureFacts {
  /** Fingerprints of the trusted keys. */
  readonly keys: readonly string[];
  /** `signed` undefined: the look-up failed (registry unreachable), with the reason. */
  readonly byResource: ReadonlyMap<string, { readonly signed?: boolean; readonly message: string }>;
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
  /**
   * The relaxations (`Relax.*`) that may waive this rule, each only for the values it names.
   * The rule holds the map; `RELAXATION_WAIVES` is read from the pack.
   * @default - none: no relaxation waives the rule
   */
  readonly waivedBy?: readonly RelaxationKind[];
  readonly check: (container: ContainerModel, context: RuleContext) => Verdict;
}
