import { z } from "zod";
import { daysBetween, parseIsoDate, startOfUtcDay } from "./facts/iso-date";
import { Suppression } from "./suppressions";

/**
 * The team policy: what the security team decides about waivers, kept outside the stack code (a
 * small JSON or YAML file given to `hardened-docker audit --policy` and to
 * `HardenedDockerChecks.applyTo(app, { policy })`). No waiver written in a stack can change it.
 */
export interface TeamPolicy {
  /**
   * Rules no waiver in a stack may waive (a `Suppressions.add`, a `//` carrier, a relaxation or a
   * label): a waiver of one of them is refused, and the report says so.
   * @default DEFAULT_NON_WAIVABLE — privileged mode, the host's namespaces (network, PID, IPC,
   * UTS, user), host devices and the Docker socket: each gives the container the host, and no
   * written reason makes that a scoped exception.
   */
  readonly nonWaivable?: readonly string[];
  /**
   * The most waivers one stack (or one host audit) may carry; more is an error-level
   * `HD-WAIVER-POLICY` finding, so the gate fails.
   * @default - no limit
   */
  readonly maxWaivers?: number;
  /**
   * Every `Suppressions.add` / `//` waiver must say when it ends (`expires`); one without is
   * refused. Relaxations and labels have no expiry and are not concerned.
   * @default false
   */
  readonly requireExpiry?: boolean;
  /**
   * The furthest ahead, in days, a waiver's `expires` may be; a later one is refused.
   * @default - no bound
   */
  readonly maxExpiryDays?: number;
}

/** The rules no waiver may waive unless a team policy says otherwise. */
export const DEFAULT_NON_WAIVABLE: readonly string[] = [
  "CIS-5.5",
  "CIS-5.10",
  "CIS-5.16",
  "CIS-5.17",
  "CIS-5.18",
  "CIS-5.21",
  "CIS-5.31",
  "CIS-5.32",
];

/** The policy that applies when none is given. */
export const DEFAULT_TEAM_POLICY: TeamPolicy = { nonWaivable: DEFAULT_NON_WAIVABLE };

const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/;

/** The schema of a team policy file (JSON or YAML): every field optional, nothing else allowed. */
export const teamPolicySchema = z
  .object({
    nonWaivable: z
      .array(
        z.string().regex(RULE_ID, {
          error: "not a rule ID; rule IDs look like CIS-5.5 or HD-SECCOMP-DENYLIST",
        }),
        { error: 'a list of rule IDs, e.g. ["CIS-5.5", "CIS-5.32"]' },
      )
      .optional(),
    maxWaivers: z
      .number({ error: "a whole number of waivers, e.g. 10" })
      .int({ error: "a whole number of waivers, e.g. 10" })
      .min(0, { error: "at least 0" })
      .optional(),
    requireExpiry: z.boolean({ error: "true or false" }).optional(),
    maxExpiryDays: z
      .number({ error: "a whole number of days, e.g. 90" })
      .int({ error: "a whole number of days, e.g. 90" })
      .min(1, { error: "at least 1 day" })
      .optional(),
  })
  .strict();

/** The policy with its defaults filled in. */
export function resolveTeamPolicy(policy: TeamPolicy | undefined): TeamPolicy {
  return {
    ...(policy ?? {}),
    nonWaivable: policy?.nonWaivable ?? DEFAULT_NON_WAIVABLE,
  };
}

/** Why `policy` refuses `waiver` on `now`, or undefined when it allows it. */
export function policyRefusal(
  waiver: Suppression,
  policy: TeamPolicy,
  now: Date,
): string | undefined {
  if ((policy.nonWaivable ?? DEFAULT_NON_WAIVABLE).includes(waiver.ruleId)) {
    return `${waiver.ruleId} is not waivable under the team policy (nonWaivable)`;
  }
  const dated = waiver.source === "construct" || waiver.source === "carrier";
  if (!dated) return undefined;
  if (policy.requireExpiry === true && waiver.expires === undefined) {
    return "the team policy requires an expiry (requireExpiry) and this waiver has none";
  }
  if (policy.maxExpiryDays !== undefined && waiver.expires !== undefined) {
    const last = parseIsoDate(waiver.expires);
    if (last !== undefined && daysBetween(startOfUtcDay(now), last) > policy.maxExpiryDays) {
      return `it expires on ${waiver.expires}, more than ${policy.maxExpiryDays} days ahead (maxExpiryDays)`;
    }
  }
  return undefined;
}
