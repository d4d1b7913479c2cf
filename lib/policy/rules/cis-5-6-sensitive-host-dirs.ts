import { hostPathOfMount, sensitiveDirectoryOf } from "../facts/host-paths";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

export { sensitiveDirectoryOf };

/** CIS 5.6: sensitive host system directories are not mounted in containers. */
export const CIS_5_6_SENSITIVE_HOST_DIRS: Rule = {
  id: "CIS-5.6",
  title: "Ensure sensitive host system directories are not mounted on containers",
  level: "error",
  rationale:
    "Mounting / /boot /dev /etc /lib /proc /sys or /usr lets a container read or change the " +
    "host's system files. CIS names these directories; this rule is stricter and also flags any " +
    "path under them (e.g. /etc/ssh, /proc/1), after normalizing `..` and trailing slashes.",
  remediation:
    "Mount only application data: HardenedContainer `mounts` refuses these host paths. Give the " +
    "container its own copy of what it needs (a volume, or files in the image).",
  blindSpots:
    "What a named volume holds, and which host path a volume plugin other than the local driver binds (driver options are read from volumes declared in the stack, a live Swarm service's spec and, in `audit --host`, the engine's volume list); host symlinks that make an innocent path lead into a sensitive directory; a volume created outside the stack, in synthesized input.",
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const hits = c.mounts
      .map((m) => ({ m, host: hostPathOfMount(m) }))
      .map((x) => ({ ...x, dir: x.host === undefined ? undefined : sensitiveDirectoryOf(x.host) }))
      .filter((x) => x.dir !== undefined)
      .map(
        (x) =>
          `${x.m.type === "volume" ? `volume ${x.m.source} (binds ${x.host})` : x.m.source} -> ${x.m.target}${x.dir !== x.host ? ` (under ${x.dir})` : ""}`,
      );
    if (hits.length > 0) return fail(`mounts sensitive host directories: ${quoted(hits)}`);
    const binds = c.mounts.filter((m) => hostPathOfMount(m) !== undefined).length;
    return pass(
      binds === 0
        ? "no host directory is mounted"
        : `none of ${binds} bind mounts is a sensitive host directory`,
    );
  },
};
