import { posix } from "path";
import { trimEndChar } from "./linear-text";
import { SENSITIVE_HOST_PATHS } from "./defaults";

/**
 * What a host path given to a bind mount reaches, decided once for the construct (which refuses
 * it) and the policy rules CIS 5.6 and 5.32 (which fail it). Paths are compared after
 * normalization, so `/etc/../etc/`, `//etc` and `/etc/` all name `/etc`.
 */

/** `/etc/../etc/`, `//etc` and `/etc/` name `/etc`; `/..` names `/`. */
export function normalizeHostPath(path: string): string {
  const normalized = posix.normalize(path.trim());
  return normalized.length > 1 ? trimEndChar(normalized, "/") : normalized;
}

/** The sensitive directory a host path is, or is under (`/` only when it is `/` itself). */
export function sensitiveDirectoryOf(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  return SENSITIVE_HOST_PATHS.find(
    (dir) => path === dir || (dir !== "/" && path.startsWith(`${dir}/`)),
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
 * The host path a volume's driver options bind (the `local` driver's `type=none,o=bind,device=/`
 * makes a "named volume" a bind of `device`), or undefined when the options bind nothing.
 */
export function hostPathBoundByVolumeOptions(
  options: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (options === undefined) return undefined;
  const flags = (options.o ?? "").split(",").map((o) => o.trim().toLowerCase());
  if (!flags.includes("bind") && !flags.includes("rbind")) return undefined;
  const device = options.device ?? "";
  return device === "" ? undefined : device;
}

/**
 * The host path a mount makes visible in the container: a bind's source, or the path a volume's
 * driver options bind. Undefined for tmpfs mounts and plain volumes.
 */
export function hostPathOfMount(mount: {
  readonly type: string;
  readonly source: string;
  readonly boundHostPath?: string;
}): string | undefined {
  if (mount.type === "bind") return mount.source;
  if (mount.type === "volume") return mount.boundHostPath;
  return undefined;
}
