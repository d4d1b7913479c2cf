import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 5.5: no privileged containers. */
export const CIS_5_5_PRIVILEGED: Rule = {
  id: "CIS-5.5",
  title: "Ensure that privileged containers are not used",
  level: "error",
  rationale:
    "A privileged container gets every capability, every host device and no seccomp, AppArmor " +
    "or cgroup device restrictions: root in it is root on the host.",
  remediation:
    "Remove `privileged` (or set it to false). HardenedContainer never runs privileged; add the " +
    "few capabilities the workload needs with `Relax.addCapabilities` instead.",
  blindSpots:
    "Equivalent power granted piecemeal (capabilities, devices, host namespaces, mounts): the other rules judge each.",
  check: (c) => {
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    return c.privileged ? fail("privileged is true") : pass("privileged is false");
  },
};
