import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, quoted, unknown } from "./support";

/** CIS 5.3: SELinux security options are set, where the host runs SELinux. */
export const CIS_5_3_SELINUX: Rule = {
  id: "CIS-5.3",
  title: "Ensure that, if applicable, SELinux security options are set",
  level: "warning",
  rationale:
    "SELinux labels confine a container's processes on hosts that enforce SELinux. It is decided " +
    "on the host: without SELinux the rule is not applicable (never a pass), and synthesized " +
    "configuration alone cannot decide it. As CIS asks, a `label=` security option must be set; " +
    "`label=disable` fails.",
  remediation:
    "On an SELinux host, add a `label=type:<type>` (or `label=level:...`) security option to the " +
    "container; never `label=disable` or privileged mode.",
  blindSpots:
    "From configuration, whether the hosts enforce SELinux (not applicable unless the host is known); what the policy of a given type allows.",
  check: (c, context) => {
    // An explicit opt-out fails wherever it runs: the same configuration may reach an SELinux host.
    if (!isUnknown(c.securityOpt)) {
      const disabled = c.securityOpt.filter((o) => /^label[=:]disable$/.test(o));
      if (disabled.length > 0) return fail(`SELinux labeling is disabled (${quoted(disabled)})`);
    }
    if (context.hostHasSELinux === false) {
      return notApplicable("not applicable: the host does not run SELinux");
    }
    if (context.hostHasSELinux === undefined) {
      return notApplicable(
        "not applicable here: SELinux is decided on the host, not in configuration (whether the host runs SELinux is unknown)",
      );
    }
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    const labels = c.securityOpt.filter((o) => /^label[=:]/.test(o));
    if (labels.length === 0) return fail("no label= security option is set");
    const disabled = labels.filter((o) => /^label[=:]disable$/.test(o));
    if (disabled.length > 0) return fail(`SELinux labeling is disabled (${quoted(disabled)})`);
    return pass(`SELinux options: ${quoted(labels)}`);
  },
};
