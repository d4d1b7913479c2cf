import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** SELinux types that run a process unconfined: the super-privileged container type and friends. */
const UNCONFINED_SELINUX_TYPES: ReadonlySet<string> = new Set(["spc_t", "unconfined_t"]);

/**
 * One security option split as the daemon's `parseSecurityOpt` splits it: the bare
 * `no-new-privileges` and `disable`, else at the first `=`, else (deprecated) at the first `:`.
 */
function splitOption(option: string): { key: string; value: string } | undefined {
  if (option === "disable") return { key: "label", value: "disable" };
  const eq = option.indexOf("=");
  const at = eq >= 0 ? eq : option.indexOf(":");
  if (at < 0) return undefined;
  return { key: option.slice(0, at), value: option.slice(at + 1) };
}

/** What in the options switches a kernel confinement off. */
function openings(options: readonly string[]): { off: string[]; apparmor: string[] } {
  const off: string[] = [];
  const apparmor: string[] = [];
  for (const option of options) {
    const split = splitOption(option);
    if (split === undefined) continue;
    if (split.key === "apparmor") {
      apparmor.push(split.value);
      if (split.value === "unconfined" || split.value === "") off.push(option);
    } else if (split.key === "label") {
      // go-selinux: `disable` anywhere turns labeling off; `type:<t>` picks the process type.
      const type = /^type:(.*)$/.exec(split.value)?.[1];
      if (split.value === "disable" || (type !== undefined && UNCONFINED_SELINUX_TYPES.has(type))) {
        off.push(option);
      }
    } else if (split.key === "systempaths" && split.value === "unconfined") {
      off.push(option);
    }
  }
  return { off, apparmor };
}

/** HD-CONFINEMENT: no security option switches off AppArmor, SELinux or Docker's masked /proc paths. */
export const HD_CONFINEMENT: Rule = {
  id: "HD-CONFINEMENT",
  title: "Ensure that no setting switches off the kernel confinement Docker applies",
  level: "error",
  rationale:
    "Docker confines every unprivileged container beyond its capabilities: /proc and /sys paths " +
    "that give the host away are masked or read-only (`/proc/kcore` is the host's memory, " +
    "`/proc/sysrq-trigger` reboots it, `/proc/sys` holds kernel parameters), and, where the host " +
    "runs them, AppArmor and SELinux confine what its processes touch. `systempaths=unconfined`, " +
    "`apparmor=unconfined`, `label=disable` (also `label:disable` and a bare `disable`) and " +
    "`label=type:spc_t` (the super-privileged container type; also `unconfined_t`) switch these " +
    "off wherever the container runs: error level, unlike CIS 5.2 and 5.3, which judge whether a " +
    "profile is set on a host that enforces one. Docker applies the last of two AppArmor options " +
    "(the provider sends a set in its hash order): two different profiles are judged by that " +
    "order only through CIS 5.2; any `unconfined` among them fails here.",
  remediation:
    "Remove the security option. HardenedContainer never sets any of them and has no relaxation " +
    "for them: a workload that needs the host's /proc is not one to run in a container.",
  blindSpots:
    "What a named AppArmor profile or SELinux type allows (only the unconfined ones are known); masked paths the daemon was configured to drop; privileged mode (CIS-5.5 judges it).",
  check: (c) => {
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    if (isUnknown(c.unmaskedSystemPaths)) return unknown(c.unmaskedSystemPaths);
    const { off } = openings(c.securityOpt);
    const problems: string[] = [];
    if (off.length > 0) problems.push(`security option${off.length > 1 ? "s" : ""} ${quoted(off)}`);
    if (c.unmaskedSystemPaths.length > 0) {
      problems.push(
        `${quoted(c.unmaskedSystemPaths)} not masked or read-only (systempaths=unconfined, or masked paths cleared)`,
      );
    }
    if (problems.length > 0) {
      return fail(`kernel confinement is switched off: ${problems.join("; ")}`);
    }
    return pass("no option switches off AppArmor, SELinux or the masked /proc and /sys paths");
  },
};
