import { Rule } from "../rule";
import { parseSeccompSecurityOpt } from "../seccomp";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** CIS 5.22: the default seccomp profile is not disabled. */
export const CIS_5_22_SECCOMP_ENABLED: Rule = {
  id: "CIS-5.22",
  title: "Ensure the default seccomp profile is not Disabled",
  level: "error",
  rationale:
    "Seccomp keeps the container from the syscalls behind most kernel escapes; " +
    "`seccomp=unconfined` (or `seccomp:unconfined`) turns it off, and so does a profile the daemon " +
    "reads as empty (`{}`, `null`: no default action and no rules, read as Go's encoding/json reads it).",
  remediation:
    "Remove the `seccomp=unconfined` security option. HardenedContainer always sets its seccomp " +
    "allowlist (`seccomp`); allow a needed syscall with `Relax.allowSyscalls`.",
  blindSpots:
    "A profile given as a file path (cannot be read); a daemon whose default profile was replaced (`--seccomp-profile`), which applies when the container sets none.",
  check: (c) => {
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    if (c.privileged) return fail("privileged is true: Docker runs the container without seccomp");
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    // `seccomp=unconfined`, or a profile the daemon reads as none (`{}`, `null`: no action, no rules).
    const off = c.securityOpt.filter((o) => parseSeccompSecurityOpt(o)?.kind === "unconfined");
    if (off.length > 0) return fail(`seccomp is disabled: ${quoted(off)}`);
    return pass("seccomp is not disabled");
  },
};
