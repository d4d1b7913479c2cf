import {
  RELAXATION_SUBJECT,
  RELAXATION_WAIVES,
  Relaxation,
  RelaxationKind,
  relaxationNames,
  relaxationSchema,
} from "./relaxations";
import { RELAXATION_LABEL_PREFIX } from "./facts/labels";

/**
 * The one codec for reasoned exceptions recorded as labels: the constructs encode their
 * relaxations with it, and the policy engine, the host inventory and drift decode them with it.
 *
 * One relaxation is up to three labels:
 * - `io.hardened-docker.relaxation.<kind>` = the reason;
 * - `io.hardened-docker.relaxation.<kind>.rules` = the rule IDs it waives, comma-separated;
 * - `io.hardened-docker.relaxation.<kind>.detail` = the values it names, comma-separated
 *   (capabilities, host ports, paths, syscalls), or the user for `runAsRoot`.
 *
 * Labels can be written by anyone (a hand-written Terraform file, `docker run --label`), so the
 * decoder trusts nothing: a relaxation counts only when its labels spell one that
 * `relaxationSchema` accepts (a known kind, a real reason, well-formed values), and a relaxation
 * of a kind that names values waives only failures about those values (see
 * `lib/policy/subjects.ts`).
 */

/** The suffix of the label that lists the rules a relaxation waives. */
export const RULES_SUFFIX = ".rules";
/** The suffix of the label that lists the values a relaxation names. */
export const DETAIL_SUFFIX = ".detail";

const KIND_RE = /^[A-Za-z][A-Za-z0-9]*$/;

/** The labels that record `relaxations` (reason, waived rules, named values). */
export function encodeRelaxationLabels(relaxations: readonly Relaxation[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of relaxations) {
    const key = `${RELAXATION_LABEL_PREFIX}${r.kind}`;
    labels[key] = r.reason;
    const waives = RELAXATION_WAIVES[r.kind];
    if (waives.length > 0) labels[`${key}${RULES_SUFFIX}`] = waives.join(",");
    const names = relaxationNames(r);
    if (names !== undefined) labels[`${key}${DETAIL_SUFFIX}`] = names.join(",");
  }
  return labels;
}

/** True for every key of the relaxation label family (reason, `.rules`, `.detail`). */
export function isRelaxationLabel(key: string): boolean {
  return key.startsWith(RELAXATION_LABEL_PREFIX);
}

/** One relaxation read back from labels. */
export interface DecodedRelaxation {
  /** The kind as written in the label key (may be one the library does not know). */
  readonly kind: string;
  /** The key of the reason label, which reports name as the exception's source. */
  readonly label: string;
  /** The reason as written (trimmed); empty when the reason label is missing. */
  readonly reason: string;
  /** The rule IDs of the `.rules` label, as written (trimmed, empty entries dropped). */
  readonly rules: readonly string[];
  /** The values of the `.detail` label, as written; `undefined` without one. */
  readonly names?: readonly string[];
  /**
   * The relaxation the labels spell, when they spell a valid one: a known kind, a reason that
   * `reasonSchema` accepts and the values the kind needs. Only a valid relaxation waives rules.
   */
  readonly relaxation?: Relaxation;
  /** Why the labels do not spell a valid relaxation, one line each (raw text, not cleaned). */
  readonly problems: readonly string[];
}

/** The result of {@link decodeRelaxationLabels}. */
export interface DecodedRelaxationLabels {
  readonly relaxations: readonly DecodedRelaxation[];
  /** Keys under the relaxation prefix that belong to no relaxation (e.g. `.rules` alone). */
  readonly problems: readonly string[];
}

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** The relaxation object `kind`'s labels describe, before validation. */
function relaxationInput(kind: string, reason: string, detail: string | undefined): unknown {
  const names = splitList(detail) ?? [];
  switch (kind as RelaxationKind) {
    case "addCapabilities":
      return { kind, reason, capabilities: names };
    case "runAsRoot":
      return detail === undefined ? { kind, reason } : { kind, reason, user: detail.trim() };
    case "privilegedPorts":
      return {
        kind,
        reason,
        hostPorts: names.map((n) => (/^\d{1,5}$/.test(n) ? Number(n) : n)),
      };
    case "writableBindMount":
      return { kind, reason, targets: names };
    case "executableTmpfs":
      return { kind, reason, paths: names };
    case "allowSyscalls":
      return { kind, reason, syscalls: names };
    default:
      return { kind, reason };
  }
}

/**
 * Reads every relaxation recorded in `labels`. Never throws: labels that do not spell a valid
 * relaxation come back with `problems` and no `relaxation`, so they waive nothing.
 */
export function decodeRelaxationLabels(
  labels: Readonly<Record<string, string>>,
): DecodedRelaxationLabels {
  const kinds = new Set<string>();
  const problems: string[] = [];
  for (const key of Object.keys(labels)) {
    if (!isRelaxationLabel(key)) continue;
    let kind = key.slice(RELAXATION_LABEL_PREFIX.length);
    if (kind.endsWith(RULES_SUFFIX)) kind = kind.slice(0, -RULES_SUFFIX.length);
    else if (kind.endsWith(DETAIL_SUFFIX)) kind = kind.slice(0, -DETAIL_SUFFIX.length);
    if (!KIND_RE.test(kind)) {
      problems.push(`${key} is not a relaxation label (a kind is letters and digits)`);
      continue;
    }
    kinds.add(kind);
  }
  const relaxations = [...kinds].sort().map((kind) => decodeOne(labels, kind));
  return { relaxations, problems };
}

function decodeOne(labels: Readonly<Record<string, string>>, kind: string): DecodedRelaxation {
  const label = `${RELAXATION_LABEL_PREFIX}${kind}`;
  const problems: string[] = [];
  const rawReason = labels[label];
  const reason = (rawReason ?? "").trim();
  const rules = splitList(labels[`${label}${RULES_SUFFIX}`]) ?? [];
  const detail = labels[`${label}${DETAIL_SUFFIX}`];
  const names = splitList(detail);
  if (rawReason === undefined) problems.push(`relaxation ${kind} has no reason label (${label})`);
  else if (reason === "") problems.push(`relaxation ${kind} has no reason`);
  if (!Object.prototype.hasOwnProperty.call(RELAXATION_WAIVES, kind)) {
    problems.push(`relaxation ${kind} is not a kind of relaxation the library knows`);
    return { kind, label, reason, rules, ...(names ? { names } : {}), problems };
  }
  if (detail === undefined && RELAXATION_SUBJECT[kind as RelaxationKind] !== undefined) {
    problems.push(
      `relaxation ${kind} names no values (no ${label}${DETAIL_SUFFIX} label), so it waives nothing`,
    );
    return { kind, label, reason, rules, problems };
  }
  const parsed = relaxationSchema.safeParse(relaxationInput(kind, reason, detail));
  if (!parsed.success) {
    if (rawReason !== undefined && reason !== "") {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join(".");
        problems.push(`relaxation ${kind}${field ? ` ${field}` : ""}: ${issue.message}`);
      }
    }
    return { kind, label, reason, rules, ...(names ? { names } : {}), problems };
  }
  return {
    kind,
    label,
    reason,
    rules,
    ...(names ? { names } : {}),
    relaxation: parsed.data as Relaxation,
    problems,
  };
}
