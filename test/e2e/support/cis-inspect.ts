import type Docker from "dockerode";

/**
 * The CIS Docker Benchmark 1.6.0 container checks, read from `docker inspect` exactly as
 * shared/reference/cis-docker-runtime.md describes (the fields docker-bench-security reads).
 * Written independently of the project's policy adapters, so the end-to-end test compares the
 * library against the benchmark's own definition rather than against itself.
 */

/** One check on one live container. */
export interface CisFinding {
  readonly id: string;
  /** The inspect field(s) read. */
  readonly field: string;
  /** What was found, for messages. */
  readonly value: string;
  readonly secure: boolean;
}

/**
 * Docker's default capability set (CIS 5.4 flags additions outside it). Copied from the benchmark
 * on purpose, not imported from lib/: this oracle must not share the library's mistakes.
 */
const DOCKER_DEFAULT_CAPS = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "NET_RAW",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

const SENSITIVE_SOURCES = ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"];

/** A string array from an inspect field dockerode types as `any` (anything else: empty). */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

function stripCap(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, "");
}

/** Every published host binding: `[hostIp, hostPort]`. */
function publishedBindings(info: Docker.ContainerInspectInfo): { ip: string; port: number }[] {
  const bindings = Object.values(info.HostConfig.PortBindings ?? {}) as
    ({ HostIp?: string; HostPort?: string }[] | null)[] | undefined;
  const out: { ip: string; port: number }[] = [];
  for (const list of bindings ?? []) {
    for (const b of list ?? []) out.push({ ip: b.HostIp ?? "", port: Number(b.HostPort ?? 0) });
  }
  return out;
}

/**
 * Every per-container check of section 5 (and 4.1 / 4.5 / 4.6) that a live container can answer.
 * `networkNames` are the names of the networks the container is attached to (for 5.30).
 * 5.2 (AppArmor) and 5.3 (SELinux) are reported secure only when the host has no such LSM:
 * they are "not applicable" on these hosts, and the finding's value says so.
 */
