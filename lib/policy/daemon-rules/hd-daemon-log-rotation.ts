import { DaemonRule } from "../daemon-model";
import { isUnknown, Unknown } from "../unknown";
import { fail, pass, quoted, unknown } from "../rules/support";

/** Drivers that keep logs on the host and rotate them by default. */
const ROTATING_BY_DEFAULT: ReadonlySet<string> = new Set(["local"]);
/** Drivers that keep logs on the host and grow without bound unless `max-size` is set. */
const NEEDS_MAX_SIZE: ReadonlySet<string> = new Set(["json-file"]);

/** HD-DAEMON-LOG-ROTATION: a container's logs cannot fill the host's disk by default. */
export const HD_DAEMON_LOG_ROTATION: DaemonRule = {
  id: "HD-DAEMON-LOG-ROTATION",
  title: "Ensure that the default log driver rotates logs (or ships them off the host)",
  level: "warning",
  rationale:
    "With `json-file` and no `max-size`, a container that writes without end fills the disk " +
    "under /var/lib/docker and takes the host's other containers down with it. CIS 2.13 asks " +
    "for central logging; at the least, logs kept on the host must be bounded.",
  remediation:
    'Set `"log-driver": "local"` (rotates by default) or keep `json-file` with ' +
    '`"log-opts": { "max-size": "10m", "max-file": "3" }` in daemon.json, or ship logs off the ' +
    "host (journald, syslog, fluentd, ...).",
  blindSpots:
    "The daemon's `--log-opt`s are not in the API: for `json-file` the rule reads them from the " +
    "log configuration of the engine's containers on that driver (the daemon merges its " +
    "defaults into each), so it needs at least one and cannot tell a container's own " +
    "`max-size` from the daemon's; what a remote driver's receiver keeps.",
  check: (d) => {
    if (isUnknown(d.loggingDriver)) return unknown(d.loggingDriver);
    const driver = d.loggingDriver;
    if (driver === "none") return fail("the default log driver is none: containers keep no logs");
    if (ROTATING_BY_DEFAULT.has(driver))
      return pass(`the default log driver ${driver} rotates by default`);
    if (!NEEDS_MAX_SIZE.has(driver)) {
      return pass(`the default log driver ${driver} ships logs off the container host's disk`);
    }
    const seen = d.defaultDriverLogConfigs;
    if (seen.length === 0) {
      return unknown(
        new Unknown(
          `the default log driver is ${driver}; its max-size is not in the API and no container ` +
            "read on this engine uses that driver to show it",
        ),
      );
    }
    const unbounded = seen.filter((c) => (c.config["max-size"] ?? "").trim() === "");
    if (unbounded.length > 0) {
      return fail(
        `the default log driver is ${driver} without max-size: ${unbounded.length} of ` +
          `${seen.length} containers on it keep unbounded logs (${quoted(unbounded.slice(0, 3).map((c) => c.resource))}` +
          `${unbounded.length > 3 ? ", ..." : ""})`,
      );
    }
    const sizes = [...new Set(seen.map((c) => c.config["max-size"] as string))];
    return pass(
      `the default log driver is ${driver}; all ${seen.length} containers on it have max-size ${quoted(sizes)}`,
    );
  },
};
