import { hostNamespaceRule } from "./support";

/** HD-CGROUPNS: the host's cgroup namespace is not shared. */
export const HD_CGROUPNS = hostNamespaceRule({
  id: "HD-CGROUPNS",
  title: "Ensure that the host's cgroup namespace is not shared",
  namespace: "cgroup",
  attribute: "cgroupns_mode",
  read: (c) => c.cgroupnsMode,
  level: "warning",
  blindSpots:
    "On a live cgroup v1 host, whether `host` was asked for or is the daemon's default; from configuration, the daemon's default when cgroupns_mode is unset (passes).",
  rationale:
    "With the host's cgroup namespace a container sees the host's whole cgroup hierarchy (every " +
    "other container's cgroup paths in /proc/self/cgroup and /sys/fs/cgroup) instead of its own " +
    "root. On cgroup v1 hosts Docker 20.10 uses `host` by default, so a live container shows " +
    "`host` unless `cgroupns_mode` is `private`.",
});
