import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

const SHARED: ReadonlySet<string> = new Set(["shared", "rshared"]);

/** CIS 5.20: mount propagation mode is not set to shared. */
export const CIS_5_20_MOUNT_PROPAGATION: Rule = {
  id: "CIS-5.20",
  title: "Ensure mount propagation mode is not set to shared",
  level: "error",
  rationale:
    "With shared propagation, mounts made inside the container appear on the host (and the " +
    "other way round), so a container can change what the host sees.",
  remediation:
    "Remove `bind_options.propagation = shared/rshared`. HardenedContainer binds with rprivate.",
  blindSpots:
    "Propagation of mounts the daemon or a volume plugin sets up, and of host mounts below a bind.",
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const shared = c.mounts.filter((m) => SHARED.has(m.propagation));
    if (shared.length > 0) {
      return fail(
        `mounts with shared propagation: ${quoted(shared.map((m) => `${m.target} (${m.propagation})`))}`,
      );
    }
    return pass("no mount uses shared propagation");
  },
};
