import { isDefaultBridgeMode } from "../normalize";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** CIS 5.30: the default bridge docker0 is not used. */
export const CIS_5_30_DEFAULT_BRIDGE: Rule = {
  id: "CIS-5.30",
  title: "Ensure that Docker's default bridge 'docker0' is not used",
  level: "warning",
  rationale:
    "Every container on the default bridge can reach every other one on it (inter-container " +
    "traffic is allowed by default) and gets no name-based isolation. A user-defined network, or " +
    "no network at all, separates workloads.",
  remediation:
    "Attach the container to a user-defined network (`networks_advanced`; HardenedContainer " +
    "`networks`), or give it none (HardenedContainer uses network mode none when it publishes " +
    "no ports and joins no network).",
  blindSpots:
    "Whether a user-defined network is better isolated (inter-container communication, encryption): the network settings themselves.",
  check: (c) => {
    if (isUnknown(c.networkMode)) return unknown(c.networkMode);
    if (isUnknown(c.networks)) return unknown(c.networks);
    if (c.networks.includes("bridge"))
      return fail("attached to the default bridge network (docker0)");
    if (isDefaultBridgeMode(c.networkMode) && c.networks.length === 0) {
      return fail(
        `network mode ${JSON.stringify(c.networkMode)} with no user-defined network: the default bridge`,
      );
    }
    if (c.networkMode === "none") return pass("network mode none: no network at all");
    return pass(`not on the default bridge (networks: ${quoted(c.networks)})`);
  },
};
