import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 5.11: memory usage is limited. */
export const CIS_5_11_MEMORY_LIMIT: Rule = {
  id: "CIS-5.11",
  title: "Ensure that the memory usage for containers is limited",
  level: "error",
  rationale:
    "Without a memory limit one container can exhaust the host's memory and get other " +
    "containers and host services killed by the OOM killer.",
  remediation:
    "Set `memory` (MB). HardenedContainer sets it from `resources.memoryMiB` (default 256).",
  blindSpots:
    "Whether the limit fits the workload and the host's memory; limits of a parent cgroup.",
  check: (c) => {
    if (isUnknown(c.memoryBytes)) return unknown(c.memoryBytes);
    if (c.memoryBytes > 0) return pass(`memory is limited to ${c.memoryBytes} bytes`);
    return fail("memory is not limited (HostConfig.Memory 0)");
  },
};
