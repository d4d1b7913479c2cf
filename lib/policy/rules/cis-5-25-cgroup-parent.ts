import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 5.25: the container uses the default cgroup parent. */
export const CIS_5_25_CGROUP_PARENT: Rule = {
  id: "CIS-5.25",
  title: "Ensure that cgroup usage is confirmed",
  level: "warning",
  rationale:
    "A custom cgroup parent moves the container out of the cgroup Docker manages, so its limits " +
    "may be those of another group.",
  remediation: "Remove `cgroup_parent`. HardenedContainer never sets it.",
  blindSpots: "What the named parent cgroup limits on the host.",
  check: (c) => {
    if (isUnknown(c.cgroupParent)) return unknown(c.cgroupParent);
    if (c.cgroupParent !== "") return fail(`cgroup parent is ${JSON.stringify(c.cgroupParent)}`);
    return pass("the default cgroup parent is used");
  },
};
