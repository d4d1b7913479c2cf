import { Rule } from "../rule";
import { hostNamespaceRule } from "./support";

/** CIS 5.10: the host's network namespace is not shared. */
export const CIS_5_10_HOST_NETWORK: Rule = hostNamespaceRule({
  id: "CIS-5.10",
  title: "Ensure that the host's network namespace is not shared",
  namespace: "network",
  attribute: "network_mode",
  read: (c) => c.networkMode,
  blindSpots:
    "The namespace another container shares with `container:<x>` (unknown); host reach through macvlan/ipvlan networks or network plugins.",
  rationale:
    "With the host's network namespace a container sees every host interface, can bind any host " +
    "port and reach services listening on loopback only.",
});
