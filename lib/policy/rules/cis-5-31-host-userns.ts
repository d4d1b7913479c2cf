import { Rule } from "../rule";
import { hostNamespaceRule } from "./support";

/** CIS 5.31: the host's user namespace is not shared. */
export const CIS_5_31_HOST_USERNS: Rule = hostNamespaceRule({
  id: "CIS-5.31",
  title: "Ensure that the host's user namespaces are not shared",
  namespace: "user",
  attribute: "userns_mode",
  read: (c) => c.usernsMode,
  blindSpots:
    "The daemon's user-namespace remapping (userns-remap), which decides what `host` means.",
  rationale:
    "`userns_mode = host` opts the container out of user-namespace remapping where the daemon " +
    "uses it, so root in the container is root on the host.",
});
