import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { fail, notApplicable, pass, unknown } from "./support";

/** CIS 5.19: the default ulimit is overwritten at runtime if needed. */
export const CIS_5_19_ULIMITS: Rule = {
  id: "CIS-5.19",
  title: "Ensure that the default ulimit is overwritten at runtime if needed",
  level: "info",
  rationale:
    "Per-container ulimits (open files, processes) bound what one container can take; without " +
    "them the daemon's defaults apply. CIS marks this manual, so it is reported as info.",
  remediation:
    "Set `ulimit` blocks (e.g. nofile). HardenedContainer sets `nofile` from " +
    "`resources.openFiles`; it bounds processes with the PIDs cgroup limit (`resources.pids`, " +
    "CIS 5.29), not `nproc`, which Linux counts per uid across the host, not per container.",
  blindSpots:
    "Ulimits the daemon applies by default (default-ulimits in daemon.json) when the container sets none.",
  check: (c) => {
    if (isUnknown(c.ulimits)) return unknown(c.ulimits);
    if (c.ulimits.length === 0) {
      if (c.kind === "service") {
        return notApplicable(`not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.ulimits}`);
      }
      return fail("no ulimit is set: the daemon's defaults apply");
    }
    return pass(`ulimits: ${c.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`).join(", ")}`);
  },
};
