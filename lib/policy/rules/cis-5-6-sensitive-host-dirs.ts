import {
  hostPathsOfMount,
  normalizeHostPath,
  SENSITIVE_HOST_PATHS,
  sensitiveDirectoryOf,
} from "../facts/host-paths";
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
    "Mounting a host directory that gives the host away lets a container read its secrets or run " +
    "code as root on it. CIS names / /boot /dev /etc /lib /proc /sys and /usr; this rule also " +
    `covers ${SENSITIVE_HOST_PATHS.filter((d) => !["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"].includes(d)).join(" ")} ` +
    "(credentials, the cron tables, other containers' layers and the engine's state, engine " +
    "sockets, host binaries on merged-/usr hosts), any path under them, and any path that holds " +
    "one (/var holds /var/lib/docker), compared after normalizing doubled and trailing slashes, " +
    "`.` and `..`. A volume counts by what its driver shows: the local driver's `o=bind` device, " +
    "overlay directories, a host disk (`type=ext4,device=/dev/sda1`), the host's own kernel " +
    "filesystems (`type=proc`).",
  remediation:
    "Mount only application data: HardenedContainer `mounts` refuses these host paths and such " +
    "volumes. Give the container its own copy of what it needs (a volume, or files in the image).",
  blindSpots:
    "Host symlinks and bind mounts that make an innocent path lead into a sensitive directory (a volume's device is a path on the host, resolved there); sensitive files kept elsewhere on a given host (/opt binaries run by root, /srv/home, another daemon's socket outside /run); what a named volume created outside the stack holds; which host paths or remote exports a volume plugin, NFS or CIFS volume reaches (read as unknown).",
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const hits: string[] = [];
    let hostMounts = 0;
    for (const m of c.mounts) {
      const hostPaths = hostPathsOfMount(m);
      if (hostPaths.length > 0) hostMounts += 1;
      for (const host of hostPaths) {
        const dir = sensitiveDirectoryOf(host);
        if (dir === undefined) continue;
        const path = normalizeHostPath(host);
        const relation =
          dir === path
            ? ""
            : path.startsWith(`${dir}/`) || dir === "/"
              ? ` (under ${dir})`
              : ` (holds ${dir})`;
        const what =
          m.type === "volume"
            ? `volume ${m.source} (${m.volumeAccess ?? `shows ${host}`})`
            : m.source;
        hits.push(`${what} -> ${m.target}${relation}`);
      }
    }
    if (hits.length > 0) return fail(`mounts sensitive host directories: ${quoted(hits)}`);
    return pass(
      hostMounts === 0
        ? "no host directory is mounted"
        : `none of ${hostMounts} bind mounts is a sensitive host directory`,
    );
  },
};
