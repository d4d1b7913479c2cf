import { IConstruct } from "constructs";
import { z } from "zod";
import { parseIsoDate, startOfUtcDay } from "../audit/iso-date";
import { decodeRelaxationLabels, isRelaxationLabel } from "../audit/relaxation-labels";
import {
  RELAXATION_SUBJECT,
  RELAXATION_WAIVES,
  Relaxation,
  reasonSchema,
  relaxationNames,
} from "../container/relaxations";
import { SubjectCover } from "./subjects";
import { HardenedDockerValidationError, ValidationProblem } from "../validation/validation-error";
import { carrySuppressionsIntoSynth } from "./suppression-carry";

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

/** The node metadata type under which suppressions are stored on a construct. */
export const SUPPRESSION_METADATA_TYPE = "io.hardened-docker/suppression";

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

/**
 * Reasoned, expiring exceptions to policy rules, attached to constructs (as cdk-nag's
 * `NagSuppressions`). A suppression on a construct covers the resources of that construct and
 * of all its children.
 *
 * @example
 * Suppressions.add(legacyProxy, [
 *   { ruleId: "CIS-5.8", reason: "binds port 80 until the load balancer moves to 8080", expires: "2026-06-30" },
 * ]);
 */
export class Suppressions {
  /**
   * Records exceptions on `scope` (stored as node metadata of type
   * {@link SUPPRESSION_METADATA_TYPE}). Throws a `HardenedDockerValidationError` naming the
   * construct path and rule when a rule ID, reason or expiry date is malformed.
   */
  public static add(scope: IConstruct, entries: readonly SuppressionInput[]): void {
    const path = scope.node.path;
    if (!Array.isArray(entries)) {
      throw new HardenedDockerValidationError([
        {
          constructPath: path,
          field: "suppressions",
          value: entries,
          message: "give a list of { ruleId, reason, expires? } entries",
        },
      ]);
    }
    const problems: ValidationProblem[] = [];
    const parsed: SuppressionInput[] = [];
    entries.forEach((entry: unknown, index) => {
      const result = suppressionInputSchema.safeParse(entry);
      if (result.success) {
        parsed.push(result.data);
        return;
      }
      const ruleId =
        entry !== null && typeof entry === "object" && "ruleId" in entry
          ? String((entry as { ruleId: unknown }).ruleId)
          : `#${index}`;
      for (const issue of result.error.issues) {
        const key = issue.path.map(String).join(".");
        problems.push({
          constructPath: path,
          field: `suppressions[${ruleId}]${key ? `.${key}` : ""}`,
          value: valueAt(entry, issue.path),
          message: issue.message,
        });
      }
    });
    if (problems.length > 0) throw new HardenedDockerValidationError(problems);
    for (const entry of parsed) {
      scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, entry, { stackTrace: false });
    }
    carrySuppressionsIntoSynth(scope);
  }

  /**
   * Records the suppressions `relaxations` grant on `scope` (the constructs call this with their
   * resolved relaxations): each waives its rules only for the values it names.
   */
  public static addForRelaxations(scope: IConstruct, relaxations: readonly Relaxation[]): void {
    for (const r of relaxations) {
      for (const s of suppressionsForRelaxation(r, `relaxation ${r.kind}: ${r.reason}`)) {
        scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, s, { stackTrace: false });
      }
    }
  }

  /** The suppressions added directly on `scope` (not its children). */
  public static on(scope: IConstruct): Suppression[] {
    return scope.node.metadata
      .filter((m) => m.type === SUPPRESSION_METADATA_TYPE)
      .map((m) => {
        const data = m.data as SuppressionInput & { covers?: SubjectCover };
        return { ...data, source: "construct" as const, scope: scope.node.path };
      });
  }

  /**
   * Every suppression in the construct tree `scope` belongs to (from its root down), so a
   * suppression added on an app or a stack reaches the resources below it.
   */
  public static collect(scope: IConstruct): Suppression[] {
    return scope.node.root.node.findAll().flatMap((c) => Suppressions.on(c));
  }
}

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
 * Reads a container's relaxation labels (decoded by `lib/audit/relaxation-labels.ts`) as
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

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
