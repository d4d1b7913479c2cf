import { NetworkRule } from "../network-model";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, unknown } from "../rules/support";

/** The bridge driver option that lets containers on one bridge reach each other. */
export const BRIDGE_ICC_OPTION = "com.docker.network.bridge.enable_icc";

/** HD-BRIDGE-ICC: containers on a user-defined bridge cannot reach each other unless reviewed. */
export const HD_BRIDGE_ICC: NetworkRule = {
  target: "network",
  id: "HD-BRIDGE-ICC",
  title: "Ensure that inter-container communication is disabled on user-defined bridges",
  level: "warning",
  rationale:
    "On a bridge with inter-container communication (`enable_icc`, true unless set) a container " +
    "that is taken over can probe and attack every neighbour on it. CIS 2.1 asks for this on " +
    "the default bridge (a daemon setting); this rule asks it of user-defined bridges.",
  remediation:
    'Set `com.docker.network.bridge.enable_icc = "false"` in the network\'s options ' +
    "(HardenedNetwork's default); where the containers must talk (a web tier and its database), " +
    "keep it and suppress HD-BRIDGE-ICC with the reason.",
  blindSpots:
    "Which containers share the bridge and whether they need to talk; traffic published through " +
    "host ports, which ICC does not govern; the default bridge, which the daemon's --icc decides.",
  check: (n) => {
    if (isUnknown(n.driver)) return unknown(n.driver);
    if (n.driver !== "bridge") return notApplicable(`driver ${n.driver}: not a bridge`);
    if (isUnknown(n.options)) return unknown(n.options);
    const value = n.options[BRIDGE_ICC_OPTION];
    if (value !== undefined && /^(false|0|f)$/i.test(value.trim())) {
      return pass("inter-container communication is disabled");
    }
    return fail(
      value === undefined
        ? `${BRIDGE_ICC_OPTION} is not set: containers on the bridge reach each other`
        : `${BRIDGE_ICC_OPTION} is ${JSON.stringify(value)}: containers on the bridge reach each other`,
    );
  },
};
