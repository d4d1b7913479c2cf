import { z } from "zod";
import { parseIsoDate, startOfUtcDay } from "./facts/iso-date";
import { decodeRelaxationLabels, isRelaxationLabel } from "./relaxation-labels";
import {
  RELAXATION_SUBJECT,
  RELAXATION_WAIVES,
  Relaxation,
  reasonSchema,
  relaxationNames,
} from "./relaxations";
import { SubjectCover } from "./subjects";

/** One exception as a user writes it: which rule, why, and until when. */
export interface SuppressionInput {
  /** The rule it waives, e.g. `CIS-5.4`. */
  readonly ruleId: string;
  /**
   * Why this workload needs the exception: at least 20 characters and three words. It is shown
   * next to the suppressed finding in every report, so a reviewer sees the exception and its
   * justification instead of a silent gap.
   */
  readonly reason: string;
  /**
   * `YYYY-MM-DD`: the last day the exception holds. After it, the rule applies again and the
   * report carries an `HD-SUPPRESSION-EXPIRED` finding naming the construct and the rule.
   * @default - no expiry
   */
  readonly expires?: string;
}

/** A suppression as the engine reads it: an input plus where it applies. */
export interface Suppression extends SuppressionInput {
  /**
   * `construct`: added with `Suppressions.add`, applies to resources whose construct path equals
   * `scope` or lies under it. `label`: read from one container's relaxation labels, applies to
   * that container only.
   */
  readonly source: "construct" | "label";
  /** The construct path (source `construct`) or the relaxation label key (source `label`). */
  readonly scope: string;
  /**
   * The values the exception names (a relaxation's capabilities, ports, paths, syscalls, user):
   * it suppresses a failure only when every subject of the failure is one of them.
   * @default - the whole rule (a `Suppressions.add` entry, or a relaxation that names no values)
   */
  readonly covers?: SubjectCover;
}

const RULE_ID_RE = /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/;

/** The schema of one suppression entry (also for those carried in synthesized JSON). */
export const suppressionInputSchema = z
  .object({
    ruleId: z.string({ error: "a rule ID is required, e.g. CIS-5.4" }).regex(RULE_ID_RE, {
      error: "not a rule ID; rule IDs look like CIS-5.4 or HD-LOG-ROTATION",
    }),
    reason: reasonSchema,
    expires: z
      .string()
      .refine((text) => parseIsoDate(text) !== undefined, {
        error: "not a calendar date; write the last day the exception holds as YYYY-MM-DD",
      })
      .optional(),
  })
  .strict();

/** True when `constructPath` is `scopePath` or lies under it (`a/b` covers `a/b/c`, not `a/bc`). */
export function isUnderScope(constructPath: string | undefined, scopePath: string): boolean {
  if (constructPath === undefined) return false;
  if (scopePath === "") return true;
  return constructPath === scopePath || constructPath.startsWith(`${scopePath}/`);
}

/**
 * True once the expiry day is over (in UTC): a suppression expiring `2026-01-31` still holds
 * during that day and stops holding on `2026-02-01`. Malformed dates count as expired, so a
 * damaged label or metadata entry never grants an open-ended exception.
 */
export function isExpired(suppression: SuppressionInput, now: Date): boolean {
  if (suppression.expires === undefined) return false;
  const last = parseIsoDate(suppression.expires);
  if (last === undefined) return true;
  return startOfUtcDay(now).getTime() > last.getTime();
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
 * The rule waivers one relaxation grants, with `reason`: one per rule it waives, each covering
 * only the values the relaxation names (see {@link Suppression.covers}).
 */
export function suppressionsForRelaxation(
  r: Relaxation,
  reason: string,
  ruleIds: readonly string[] = RELAXATION_WAIVES[r.kind],
): SuppressionInput[] {
  const subject = RELAXATION_SUBJECT[r.kind];
  const names = relaxationNames(r);
  const covers: SubjectCover | undefined =
    subject !== undefined ? { kind: subject, values: names ?? [] } : undefined;
  return ruleIds.map((ruleId) => ({ ruleId, reason, ...(covers ? { covers } : {}) }));
}

/**
 * Reads a container's relaxation labels (decoded by `lib/policy/relaxation-labels.ts`) as
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
