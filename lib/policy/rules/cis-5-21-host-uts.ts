import { Rule } from "../rule";
import { hostNamespaceRule } from "./support";

/** CIS 5.21: the host's UTS namespace is not shared. */
export const CIS_5_21_HOST_UTS: Rule = hostNamespaceRule({
  id: "CIS-5.21",
  title: "Ensure that the host's UTS namespace is not shared",
  namespace: "UTS",
  attribute: "uts_mode",
  read: (c) => c.utsMode,
  blindSpots:
    "Nothing configurable through the provider (it has no uts_mode); a live container shows its mode.",
  rationale:
    "With the host's UTS namespace a container can change the host's hostname. (The Terraform " +
    "provider has no uts_mode attribute; a live container shows its HostConfig.UTSMode.)",
});
