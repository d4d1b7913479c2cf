import { DOCKER_DEFAULT_CAPABILITIES } from "../facts/capabilities";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, failAbout, normalizeCapability, pass, quoted, unknown } from "./support";

const DEFAULT_SET: ReadonlySet<string> = new Set(DOCKER_DEFAULT_CAPABILITIES);

/** CIS 5.4: Linux kernel capabilities are restricted within containers. */
export const CIS_5_4_CAPABILITIES: Rule = {
  id: "CIS-5.4",
  title: "Ensure that Linux kernel capabilities are restricted within containers",
  level: "error",
  waivedBy: ["addCapabilities"],
  rationale:
    "Capabilities beyond Docker's default set (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...) give a " +
    "process in the container powers over the host kernel. CIS passes a container that adds " +
    "only capabilities from Docker's default set; adding ALL fails. The message also says " +
    "whether ALL is dropped, as HardenedContainer does.",
  remediation:
    "Drop capabilities rather than add them: HardenedContainer drops ALL; grant a needed one " +
    "back with `Relax.addCapabilities([...], reason)`, which records the reason and waives " +
    "CIS-5.4 visibly.",
  blindSpots:
    "Capabilities regained through setuid binaries or file capabilities in the image when no-new-privileges is off (CIS 5.26 judges that); a daemon whose default capability set differs from Docker's.",
  check: (c) => {
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    if (c.privileged) return fail("privileged is true: the container holds every capability");
    if (isUnknown(c.capAdd)) return unknown(c.capAdd);
    const added = c.capAdd.map(normalizeCapability);
    const dropsAll = isUnknown(c.capDrop)
      ? "whether ALL is dropped is not known"
      : c.capDrop.map(normalizeCapability).includes("ALL")
        ? "ALL is dropped"
        : "ALL is not dropped, so Docker's default capabilities remain";
    if (added.includes("ALL"))
      return failAbout(
        `capAdd holds ALL: every capability is granted (${dropsAll})`,
        "capability",
        ["ALL"],
      );
    const extra = added.filter((cap) => !DEFAULT_SET.has(cap));
    if (extra.length > 0) {
      return failAbout(
        `adds capabilities outside Docker's default set: ${quoted(extra)} (${dropsAll})`,
        "capability",
        extra,
      );
    }
    if (added.length === 0) return pass(`adds no capabilities; ${dropsAll}`);
    return pass(`adds only capabilities from Docker's default set: ${quoted(added)}; ${dropsAll}`);
  },
};
