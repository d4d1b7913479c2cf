import { normalizeHostPath } from "./host-paths";

/**
 * What a volume reaches outside Docker's own volume folder, judged the way the engine's `local`
 * driver reads its options (moby `volume/local/local_unix.go`): the keys `type`, `device`, `o`
 * and `size` (any other key, or `type`/`device`/`o` without both `type` and `device`, makes the
 * engine refuse the volume), then `mount(2)` of `device` on the volume's folder with filesystem
 * `type` and the comma-separated `o`, in which `bind` and `rbind` are flags (exact spelling,
 * moby/sys/mount `parseOptions`) and everything else is the filesystem's data.
 *
 * - no options (or only `size`, a quota): a folder under `/var/lib/docker/volumes`: nothing else;
 * - `o=bind`/`rbind`: the host path `device`, whatever `type` says (the kernel ignores it);
 * - `type=overlay`: the host directories in `lowerdir`, `upperdir`, `workdir` (and `lowerdir+`,
 *   `datadir+`);
 * - a disk filesystem (`ext4`, `xfs`, ...): the host's block device `device` (under `/dev`);
 * - a kernel filesystem (`proc`, `sysfs`, `cgroup2`, `mqueue`, ...): mounted by the engine, so the
 *   host's own (`/proc` of the host's PID namespace, ...), named by where the host keeps it;
 * - `tmpfs`/`ramfs`: memory, nothing of the host;
 * - a network filesystem (`nfs`, `cifs`, ...), another driver (a plugin), or anything else:
 *   unknown, since what it reaches is decided outside the stack (an NFS export may be this
 *   host's own root).
 */
export type VolumeHostAccess =
  | { readonly kind: "none" }
  | {
      readonly kind: "host-paths";
      /** The host paths the volume shows, as written (normalize before comparing). */
      readonly paths: readonly string[];
      /** How, for messages: `binds /srv/data`, `mounts the host's ext4 device /dev/sda1`. */
      readonly how: string;
    }
  | { readonly kind: "unknown"; readonly reason: string };

/** The option keys Docker's `local` driver accepts (any other key makes it refuse the volume). */
const LOCAL_DRIVER_KEYS: ReadonlySet<string> = new Set(["type", "device", "o", "size"]);

/** Filesystems backed by a block device: mounting one mounts a host disk. */
const DISK_FILESYSTEMS: ReadonlySet<string> = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "vfat",
  "msdos",
  "exfat",
  "ntfs",
  "ntfs3",
  "f2fs",
  "jfs",
  "reiserfs",
  "iso9660",
  "udf",
  "squashfs",
  "erofs",
  "hfsplus",
  "minix",
  "nilfs2",
  "bcachefs",
  "zfs",
]);

/**
 * Kernel filesystems the engine would mount in its own namespaces (the host's), by the host path
 * where the host shows the same thing; each is under a sensitive directory.
 */
const KERNEL_FILESYSTEMS: Readonly<Record<string, string>> = {
  proc: "/proc",
  sysfs: "/sys",
  devtmpfs: "/dev",
  devpts: "/dev/pts",
  mqueue: "/dev/mqueue",
  hugetlbfs: "/dev/hugepages",
  cgroup: "/sys/fs/cgroup",
  cgroup2: "/sys/fs/cgroup",
  debugfs: "/sys/kernel/debug",
  tracefs: "/sys/kernel/tracing",
  securityfs: "/sys/kernel/security",
  configfs: "/sys/kernel/config",
  bpf: "/sys/fs/bpf",
  pstore: "/sys/fs/pstore",
  efivarfs: "/sys/firmware/efi/efivars",
  fusectl: "/sys/fs/fuse/connections",
  binfmt_misc: "/proc/sys/fs/binfmt_misc",
  rpc_pipefs: "/run/rpc_pipefs",
  nsfs: "/proc",
};

/** Memory-backed filesystems: nothing of the host. */
const MEMORY_FILESYSTEMS: ReadonlySet<string> = new Set(["tmpfs", "ramfs"]);

/** overlayfs options naming host directories (`lowerdir` is a `:`-separated list). */
const OVERLAY_PATH_KEYS: ReadonlySet<string> = new Set([
  "lowerdir",
  "upperdir",
  "workdir",
  "lowerdir+",
  "datadir+",
]);

