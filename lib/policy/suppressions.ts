import { IConstruct } from "constructs";
import { z } from "zod";
import { RELAXATION_LABEL_PREFIX } from "../audit/labels";
import { parseIsoDate, startOfUtcDay } from "../audit/iso-date";
import { RELAXATION_WAIVES, reasonSchema } from "../container/relaxations";
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

  /** The suppressions added directly on `scope` (not its children). */
  public static on(scope: IConstruct): Suppression[] {
    return scope.node.metadata
      .filter((m) => m.type === SUPPRESSION_METADATA_TYPE)
      .map((m) => {
        const data = m.data as SuppressionInput;
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
 * Reads a container's relaxation labels as suppressions: `io.hardened-docker.relaxation.<kind>`
 * holds the reason and `io.hardened-docker.relaxation.<kind>.rules` the comma-separated rule IDs
 * it waives. A relaxation whose reason is missing or too short (see `reasonSchema`) suppresses
 * nothing. Label suppressions have no expiry of their own.
 */
export function suppressionsFromLabels(
  labels: Readonly<Record<string, string>>,
  options: LabelSuppressionOptions = {},
): Suppression[] {
  const waivable: Readonly<Record<string, readonly string[]>> =
    options.waivable ?? RELAXATION_WAIVES;
  const result: Suppression[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(RELAXATION_LABEL_PREFIX) || !key.endsWith(".rules")) continue;
    const kind = key.slice(RELAXATION_LABEL_PREFIX.length, -".rules".length);
    if (kind === "" || !Object.prototype.hasOwnProperty.call(waivable, kind)) continue;
    const reasonKey = `${RELAXATION_LABEL_PREFIX}${kind}`;
    const reason = reasonSchema.safeParse(labels[reasonKey]);
    if (!reason.success) continue;
    const allowed = waivable[kind] ?? [];
    const ruleIds = value
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "" && allowed.includes(id));
    for (const ruleId of new Set(ruleIds)) {
      result.push({ ruleId, reason: reason.data, source: "label", scope: reasonKey });
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
