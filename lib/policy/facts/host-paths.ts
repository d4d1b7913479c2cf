import { posix } from "path";
import { trimEndChar } from "./linear-text";

/**
 * What a host path given to a bind mount reaches, decided once for the construct (which refuses
 * it) and the policy rules CIS 5.6 and 5.32 (which fail it). Paths are compared after
 * normalization, so `/etc/../etc/`, `//etc` and `/etc/` all name `/etc`.
 */

/**
 * The host directories that give the host away, each with what it gives: a container that can
 * read one learns the host's secrets, and one that can write it runs code as root on the host.
 * CIS 5.6 names `/ /boot /dev /etc /lib /proc /sys /usr`; the others come from the same question.
 */
export const SENSITIVE_HOST_DIRECTORIES: Readonly<Record<string, string>> = {
  "/": "the host's whole filesystem",
  "/etc": "the host's configuration and credentials (shadow, sudoers, ssh keys, cron tables)",
  "/root": "root's home: ssh keys, shell history, cloud and registry credentials",
  "/home": "the users' homes: ssh keys and credentials (and rootless Docker's engine state)",
  "/var/spool/cron": "the crontabs the host's scheduler runs as their owners",
  "/var/lib/docker": "other containers' layers, volumes and secrets, and the engine's state",
  "/var/lib/containerd": "containerd's snapshots and state: other containers' filesystems",
  "/var/lib/kubelet": "the kubelet's pod volumes and service-account tokens",
  "/run": "the engine sockets (docker.sock, containerd) and systemd's and D-Bus's control sockets",
  "/var/run": "the same as /run (a symlink on current hosts, a directory on some)",
  "/bin": "host binaries root runs (/usr/bin on merged-/usr hosts)",
  "/sbin": "host binaries root runs (/usr/sbin on merged-/usr hosts)",
  "/lib": "host libraries and kernel modules (/usr/lib on merged-/usr hosts)",
  "/lib32": "host libraries (/usr/lib32 on merged-/usr hosts)",
  "/lib64": "the host's dynamic loader (/usr/lib64 on merged-/usr hosts)",
  "/libx32": "host libraries (/usr/libx32 on merged-/usr hosts)",
  "/usr": "host binaries and libraries root runs",
  "/boot": "the host's kernel and boot loader",
  "/proc": "the host's processes and kernel knobs",
  "/sys": "the host's kernel and device settings (cgroups included)",
  "/dev": "the host's devices (disks, memory)",
};

/** The sensitive directories, for messages. */
export const SENSITIVE_HOST_PATHS: readonly string[] = Object.keys(SENSITIVE_HOST_DIRECTORIES);

/** `/etc/../etc/`, `//etc`, `/etc/./` and `/etc/` name `/etc`; `/..` names `/`. */
export function normalizeHostPath(path: string): string {
  const normalized = posix.normalize(path.trim());
  return normalized.length > 1 ? trimEndChar(normalized, "/") : normalized;
}

/**
 * The sensitive directory a host path is, is under, or holds (`/var` holds `/var/lib/docker`,
 * `/var/spool` the crontabs), after normalization; undefined for any other path. `/` is only
 * itself (everything is under it).
 */
export function sensitiveDirectoryOf(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  if (!path.startsWith("/")) return undefined;
  const dirs = SENSITIVE_HOST_PATHS;
  return (
    dirs.find((dir) => path === dir || (dir !== "/" && path.startsWith(`${dir}/`))) ??
    dirs.find((dir) => path !== "/" && dir.startsWith(`${path}/`))
  );
}

/**
 * The engine sockets: whoever can `connect()` to one of them controls the host. `/var/run` is a
 * symlink to `/run` on current distributions, but not on every host, so both spellings count.
 */
export const ENGINE_SOCKETS: readonly string[] = [
  "/run/docker.sock",
  "/var/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/var/run/containerd/containerd.sock",
];

/** Socket file names that are engine sockets wherever they live (rootless Docker, custom paths). */
const ENGINE_SOCKET_NAMES = ["docker.sock", "containerd.sock"];

/**
 * The engine socket a bind of `hostPath` reaches, or undefined: the socket itself, a directory
 * holding it (`/run`, `/var/run`, `/run/containerd`: a read-only bind does not stop `connect()`),
 * or any path naming `docker.sock` / `containerd.sock`. `/` reaches them too (and is refused on
 * its own by CIS 5.6).
 */
export function engineSocketReachedBy(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  const named = ENGINE_SOCKET_NAMES.find((name) => path.split("/").some((p) => p.includes(name)));
  if (named !== undefined) return path;
  return ENGINE_SOCKETS.find(
    (socket) => socket === path || path === "/" || socket.startsWith(`${path}/`),
  );
}

/**
 * The host paths a mount makes visible in the container: a bind's source, or the paths a
 * volume's driver shows (see `volumeHostAccess`). Empty for tmpfs mounts and plain volumes.
 */
export function hostPathsOfMount(mount: {
  readonly type: string;
  readonly source: string;
  readonly volumeHostPaths?: readonly string[];
}): readonly string[] {
  if (mount.type === "bind") return [mount.source];
  if (mount.type === "volume") return mount.volumeHostPaths ?? [];
  return [];
}
