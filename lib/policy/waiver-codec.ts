import { z } from "zod";
import { RELAXATION_LABEL_PREFIX } from "./facts/labels";
import { RELAXATION_WAIVES } from "./relaxation-rules";
import {
  RELAXATION_SUBJECT,
  Relaxation,
  RelaxationKind,
  reasonSchema,
  relaxationNames,
  relaxationSchema,
} from "./relaxations";
import { SubjectCover, SubjectKind } from "./subjects";
import {
  Suppression,
  suppressionInputSchema,
  suppressionsForRelaxation,
  WaiverSource,
} from "./suppressions";

/**
 * The one codec of waivers ({@link Suppression}), for every place one is written down:
 * - construct metadata (`Suppressions.add`, a construct's relaxations) and the `//` JSON carried
 *   on a resource of synthesized Terraform hold a {@link WaiverRecord}: rule, reason, expiry and
 *   what it covers, encoded by {@link encodeWaiver} and read back by {@link decodeWaiver};
 * - container labels hold relaxations (below), read back as waivers by
 *   {@link suppressionsFromLabels}.
 * Where a waiver sits and who wrote it are not taken from the record: the reader knows where it
 * found it (a construct, a label, a resource's `//`), so a record cannot claim a wider scope.
 */

/** What a waiver's record holds: the parts that travel with it. */
export interface WaiverRecord {
  readonly ruleId: string;
  readonly reason: string;
  readonly expires?: string;
  /** The values it names; absent: the whole rule. */
  readonly covers?: { readonly kind: SubjectKind; readonly values: readonly string[] };
  /** `relaxation` for a construct's relaxation (on construct metadata); absent otherwise. */
  readonly by?: "relaxation";
}

const SUBJECT_KINDS: readonly [SubjectKind, ...SubjectKind[]] = [
  "capability",
  "user",
  "hostPort",
  "syscall",
  "tmpfsPath",
  "mountTarget",
  "setting",
];

/** The schema of a {@link WaiverRecord}: a suppression entry plus what it covers. */
export const waiverRecordSchema = suppressionInputSchema.extend({
  covers: z
    .object({
      kind: z.enum(SUBJECT_KINDS),
      values: z.array(z.string().min(1)).min(1, { error: "name at least one value" }),
    })
    .strict()
    .optional(),
  by: z.literal("relaxation").optional(),
});

/** The record of `waiver` (what construct metadata and the `//` carrier hold). */
export function encodeWaiver(waiver: Suppression): WaiverRecord {
  return {
    ruleId: waiver.ruleId,
    reason: waiver.reason,
    ...(waiver.expires !== undefined ? { expires: waiver.expires } : {}),
    ...(waiver.covers !== undefined
      ? { covers: { kind: waiver.covers.kind, values: [...waiver.covers.values] } }
      : {}),
    ...(waiver.source === "relaxation" ? { by: "relaxation" as const } : {}),
  };
}

/** Where a record was found, which decides where the waiver applies. */
export interface WaiverPlace {
  /** `construct` (construct metadata) or `carrier` (a resource's `//`). */
  readonly found: "construct" | "carrier";
  /** The construct path (`construct`) or the resource address (`carrier`). */
  readonly at: string;
}

/**
 * The waiver a record found at `place` spells, or why it spells none (one line). A record found
 * on construct metadata is the construct's (or its relaxation's); one found in a resource's `//`
 * is a carrier on that resource and applies to it alone.
 */
export function decodeWaiver(
  record: unknown,
  place: WaiverPlace,
): { readonly waiver: Suppression } | { readonly problem: string } {
  const parsed = waiverRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") ?? "";
    return {
      problem: `not a valid waiver${field ? ` (${field}: ${issue?.message})` : ""}: a rule ID, a written reason of at least 20 characters and three words, an optional YYYY-MM-DD expiry and optional covers { kind, values }`,
    };
  }
  const { by, covers, ...input } = parsed.data;
  const source: WaiverSource =
    place.found === "carrier" ? "carrier" : by === "relaxation" ? "relaxation" : "construct";
  const cover: SubjectCover | undefined =
    covers !== undefined ? { kind: covers.kind, values: covers.values } : undefined;
  return {
    waiver: {
      ...input,
      ...(cover !== undefined ? { covers: cover } : {}),
      source,
      scope: place.at,
      ...(place.found === "carrier" ? { resource: place.at } : {}),
    },
  };
}

