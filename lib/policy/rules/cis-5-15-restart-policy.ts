import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

const MAX_RETRIES = 5;

/** CIS 5.15: the on-failure restart policy with at most 5 attempts. */
export const CIS_5_15_RESTART_POLICY: Rule = {
  id: "CIS-5.15",
  title: "Ensure that the 'on-failure' container restart policy is set to '5'",
  level: "warning",
  rationale:
    "`always` / `unless-stopped` (or on-failure without a limit) restart a failing container " +
    "forever, which can exhaust the host and hides the failure. CIS asks for on-failure with at " +
    "most 5 attempts. `MaximumRetryCount` 0 with on-failure means no limit, so it fails too.",
  remediation:
    'Set `restart = "on-failure"` and `max_retry_count` between 1 and 5. HardenedContainer does ' +
    "(`maxRestarts`, default 5).",
  blindSpots:
    "Restarts driven from outside the engine (systemd units, orchestrators, Terraform re-applies).",
  check: (c) => {
    const policy = c.restartPolicy;
    if (isUnknown(policy)) return unknown(policy);
    if (policy.name !== "on-failure") {
      return fail(`restart policy is ${JSON.stringify(policy.name)}, not "on-failure"`);
    }
    if (policy.maximumRetryCount <= 0) {
      return fail("on-failure without a maximum retry count restarts without limit");
    }
    if (policy.maximumRetryCount > MAX_RETRIES) {
      return fail(
        `on-failure allows ${policy.maximumRetryCount} restarts, more than ${MAX_RETRIES}`,
      );
    }
    return pass(`on-failure with at most ${policy.maximumRetryCount} restarts`);
  },
};
