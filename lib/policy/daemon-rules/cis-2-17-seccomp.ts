import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";
import { securityOptionNames, securityOptionValue } from "./security-options";

/** CIS 2.17: the daemon applies a seccomp profile to every container that does not name one. */
export const CIS_2_17_SECCOMP: DaemonRule = {
  id: "CIS-2.17",
  title: "Ensure that the daemon-wide seccomp profile is not unconfined",
  level: "error",
  rationale:
    "The daemon's default seccomp profile blocks about 44 syscalls (keyctl, kexec, mount of new " +
    "file systems, ...) for every container that does not bring its own. A daemon started " +
    "with `--seccomp-profile=unconfined`, or without seccomp, leaves all of them open to every " +
    "such container.",
  remediation:
    "Remove `--seccomp-profile=unconfined` (Docker's default profile applies) or point it at a " +
    'profile file (`"seccomp-profile": "/etc/docker/seccomp.json"`); HardenedContainer sets a ' +
    "stricter profile of its own either way.",
  blindSpots:
    "The content of a custom profile file (only its path shows); containers that set " +
    "`seccomp=unconfined` themselves (CIS 5.22 judges those).",
  check: (d) => {
    if (isUnknown(d.securityOptions)) return unknown(d.securityOptions);
    if (!securityOptionNames(d.securityOptions).includes("seccomp")) {
      return fail(
        "seccomp is not among the daemon's security options: no container gets a profile",
      );
    }
    const profile = securityOptionValue(d.securityOptions, "seccomp", "profile") ?? "";
    if (profile === "unconfined") {
      return fail(
        "the daemon's default seccomp profile is unconfined: every container that names none runs without one",
      );
    }
    return pass(
      profile === "default" || profile === ""
        ? "Docker's default seccomp profile applies to containers that name none"
        : `the custom profile ${JSON.stringify(profile)} applies to containers that name none`,
    );
  },
};