/*
 * Relaxations recorded as labels: the constructs encode their relaxations with this codec, and
 * the policy engine, the host inventory and drift decode them with it.
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

/** Options of {@link suppressionsFromLabels}. */
export interface LabelSuppressionOptions {
  /**
   * The rule IDs each relaxation kind may waive. A `.rules` label naming a rule its kind cannot
   * waive (e.g. `addCapabilities` naming `CIS-5.5`) is ignored for that rule, and a kind not in
   * the table waives nothing: a label on a hand-made container cannot switch off a check that
   * no HardenedContainer relaxation can.
   * @default RELAXATION_WAIVES
   */
  readonly waivable?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Reads a container's relaxation labels (decoded by {@link decodeRelaxationLabels}) as
 * suppressions. A relaxation waives the rules its `.rules` label lists that its kind may waive,
 * and only when its labels spell a valid relaxation: a real reason (see `reasonSchema`) and, for
 * a kind that names values, the values in its `.detail` label, which are all it covers. So a
 * hand-written label waives a failure only if it names what the container actually relaxes.
 * Label suppressions have no expiry of their own.
 */
export function suppressionsFromLabels(
  labels: Readonly<Record<string, string>>,
  options: LabelSuppressionOptions = {},
): Suppression[] {
  if (options.waivable !== undefined) return readLabelSuppressions(labels, options.waivable);
  // Containers of a stack mostly share their relaxations, and decoding validates each one: the
  // result is memoized on the relaxation labels alone (the engine runs this per container).
  let key = "";
  for (const name in labels) {
    if (isRelaxationLabel(name)) key += `${name}\u0000${labels[name]}\u0000`;
  }
  if (key === "") return [];
  let cached = labelSuppressionCache.get(key);
  if (cached === undefined) {
    if (labelSuppressionCache.size >= LABEL_SUPPRESSION_CACHE_SIZE) labelSuppressionCache.clear();
    cached = readLabelSuppressions(labels, RELAXATION_WAIVES);
    labelSuppressionCache.set(key, cached);
  }
  return cached.map((x) => ({ ...x }));
}

/**
 * The valid relaxations `labels` record, with how many rules each waives, so reports can list
 * every relaxation (with its reason) whether or not it waives a rule.
 */
export function recordedRelaxations(
  labels: Readonly<Record<string, string>>,
): { readonly label: string; readonly reason: string; readonly waives: number }[] {
  let any = false;
  for (const name in labels) {
    if (isRelaxationLabel(name)) {
      any = true;
      break;
    }
  }
  if (!any) return [];
  return decodeRelaxationLabels(labels).relaxations.flatMap((d) =>
    d.relaxation === undefined
      ? []
      : [{ label: d.label, reason: d.reason, waives: RELAXATION_WAIVES[d.relaxation.kind].length }],
  );
}

const LABEL_SUPPRESSION_CACHE_SIZE = 1024;
const labelSuppressionCache = new Map<string, readonly Suppression[]>();

function readLabelSuppressions(
  labels: Readonly<Record<string, string>>,
  waivable: Readonly<Record<string, readonly string[]>>,
): Suppression[] {
  const result: Suppression[] = [];
  for (const decoded of decodeRelaxationLabels(labels).relaxations) {
    if (!Object.prototype.hasOwnProperty.call(waivable, decoded.kind)) continue;
    const allowed = waivable[decoded.kind] ?? [];
    const ruleIds = [...new Set(decoded.rules.filter((id) => allowed.includes(id)))];
    const source = { source: "label" as const, scope: decoded.label };
    if (decoded.relaxation !== undefined) {
      const r = decoded.relaxation;
      for (const s of suppressionsForRelaxation(r, r.reason, ruleIds)) {
        result.push({ ...s, ...source });
      }
    } else if (!Object.prototype.hasOwnProperty.call(RELAXATION_WAIVES, decoded.kind)) {
      // A kind of the caller's own table: it names no values, so it waives its rules whole.
      const reason = reasonSchema.safeParse(decoded.reason);
      if (!reason.success) continue;
      for (const ruleId of ruleIds) result.push({ ruleId, reason: reason.data, ...source });
    }
  }
  return result;
}
