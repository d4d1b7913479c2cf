import { Rule } from "../rule";
import { hostNamespaceRule } from "./support";

/** CIS 5.16: the host's process namespace is not shared. */
export const CIS_5_16_HOST_PID: Rule = hostNamespaceRule({
  id: "CIS-5.16",
  title: "Ensure that the host's process namespace is not shared",
  namespace: "PID",
  attribute: "pid_mode",
  read: (c) => c.pidMode,
  blindSpots:
    "The PID namespace another container shares with `pid_mode = container:<x>` (unknown).",
  rationale:
    "With the host's PID namespace a container sees every host process and, as root, can signal " +
    "or trace them.",
});
