import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";
import { securityOptionNames } from "./security-options";

/** CIS 2.9 (and 2.1): root in a container is not root on the host. */
export const CIS_2_9_USERNS: DaemonRule = {
  id: "CIS-2.9",
  title: "Enable user namespace support (or run the daemon rootless, CIS 2.1)",
  level: "warning",
  rationale:
    "Without user-namespace remapping, UID 0 in a container is UID 0 on the host: a container " +
    "that escapes its other isolation (a kernel bug, a mounted socket, a writable host path) " +
    "acts as root there. With `userns-remap` or a rootless daemon it is an unprivileged user.",
  remediation:
    'Start dockerd with `--userns-remap=default` (or `"userns-remap": "default"` in ' +
    "daemon.json), or run the daemon rootless (`dockerd-rootless-setuptool.sh install`); " +
    "containers that need the host's user namespace then say so with `--userns=host`.",
  blindSpots:
    "The ranges in /etc/subuid and /etc/subgid; containers started with `--userns=host` " +
    "(CIS 5.31 judges those); whether the host's kernel limits unprivileged user namespaces.",
  check: (d) => {
    if (isUnknown(d.securityOptions)) return unknown(d.securityOptions);
    const names = securityOptionNames(d.securityOptions);
    if (names.includes("rootless")) return pass("the daemon runs rootless");
    if (names.includes("userns")) return pass("user-namespace remapping is on (name=userns)");
    return fail(
      "neither user-namespace remapping nor rootless mode is on: root in a container is root on the host",
    );
  },
};