export function cisFindings(
  info: Docker.ContainerInspectInfo,
  processes: readonly string[],
  hostHasAppArmor: boolean,
): CisFinding[] {
  const hc = info.HostConfig as Docker.ContainerInspectInfo["HostConfig"] & {
    CgroupParent?: string;
    UsernsMode?: string;
    UTSMode?: string;
    NanoCpus?: number;
    PidsLimit?: number | null;
    Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  };
  const securityOpt = stringList(hc.SecurityOpt);
  const mounts = (info.Mounts ?? []) as { Source?: string; Propagation?: string }[];
  const capAdd = stringList(hc.CapAdd).map(stripCap);
  const bindings = publishedBindings(info);
  const health = (info.State as { Health?: { Status?: string } }).Health;
  const networks = Object.keys(info.NetworkSettings.Networks ?? {});
  const user = info.Config.User ?? "";
  const f = (id: string, field: string, value: unknown, secure: boolean): CisFinding => ({
    id,
    field,
    value: show(value),
    secure,
  });
  return [
    f(
      "CIS-5.2",
      ".AppArmorProfile",
      hostHasAppArmor ? info.AppArmorProfile : "not applicable: the host runs no AppArmor",
      hostHasAppArmor ? info.AppArmorProfile !== "" && info.AppArmorProfile !== "unconfined" : true,
    ),
    f(
      "CIS-5.4",
      ".HostConfig.CapAdd",
      hc.CapAdd,
      capAdd.every((c) => DOCKER_DEFAULT_CAPS.has(c)),
    ),
    f("CIS-5.5", ".HostConfig.Privileged", hc.Privileged, hc.Privileged === false),
    f(
      "CIS-5.6",
      ".Mounts[].Source",
      mounts.map((m) => m.Source),
      mounts.every((m) => !SENSITIVE_SOURCES.includes(m.Source ?? "")),
    ),
    f(
      "CIS-5.7",
      "processes",
      processes,
      processes.every((p) => !/\bsshd\b/.test(p)),
    ),
    f(
      "CIS-5.8",
      "docker port",
      bindings,
      bindings.every((b) => b.port > 1024),
    ),
    f("CIS-5.10", ".HostConfig.NetworkMode", hc.NetworkMode, hc.NetworkMode !== "host"),
    f("CIS-5.11", ".HostConfig.Memory", hc.Memory, (hc.Memory ?? 0) > 0),
    f(
      "CIS-5.12",
      ".HostConfig.CpuShares/.NanoCpus",
      { CpuShares: hc.CpuShares, NanoCpus: hc.NanoCpus },
      (hc.CpuShares ?? 0) > 0 || (hc.NanoCpus ?? 0) > 0,
    ),
    f("CIS-5.13", ".HostConfig.ReadonlyRootfs", hc.ReadonlyRootfs, hc.ReadonlyRootfs === true),
    f(
      "CIS-5.14",
      "docker port",
      bindings,
      bindings.every((b) => b.ip !== "" && b.ip !== "0.0.0.0" && b.ip !== "::"),
    ),
    f(
      "CIS-5.15",
      ".HostConfig.RestartPolicy",
      hc.RestartPolicy,
      hc.RestartPolicy?.Name === "on-failure" && (hc.RestartPolicy.MaximumRetryCount ?? 0) <= 5,
    ),
    f("CIS-5.16", ".HostConfig.PidMode", hc.PidMode, hc.PidMode !== "host"),
    f("CIS-5.17", ".HostConfig.IpcMode", hc.IpcMode, hc.IpcMode !== "host"),
    f(
      "CIS-5.18",
      ".HostConfig.Devices",
      hc.Devices,
      !Array.isArray(hc.Devices) || hc.Devices.length === 0,
    ),
    f("CIS-5.19", ".HostConfig.Ulimits", hc.Ulimits, (hc.Ulimits ?? []).length > 0),
    f(
      "CIS-5.20",
      ".Mounts[].Propagation",
      mounts.map((m) => m.Propagation),
      mounts.every((m) => m.Propagation !== "shared" && m.Propagation !== "rshared"),
    ),
    f("CIS-5.21", ".HostConfig.UTSMode", hc.UTSMode, hc.UTSMode !== "host"),
    f(
      "CIS-5.22",
      ".HostConfig.SecurityOpt (seccomp)",
      securityOpt.filter((o) => o.startsWith("seccomp")).map((o) => o.slice(0, 40)),
      !securityOpt.some((o) => /^seccomp[=:]unconfined$/.test(o)),
    ),
    f("CIS-5.25", ".HostConfig.CgroupParent", hc.CgroupParent, (hc.CgroupParent ?? "") === ""),
    f(
      "CIS-5.26",
      ".HostConfig.SecurityOpt (no-new-privileges)",
      securityOpt.filter((o) => o.startsWith("no-new-privileges")),
      securityOpt.some((o) => /^no-new-privileges(:true|=true)?$/.test(o)),
    ),
    f("CIS-5.27", ".State.Health.Status", health?.Status, health !== undefined),
    f("CIS-5.29", ".HostConfig.PidsLimit", hc.PidsLimit, (hc.PidsLimit ?? 0) > 0),
    f("CIS-5.30", "networks", networks, !networks.includes("bridge")),
    f("CIS-5.31", ".HostConfig.UsernsMode", hc.UsernsMode, hc.UsernsMode !== "host"),
    f(
      "CIS-5.32",
      ".Mounts[].Source",
      mounts.map((m) => m.Source),
      mounts.every((m) => !(m.Source ?? "").includes("docker.sock")),
    ),
    f("CIS-4.1", ".Config.User", user, /^[1-9]\d*(:[1-9]\d*)?$/.test(user)),
    f(
      "CIS-4.5",
      ".Config.Image",
      info.Config.Image,
      /@sha256:[0-9a-f]{64}$/.test(info.Config.Image) ||
        /^sha256:[0-9a-f]{64}$/.test(info.Config.Image),
    ),
    f(
      "CIS-4.6",
      ".Config.Healthcheck",
      info.Config.Healthcheck?.Test,
      (info.Config.Healthcheck?.Test ?? []).length > 0 &&
        info.Config.Healthcheck?.Test?.[0] !== "NONE",
    ),
  ];
}

/** The CIS rule IDs the container's relaxation labels say it waives. */
export function waivedRules(labels: Readonly<Record<string, string>>): Set<string> {
  const waived = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (/^io\.hardened-docker\.relaxation\.[A-Za-z]+\.rules$/.test(key)) {
      for (const id of value.split(",")) waived.add(id.trim());
    }
  }
  return waived;
}
