import { posix } from "path";
import { SENSITIVE_HOST_PATHS } from "../../container/defaults";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** `/etc/../etc/` and `//etc` name `/etc`. */
function normalizeHostPath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, "") : normalized;
}

/** The sensitive directory a host path is, or is under (`/` only when it is `/` itself). */
export function sensitiveDirectoryOf(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  return SENSITIVE_HOST_PATHS.find(
    (dir) => path === dir || (dir !== "/" && path.startsWith(`${dir}/`)),
  );
}

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
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const hits = c.mounts
      .filter((m) => m.type === "bind")
      .map((m) => ({ m, dir: sensitiveDirectoryOf(m.source) }))
      .filter((x) => x.dir !== undefined)
      .map(
        (x) => `${x.m.source} -> ${x.m.target}${x.dir !== x.m.source ? ` (under ${x.dir})` : ""}`,
      );
    if (hits.length > 0) return fail(`mounts sensitive host directories: ${quoted(hits)}`);
    const binds = c.mounts.filter((m) => m.type === "bind").length;
    return pass(
      binds === 0
        ? "no host directory is mounted"
        : `none of ${binds} bind mounts is a sensitive host directory`,
    );
  },
};
