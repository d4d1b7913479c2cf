import { IConstruct } from "constructs";
import { Relaxation } from "../policy/relaxations";
import {
  Suppression,
  SuppressionInput,
  suppressionInputSchema,
  suppressionsForRelaxation,
} from "../policy/suppressions";
import { decodeWaiver, encodeWaiver } from "../policy/waiver-codec";
import { HardenedDockerValidationError, ValidationProblem } from "../validation/validation-error";
import { carrySuppressionsIntoSynth } from "./suppression-carry";

/** The node metadata type under which suppressions are stored on a construct. */
export const SUPPRESSION_METADATA_TYPE = "io.hardened-docker/suppression";

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
      const waiver: Suppression = { ...entry, source: "construct", scope: path };
      scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, encodeWaiver(waiver), {
        stackTrace: false,
      });
    }
    carrySuppressionsIntoSynth(scope, (stack) => Suppressions.collect(stack));
  }

  /**
   * Records the suppressions `relaxations` grant on `scope` (the constructs call this with their
   * resolved relaxations): each waives its rules only for the values it names.
   */
  public static addForRelaxations(scope: IConstruct, relaxations: readonly Relaxation[]): void {
    for (const r of relaxations) {
      for (const s of suppressionsForRelaxation(r, r.reason)) {
        const waiver: Suppression = { ...s, source: "relaxation", scope: scope.node.path };
        scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, encodeWaiver(waiver), {
          stackTrace: false,
        });
      }
    }
  }

  /**
   * The waivers recorded directly on `scope` (not its children): its `Suppressions.add` entries
   * and its relaxations, read with the one codec (a record it cannot read waives nothing).
   */
  public static on(scope: IConstruct): Suppression[] {
    const result: Suppression[] = [];
    for (const m of scope.node.metadata) {
      if (m.type !== SUPPRESSION_METADATA_TYPE) continue;
      const decoded = decodeWaiver(m.data, { found: "construct", at: scope.node.path });
      if ("waiver" in decoded) result.push(decoded.waiver);
    }
    return result;
  }

  /**
   * Every suppression in the construct tree `scope` belongs to (from its root down), so a
   * suppression added on an app or a stack reaches the resources below it.
   */
  public static collect(scope: IConstruct): Suppression[] {
    return scope.node.root.node.findAll().flatMap((c) => Suppressions.on(c));
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
