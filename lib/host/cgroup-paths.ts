import path from "node:path";

/**
 * Where a container's cgroup is, from `/proc/<pid>/cgroup` of one of its processes and the
 * cgroup mounts in `/proc/self/mountinfo`: the pieces {@link HostProcessReader} needs to list a
 * container's processes without the Engine API `top`. Pure parsing; no file is read here.
 */

/** One line of `/proc/<pid>/cgroup`: `hierarchy-ID:controller-list:path`. */
export interface CgroupEntry {
  /** The controllers of a cgroup v1 hierarchy (`pids`, `cpu,cpuacct`, `name=systemd`); empty for v2. */
  readonly controllers: readonly string[];
  /** True for the cgroup v2 (unified) line, `0::/path`. */
  readonly unified: boolean;
  /** The cgroup path as the kernel names it, relative to the hierarchy's root. */
  readonly path: string;
}

/** A cgroup file system mount (a line of `/proc/self/mountinfo` of type cgroup or cgroup2). */
export interface CgroupMount {
  readonly unified: boolean;
  /** v1: the mount's super options, which name its controllers (`rw,pids`, `rw,name=systemd`). */
  readonly controllers: readonly string[];
  /** The cgroup the mount shows at its mount point (`/` unless a sub-tree is bind-mounted). */
  readonly root: string;
  readonly mountPoint: string;
}

/**
 * The hierarchies a container's cgroup is looked up in, most preferred first: the v1 `pids`,
 * `memory` or `name=systemd` controller (each holds every process of a Docker container), else
 * the v2 unified hierarchy. On a hybrid host the v1 line wins.
 */
export const CGROUP_HIERARCHIES = ["pids", "memory", "name=systemd", "unified"] as const;
export type CgroupHierarchy = (typeof CGROUP_HIERARCHIES)[number];

/** Parses `/proc/<pid>/cgroup`; lines that are not `id:controllers:path` are skipped. */
export function parseProcCgroup(text: string): CgroupEntry[] {
  const entries: CgroupEntry[] = [];
  for (const line of text.split("\n")) {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) continue;
    const list = line.slice(first + 1, second);
    const cgroupPath = line.slice(second + 1);
    if (!cgroupPath.startsWith("/")) continue;
    const unified = line.slice(0, first) === "0" && list === "";
    entries.push({ controllers: list === "" ? [] : list.split(","), unified, path: cgroupPath });
  }
  return entries;
}

/** `\040` and the like in mountinfo fields are octal escapes. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Parses the cgroup and cgroup2 mounts out of `/proc/self/mountinfo`. */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of text.split("\n")) {
    const separator = line.indexOf(" - ");
    if (separator < 0) continue;
    const before = line.slice(0, separator).split(" ");
    const [fsType, , superOptions = ""] = line.slice(separator + 3).split(" ");
    if ((fsType !== "cgroup" && fsType !== "cgroup2") || before.length < 5) continue;
    mounts.push({
      unified: fsType === "cgroup2",
      controllers: fsType === "cgroup" ? superOptions.split(",") : [],
      root: unescapeMountField(before[3] as string),
      mountPoint: unescapeMountField(before[4] as string),
    });
  }
  return mounts;
}

function belongsTo(
  hierarchy: CgroupHierarchy,
  item: { unified: boolean; controllers: readonly string[] },
) {
  return hierarchy === "unified"
    ? item.unified
    : !item.unified && item.controllers.includes(hierarchy);
}

/** The entry of `hierarchy` in a parsed `/proc/<pid>/cgroup`, if the process has one. */
export function entryOf(
  entries: readonly CgroupEntry[],
  hierarchy: CgroupHierarchy,
): CgroupEntry | undefined {
  return entries.find((e) => belongsTo(hierarchy, e));
}

/**
 * The directory under `mount` that holds the cgroup `cgroupPath`, or undefined when the mount
 * does not show it (a bind-mounted sub-tree elsewhere, or a path outside this cgroup namespace).
 */
export function cgroupDirectory(mount: CgroupMount, cgroupPath: string): string | undefined {
  if (cgroupPath.split("/").includes("..")) return undefined;
  let relative: string;
  if (mount.root === "/") relative = cgroupPath;
  else if (cgroupPath === mount.root) relative = "/";
  else if (cgroupPath.startsWith(`${mount.root}/`)) relative = cgroupPath.slice(mount.root.length);
  else return undefined;
  return path.posix.join(mount.mountPoint, relative);
}

/**
 * The container's own cgroup within a process's cgroup path: the path up to the segment that is
 * the full container ID (cgroupfs driver: `/docker/<id>`) or `docker-<id>.scope` (systemd driver:
 * `/system.slice/docker-<id>.scope`). Undefined when no segment names the container.
 */
export function containerCgroupPath(cgroupPath: string, containerId: string): string | undefined {
  const segments = cgroupPath.split("/");
  const at = segments.findIndex((s) => s === containerId || s === `docker-${containerId}.scope`);
  return at < 0 ? undefined : segments.slice(0, at + 1).join("/");
}

/** True when `cgroupPath` is the container cgroup `containerPath` or one of its children. */
export function isWithin(cgroupPath: string, containerPath: string): boolean {
  return cgroupPath === containerPath || cgroupPath.startsWith(`${containerPath}/`);
}

/** Where a container's processes are listed. */
export interface ContainerCgroup {
  readonly hierarchy: CgroupHierarchy;
  /** The container's cgroup path as the kernel names it. */
  readonly path: string;
  /** Its directory (under the mount point; not yet prefixed with a test root). */
  readonly directory: string;
}

/**
 * Finds the container's cgroup from its init process's `/proc/<pid>/cgroup`: the first hierarchy
 * of {@link CGROUP_HIERARCHIES} that the process is in and that is mounted here. Every path looked
 * at must name the full container ID: a process of another container, or of this host, must never
 * stand in for it. Returns a reason (for the fallback to `top`) when no hierarchy fits.
 */
export function locateContainerCgroup(
  entries: readonly CgroupEntry[],
  mounts: readonly CgroupMount[],
  containerId: string,
): ContainerCgroup | string {
  for (const hierarchy of CGROUP_HIERARCHIES) {
    const entry = entryOf(entries, hierarchy);
    if (entry === undefined) continue;
    const containerPath = containerCgroupPath(entry.path, containerId);
    if (containerPath === undefined) {
      return `its cgroup (${hierarchy}) ${JSON.stringify(entry.path)} does not name the container ID`;
    }
    for (const mount of mounts.filter((m) => belongsTo(hierarchy, m))) {
      const directory = cgroupDirectory(mount, containerPath);
      if (directory !== undefined) return { hierarchy, path: containerPath, directory };
    }
  }
  return "none of its pids, memory, name=systemd or unified cgroups is mounted where this process can see it";
}