function unknownAccess(reason: string): VolumeHostAccess {
  return { kind: "unknown", reason };
}

function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}...` : value);
}

/** An absolute path, or undefined for a relative one (the engine's working directory decides). */
function absolute(path: string): string | undefined {
  return path.startsWith("/") ? path : undefined;
}

function overlayPaths(data: readonly string[]): VolumeHostAccess {
  const paths: string[] = [];
  for (const entry of data) {
    const eq = entry.indexOf("=");
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? "" : entry.slice(eq + 1);
    if (!OVERLAY_PATH_KEYS.has(key)) {
      if (value.includes("/")) {
        return unknownAccess(
          `the overlay option ${quote(entry)} names a path this audit does not read`,
        );
      }
      continue;
    }
    if (value.includes("\\")) {
      return unknownAccess(`the overlay option ${quote(entry)} escapes characters in its paths`);
    }
    for (const path of key === "lowerdir" ? value.split(":") : [value]) {
      if (absolute(path) === undefined) {
        return unknownAccess(`the overlay option ${quote(entry)} names a relative path`);
      }
      paths.push(path);
    }
  }
  if (paths.length === 0) return unknownAccess("an overlay mount without lowerdir");
  return { kind: "host-paths", paths, how: `overlays the host directories ${paths.join(", ")}` };
}

/**
 * What a volume with `driver` (empty or undefined: `local`) and `options` reaches outside
 * Docker's volume folder (see {@link VolumeHostAccess}).
 */
export function volumeHostAccess(
  driver: string | undefined,
  options: Readonly<Record<string, string>> | undefined,
): VolumeHostAccess {
  if (driver !== undefined && driver !== "" && driver !== "local") {
    return unknownAccess(
      `the volume driver ${quote(driver)} is a plugin: which host paths or remote storage it mounts is decided by the plugin, not the stack`,
    );
  }
  const entries = Object.entries(options ?? {});
  if (entries.length === 0) return { kind: "none" };
  const unread = entries.map(([k]) => k).filter((k) => !LOCAL_DRIVER_KEYS.has(k));
  if (unread.length > 0) {
    return unknownAccess(
      `the local driver option ${quote(unread[0] as string)} is not one it reads (type, device, o, size): Docker 20.10 refuses the volume, another version may not`,
    );
  }
  const opts = options ?? {};
  const type = opts.type;
  const device = opts.device;
  if (type === undefined && device === undefined && opts.o === undefined) return { kind: "none" };
  if (type === undefined || device === undefined || device === "") {
    return unknownAccess(
      "the local driver options set type, device or o without both type and device: Docker 20.10 refuses the volume, another version may mount something",
    );
  }
  const parts = (opts.o ?? "").split(",");
  if (parts.includes("bind") || parts.includes("rbind")) {
    if (absolute(device) === undefined) {
      return unknownAccess(
        `binds the relative path ${quote(device)}: the engine's working directory decides what it is`,
      );
    }
    return { kind: "host-paths", paths: [device], how: `binds ${device}` };
  }
  const data = parts.filter((p) => p !== "");
  if (MEMORY_FILESYSTEMS.has(type)) return { kind: "none" };
  if (type === "overlay") return overlayPaths(data);
  const kernel = KERNEL_FILESYSTEMS[type];
  if (kernel !== undefined && Object.prototype.hasOwnProperty.call(KERNEL_FILESYSTEMS, type)) {
    return {
      kind: "host-paths",
      paths: [kernel],
      how: `mounts the host's ${type} filesystem (what the host shows at ${kernel})`,
    };
  }
  if (DISK_FILESYSTEMS.has(type)) {
    if (absolute(device) === undefined) {
      return unknownAccess(
        `mounts the ${type} filesystem of ${quote(device)}, which only the host resolves to a disk`,
      );
    }
    const path = normalizeHostPath(device);
    if (!path.startsWith("/dev/")) {
      return unknownAccess(
        `mounts the ${type} filesystem of ${quote(device)}: a host block device, reached through a path outside /dev`,
      );
    }
    return {
      kind: "host-paths",
      paths: [device],
      how: `mounts the host's ${type} device ${device}`,
    };
  }
  return unknownAccess(
    `the local driver mounts ${quote(device)} as a ${quote(type)} filesystem: what that reaches (a remote export, which may be this host's own, or a host device) is not in the stack`,
  );
}
