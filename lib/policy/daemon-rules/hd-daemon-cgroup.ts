import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";
import { securityOptionNames } from "./security-options";

/** HD-DAEMON-CGROUP: containers get a private cgroup namespace by default. */
export const HD_DAEMON_CGROUP: DaemonRule = {
  id: "HD-DAEMON-CGROUP",
  title: "Ensure that containers get a private cgroup namespace by default",
  level: "warning",
  rationale:
    "In the host's cgroup namespace a container sees the host's whole cgroup tree (other " +
    "containers' names and limits, the host's services) in /proc/self/cgroup and, where " +
    "/sys/fs/cgroup is writable, more. cgroup v2 hosts default to a private namespace; cgroup " +
    "v1 hosts default to the host's.",
  remediation:
    'Start dockerd with `--default-cgroupns-mode=private` (`"default-cgroupns-mode": "private"` ' +
    "in daemon.json), and prefer a cgroup v2 host (`systemd.unified_cgroup_hierarchy=1`), where " +
    "it is the default and rootless resource limits work.",
  blindSpots:
    "Containers that ask for `--cgroupns=host` themselves (HD-CGROUPNS judges those); the " +
    "host's cgroup mount options.",
  check: (d) => {
    if (isUnknown(d.securityOptions)) return unknown(d.securityOptions);
    const version = isUnknown(d.cgroupVersion) ? "unknown" : `v${d.cgroupVersion}`;
    if (securityOptionNames(d.securityOptions).includes("cgroupns")) {
      return pass(`containers get a private cgroup namespace by default (cgroup ${version})`);
    }
    return fail(
      `containers share the host's cgroup namespace by default (cgroup ${version}; the daemon ` +
        "does not list name=cgroupns)",
    );
  },
};
