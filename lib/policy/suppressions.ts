import { z } from "zod";
import { parseIsoDate, startOfUtcDay } from "./facts/iso-date";
import { RELAXATION_WAIVES } from "./relaxation-rules";
import { RELAXATION_SUBJECT, Relaxation, reasonSchema, relaxationNames } from "./relaxations";
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

/**
 * Who wrote a waiver, which decides where it applies:
 * - `construct`: `Suppressions.add` on a construct; applies to the resources of that construct
 *   and of the constructs below it;
 * - `relaxation`: a `Relax.*` on a HardenedContainer / HardenedService, recorded on the construct;
 *   applies to that construct's own resources, and only for the values it names;
 * - `label`: a container's `io.hardened-docker.relaxation.*` labels; applies to that container;
 * - `carrier`: the `//` JSON carried on one resource of synthesized Terraform; applies to that
 *   resource alone, whatever construct path its metadata claims.
 */
export type WaiverSource = "construct" | "relaxation" | "label" | "carrier";

/** Every {@link WaiverSource}. */
export const WAIVER_SOURCES: readonly WaiverSource[] = [
  "construct",
  "relaxation",
  "label",
  "carrier",
];

/**
 * The one waiver type: an exception to one rule (its ID, reason and expiry), what it covers (the
 * values it names, or the whole rule), where it sits and who wrote it. Construct metadata, labels
 * and the `//` carrier all encode and decode it with one codec (`waiver-codec.ts`).
 */
export interface Suppression extends SuppressionInput {
  /** Who wrote it (see {@link WaiverSource}). */
  readonly source: WaiverSource;
  /**
   * Where it sits: the construct path (`construct`, `relaxation`), the resource address
   * (`carrier`, e.g. `docker_container.web`) or the relaxation label key (`label`).
   */
  readonly scope: string;
  /**
   * The one resource it applies to, for a waiver that sits on a resource (`label`, `carrier`):
   * it never reaches another resource.
   * @default - a construct waiver: the resources under its construct path
   */
  readonly resource?: string;
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

/** The resource a waiver is judged against. */
export interface WaiverTarget {
  readonly resource: string;
  readonly constructPath?: string;
}

/**
 * True when `waiver` applies to `target`: a waiver that sits on a resource applies to that
 * resource alone; a construct waiver to the resources whose construct path is under its own.
 */
export function appliesTo(waiver: Suppression, target: WaiverTarget): boolean {
  if (waiver.resource !== undefined) return waiver.resource === target.resource;
  if (waiver.source === "label" || waiver.source === "carrier") return false;
  return isUnderScope(target.constructPath, waiver.scope);
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
