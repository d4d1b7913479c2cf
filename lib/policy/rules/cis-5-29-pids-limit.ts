import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { DEFAULTS } from "../facts/defaults";
import { fail, notApplicable, pass, unknown } from "./support";

/** CIS 5.29: the PIDs cgroup limit is used. */
export const CIS_5_29_PIDS_LIMIT: Rule = {
  id: "CIS-5.29",
  title: "Ensure that the PIDs cgroup limit is used",
  level: "error",
  rationale:
    "Without a PIDs limit a fork bomb in one container exhausts the host's process table. The " +
    "Terraform provider has no attribute for it: HardenedContainer applies it with a " +
    "terraform_data step (`docker update --pids-limit`), which this rule recognises only when it " +
    "runs again for a replaced container (its triggers hold the container's id), talks to the " +
    "provider's engine, and no other provisioner updates the limit or runs a docker command on " +
    "the container that the audit cannot read. A Swarm " +
    "service cannot be given one through the provider: not applicable, with that reason, unless " +
    "its live spec shows one.",
  remediation:
    `Use HardenedContainer (\`resources.pids\`, default ${DEFAULTS.pids}), or run \`docker update --pids-limit ` +
    "N` on the container after each creation.",
  blindSpots:
    "For synthesized input, whether Terraform will run the PIDs-limit step (an apply-time `docker update`), and whether the deploying machine's docker CLI talks to the engine the provider uses when neither sets a host (a docker context selected on that machine); a provisioner that changes the limit without naming `docker` (a script file it runs, an obfuscated command); limits of a parent cgroup.",
  check: (c) => {
    if (isUnknown(c.pidsLimit)) return unknown(c.pidsLimit);
    if (c.pidsLimit !== undefined && c.pidsLimit > 0) return pass(`PIDs limit is ${c.pidsLimit}`);
    if (c.kind === "service") {
      return notApplicable(`not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.pidsLimit}`);
    }
    return fail(
      c.source === "terraform"
        ? "no PIDs limit: the provider cannot set one and no PIDs-limit step targets this container"
        : "no PIDs limit (HostConfig.PidsLimit is unset, 0 or -1)",
    );
  },
};
