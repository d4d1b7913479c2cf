import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 5.12: CPU priority is set appropriately. */
export const CIS_5_12_CPU_PRIORITY: Rule = {
  id: "CIS-5.12",
  title: "Ensure that CPU priority is set appropriately on containers",
  level: "warning",
  rationale:
    "A CPU weight (CpuShares) or a CPU count (NanoCpus) keeps one container from starving " +
    "others. As the CIS check reads them, `cpus` in the Terraform provider sets CpuQuota and " +
    "CpuPeriod, not NanoCpus, so it does not count alone.",
  remediation:
    "Set `cpu_shares`. HardenedContainer sets it from `resources.cpuShares` (default 512) as " +
    "well as the `resources.cpus` quota.",
  blindSpots: "The host's CPU count, so whether shares and quotas leave room for other workloads.",
  check: (c) => {
    if (isUnknown(c.cpuShares)) return unknown(c.cpuShares);
    if (isUnknown(c.nanoCpus)) return unknown(c.nanoCpus);
    if (c.cpuShares !== 0) return pass(`CPU shares are ${c.cpuShares}`);
    if (c.nanoCpus !== 0) return pass(`NanoCpus is ${c.nanoCpus}`);
    const quota = !isUnknown(c.cpuQuota) && c.cpuQuota > 0;
    return fail(
      quota
        ? "neither CpuShares nor NanoCpus is set; a CPU quota (`cpus`) is set but does not count for this check: set cpu_shares"
        : "neither CpuShares nor NanoCpus is set",
    );
  },
};
