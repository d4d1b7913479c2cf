import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, unknown } from "./support";

function apparmorOption(options: readonly string[]): string | undefined {
  const found = options
    .map((o) => /^apparmor[=:](.*)$/.exec(o))
    .filter((m): m is RegExpExecArray => m !== null);
  return found.length > 0 ? found[found.length - 1][1] : undefined;
}

/** CIS 5.2: an AppArmor profile is enabled, where the host runs AppArmor. */
export const CIS_5_2_APPARMOR: Rule = {
  id: "CIS-5.2",
  title: "Ensure that, if applicable, an AppArmor profile is enabled",
  level: "warning",
  rationale:
    "AppArmor confines what a container's processes may touch on the host. It only exists on " +
    "hosts that run AppArmor, so this is decided on the host: without AppArmor the rule is not " +
    "applicable (never a pass), and synthesized configuration alone cannot decide it.",
  remediation:
    "On an AppArmor host, keep Docker's default profile (docker-default) or name a profile with " +
    "an `apparmor=<profile>` security option; never `apparmor=unconfined` or privileged mode.",
  blindSpots:
    "From configuration, whether the hosts run AppArmor (not applicable unless the host is known); what a named profile allows, on any input.",
  check: (c, context) => {
    // An explicit opt-out fails wherever it runs: the same configuration may reach an AppArmor host.
    if (!isUnknown(c.securityOpt)) {
      const option = apparmorOption(c.securityOpt);
      if (option === "" || option === "unconfined")
        return fail(`security option apparmor=${option} disables AppArmor`);
    }
    if (context.hostHasAppArmor === false) {
      return notApplicable("not applicable: the host does not run AppArmor");
    }
    if (context.hostHasAppArmor === undefined) {
      return notApplicable(
        "not applicable here: AppArmor is decided on the host, not in configuration (whether the host runs AppArmor is unknown)",
      );
    }
    if (c.appArmorProfile !== undefined) {
      const profile = c.appArmorProfile;
      if (profile === "" || profile === "unconfined") {
        return fail(`the container runs without an AppArmor profile (${JSON.stringify(profile)})`);
      }
      return pass(`AppArmor profile ${JSON.stringify(profile)}`);
    }
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    if (c.privileged) return fail("privileged mode runs the container unconfined by AppArmor");
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    const option = apparmorOption(c.securityOpt);
    if (option === undefined)
      return pass("Docker's default AppArmor profile (docker-default) applies");
    if (option === "" || option === "unconfined")
      return fail(`security option apparmor=${option} disables AppArmor`);
    return pass(`AppArmor profile ${JSON.stringify(option)}`);
  },
};
