import { Token } from "cdktf";
import { AuditLabel } from "../policy/facts/labels";
import { HardenedNetwork } from "../network/hardened-network";
import { DANGEROUS_SYSCALLS, SeccompProfile, undeniedSyscalls } from "../policy/seccomp";
import { DEFAULTS } from "../policy/facts/defaults";
import { hostAddressScope } from "../policy/facts/host-addresses";
import {
  engineSocketReachedBy,
  SENSITIVE_HOST_DIRECTORIES,
  SENSITIVE_HOST_PATHS,
  sensitiveDirectoryOf,
} from "../policy/facts/host-paths";
import { defaultVolumeName, volumeObjectProblems } from "./data-volumes";
import { ParsedHardenedContainerProps, hardenedContainerPropsSchema } from "./props-schema";
import { ResolvedContainerSpec } from "./resolved-spec";
import { resolveWorkload } from "./resolve-workload";
import { ResolveContext, WorkloadResolver, normalizePath } from "./workload-resolver";

export { ResolveContext } from "./workload-resolver";
export { DEPLOYED_BY_ENV } from "../audit/resolve-audit-labels";

/**
 * Validates HardenedContainer props and applies every default: the one place where defaults are
 * resolved. Throws one HardenedDockerValidationError listing every problem found, those of the
 * schema and those between fields together (see validateInOnePass).
 */
export function resolveHardenedContainerProps(
  raw: unknown,
  context: ResolveContext,
): ResolvedContainerSpec {
  return resolveWorkload(
    hardenedContainerPropsSchema,
    raw,
    context,
    (fields) => new Resolver(fields, context),
  );
}

/** Resolves the fields that passed the schema (every one, unless a shape problem was found). */
class Resolver extends WorkloadResolver<Partial<ParsedHardenedContainerProps>> {
  constructor(props: Partial<ParsedHardenedContainerProps>, context: ResolveContext) {
    super(props, context, "container");
  }

  public resolve(): ResolvedContainerSpec {
    const p = this.props;
    const image = this.resolveImage();
    const user = this.resolveUser();
    const ports = this.resolvePorts();
    const healthcheck = this.resolveHealthcheck();
    const tmpfs = this.resolveTmpfs();
    const mounts = this.resolveMounts(tmpfs);
    const name = p.name ?? this.context.defaultName;
    const volumes = this.resolveVolumes(tmpfs, mounts, name);
    const capAdd = [...(this.relaxation("addCapabilities")?.capabilities ?? [])];
    const readOnlyRootfs = this.relaxation("writableRootFilesystem") === undefined;
    const securityOpts = [
      DEFAULTS.noNewPrivileges,
      `seccomp=${this.resolveSeccomp(capAdd).toJson()}`,
    ];
    const labels = this.resolveLabels({
      [AuditLabel.pidsLimit]: String(p.resources?.pids ?? DEFAULTS.pids),
    });
    this.checkSecretEnv(
      p.env ?? {},
      "mount the secret as a read-only file (a bind of a file the host protects) and pass its path",
    );
    this.checkUnusedRelaxations();
    const resources = p.resources ?? {};
    const logging = p.logging ?? {};
    const networks = this.resolveNetworks(ports.length > 0);
    return {
      name,
      image,
      user,
      command: p.command,
      entrypoint: p.entrypoint,
      env: Object.entries(p.env ?? {}).map(([k, v]) => `${k}=${v}`),
      workingDir: p.workingDir,
      ports,
      networkMode: ports.length === 0 && networks.length === 0 ? "none" : undefined,
      networks,
      memoryMiB: resources.memoryMiB ?? DEFAULTS.memoryMiB,
      cpus: resources.cpus ?? DEFAULTS.cpus,
      cpuShares: resources.cpuShares ?? DEFAULTS.cpuShares,
      pids: resources.pids ?? DEFAULTS.pids,
      openFiles: resources.openFiles ?? DEFAULTS.openFiles,
      healthcheck,
      tmpfs,
      mounts,
      volumes,
      capAdd,
      readOnlyRootfs,
      securityOpts,
      maxRestarts: p.maxRestarts ?? DEFAULTS.maxRestarts,
      logDriver: logging.driver ?? DEFAULTS.logDriver,
      logOpts: {
        "max-size": `${logging.maxSizeMiB ?? DEFAULTS.logMaxSizeMiB}m`,
        "max-file": String(logging.maxFiles ?? DEFAULTS.logMaxFiles),
      },
      labels,
      relaxations: this.effectiveRelaxations(),
    };
  }

  private resolvePorts(): ResolvedContainerSpec["ports"] {
    const seen = new Set<string>();
    const allInterfaces = this.relaxations.publishOnAllInterfaces;
    const result = (this.props.ports ?? []).map((port, i) => {
      const ip = port.hostIp ?? DEFAULTS.hostIp;
      const protocol = port.protocol ?? DEFAULTS.protocol;
      if (hostAddressScope(ip) === "all") {
        if (allInterfaces) this.used.add("publishOnAllInterfaces");
        else
          this.problem(
            `ports.${i}.hostIp`,
            ip,
            "binds every host interface (CIS 5.14): bind a specific address such as 127.0.0.1, or Relax.publishOnAllInterfaces(reason)",
          );
      }
      if (port.external !== undefined) {
        const key = `${ip}:${port.external}/${protocol}`;
        if (seen.has(key))
          this.problem(
            `ports.${i}.external`,
            port.external,
            `host port ${key} is published twice: use it once`,
          );
        seen.add(key);
        this.checkPrivilegedPort(`ports.${i}.external`, port.external, "host port");
      }
      return { internal: port.internal, external: port.external, ip, protocol };
    });
    this.checkPrivilegedPortsPublished(result.map((r) => r.external));
    return result;
  }

  private resolveTmpfs(): Record<string, string> {
    const entries: { path: string; sizeMiB: number; field: string }[] = [
      {
        path: DEFAULTS.tmpPath,
        sizeMiB: this.props.tmpSizeMiB ?? DEFAULTS.tmpSizeMiB,
        field: "tmpSizeMiB",
      },
      ...(this.props.tmpfs ?? []).map((t, i) => ({
        path: normalizePath(t.path),
        sizeMiB: t.sizeMiB ?? DEFAULTS.extraTmpfsSizeMiB,
        field: `tmpfs.${i}.path`,
      })),
    ];
    const exec = this.relaxations.executableTmpfs;
    const result: Record<string, string> = {};
    for (const entry of entries) {
      if (entry.path === "/") {
        this.problem(
          entry.field,
          entry.path,
          "a tmpfs over / would hide the image: name a directory such as /var/cache/app",
        );
        continue;
      }
      if (result[entry.path] !== undefined) {
        this.problem(
          entry.field,
          entry.path,
          `${entry.path} is mounted as tmpfs twice: list it once (/tmp is always there)`,
        );
        continue;
      }
      const options = DEFAULTS.tmpfsOptions.filter(
        (o) => !(o === "noexec" && exec?.paths.map(normalizePath).includes(entry.path)),
      );
      result[entry.path] = [
        ...options,
        ...(options.includes("noexec") ? [] : ["exec"]),
        `size=${entry.sizeMiB}m`,
      ].join(",");
    }
    if (exec) {
      this.used.add("executableTmpfs");
      exec.paths
        .map(normalizePath)
        .filter((path) => result[path] === undefined)
        .forEach((path) =>
          this.problem(
            "relaxations.executableTmpfs.paths",
            path,
            `${path} is not a tmpfs mount: list it in tmpfs, or drop it from the relaxation`,
          ),
        );
    }
    return result;
  }

  private resolveMounts(tmpfs: Record<string, string>): ResolvedContainerSpec["mounts"] {
    const writable = this.relaxations.writableBindMount;
    const targets = new Set<string>();
    const result = (this.props.mounts ?? []).map((m, i) => {
      const type = m.type ?? (m.source.startsWith("/") ? "bind" : "volume");
      const target = normalizePath(m.target);
      const source = type === "bind" ? normalizePath(m.source) : m.source;
      if (type === "bind" && !m.source.startsWith("/")) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          "a bind mount source must be an absolute host path",
        );
      }
      if (
        type === "volume" &&
        !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(m.source) &&
        !Token.isUnresolved(m.source)
      ) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          "a volume name is letters, digits and _ . -; for a host path use an absolute path",
        );
      }
      const socket = type === "bind" ? engineSocketReachedBy(source) : undefined;
      const sensitive = type === "bind" ? sensitiveDirectoryOf(source) : undefined;
      if (sensitive !== undefined) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          `mounts a sensitive host directory (CIS 5.6: ${sensitive} holds ${SENSITIVE_HOST_DIRECTORIES[sensitive]}; refused: ${SENSITIVE_HOST_PATHS.join(" ")}, below and above them): mount a dedicated directory or a named volume instead (not relaxable)`,
        );
      }
      if (socket !== undefined) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          `reaches the engine socket ${socket}, which gives root on the host (CIS 5.32; a read-only bind does not stop connect()): not relaxable`,
        );
      } else if (m.source.includes("docker.sock")) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          "mounting the Docker socket gives root on the host (CIS 5.32): not relaxable",
        );
      }
      if (target === "/")
        this.problem(
          `mounts.${i}.target`,
          m.target,
          "a mount over / would replace the read-only root filesystem",
        );
      if (tmpfs[target] !== undefined) {
        this.problem(
          `mounts.${i}.target`,
          m.target,
          `${target} is already a tmpfs mount: use one or the other`,
        );
      }
      if (targets.has(target))
        this.problem(`mounts.${i}.target`, m.target, `${target} is mounted twice`);
      targets.add(target);
      const readOnly = m.readOnly ?? true;
      if (!readOnly) {
        if (writable?.targets.map(normalizePath).includes(target))
          this.used.add("writableBindMount");
        else
          this.problem(
            `mounts.${i}.readOnly`,
            false,
            `a writable mount at ${target} needs Relax.writableBindMount(["${target}"], reason); writable scratch space belongs in tmpfs`,
          );
      }
      return { type, source, target, readOnly };
    });
    writable?.targets
      .map(normalizePath)
      .filter((t) => !result.some((m) => m.target === t && !m.readOnly))
      .forEach((t) =>
        this.problem(
          "relaxations.writableBindMount.targets",
          t,
          `no writable mount at ${t}: drop it from the relaxation`,
        ),
      );
    return result;
  }

  /**
   * The data volumes: each at its own path (not over `/`, a tmpfs or another mount), each volume
   * once; a provider Volume must be of this stack, named by a literal, on the `local` driver with
   * no driver options (see data-volumes.ts).
   */
  private resolveVolumes(
    tmpfs: Record<string, string>,
    mounts: ResolvedContainerSpec["mounts"],
    containerName: string,
  ): ResolvedContainerSpec["volumes"] {
    const targets = new Set(mounts.map((m) => m.target));
    const names = new Set<string>();
    return (this.props.volumes ?? []).map((v, i) => {
      const target = normalizePath(v.path);
      if (target === "/") {
        this.problem(
          `volumes.${i}.path`,
          v.path,
          "a volume over / would replace the read-only root filesystem: name the data directory, e.g. /var/lib/postgresql/data",
        );
      } else if (tmpfs[target] !== undefined) {
        this.problem(
          `volumes.${i}.path`,
          v.path,
          `${target} is already a tmpfs mount: use one or the other`,
        );
      } else if (targets.has(target)) {
        this.problem(`volumes.${i}.path`, v.path, `${target} is mounted twice`);
      }
      targets.add(target);
      let name: string;
      if (v.volume !== undefined) {
        if (v.name !== undefined) {
          this.problem(
            `volumes.${i}.name`,
            v.name,
            "is given together with `volume`, whose own name is mounted: drop `name`",
          );
        }
        for (const problem of volumeObjectProblems(v.volume)) {
          this.problem(`volumes.${i}.volume`, problem.value, problem.message);
        }
        if (this.context.inSameStack?.(v.volume) === false) {
          this.problem(
            `volumes.${i}.volume`,
            v.volume.node.path,
            "belongs to another stack, so its name would reach this one only as a cross-stack reference nothing here can check: declare the Volume in the container's stack",
          );
        }
        name = v.volume.nameInput ?? "";
      } else {
        if (v.name === undefined && Token.isUnresolved(containerName)) {
          this.problem(
            `volumes.${i}.name`,
            undefined,
            "the container's name is a token, so no volume name can be derived from it: give the volume a name",
          );
        }
        name = v.name ?? defaultVolumeName(containerName, target);
      }
      if (name !== "" && names.has(name)) {
        this.problem(`volumes.${i}`, name, `volume ${name} is mounted twice: mount it once`);
      }
      names.add(name);
      return { name, target, readOnly: v.readOnly ?? false, create: v.volume === undefined };
    });
  }

  /**
   * The profile, widened by `Relax.allowSyscalls`. A custom profile that leaves open an escape
   * syscall the shipped one denies (an allow-all profile, one allowing mount, unshare, setns,
   * ...) for this container's capabilities is refused unless `Relax.allowSyscalls` names each
   * one, so the weakening carries a reason and HD-SECCOMP-DENYLIST waives only those syscalls.
   */
  private resolveSeccomp(capAdd: readonly string[]): SeccompProfile {
    let profile = this.props.seccomp ?? SeccompProfile.hardenedDefault();
    const allow = this.relaxation("allowSyscalls");
    if (this.props.seccomp !== undefined) {
      const named = new Set(allow?.syscalls ?? []);
      const open = undeniedSyscalls(profile.toObject(), DANGEROUS_SYSCALLS, {
        capabilities: capAdd,
      }).filter((name) => !named.has(name));
      if (open.length > 0) {
        this.problem(
          "seccomp",
          open,
          `the custom profile does not deny ${open.join(", ")}, which SeccompProfile.hardenedDefault() denies ` +
            "(container-escape syscalls, HD-SECCOMP-DENYLIST): deny them (profile.deny([...])), start from " +
            `SeccompProfile.hardenedDefault(), or name them in Relax.allowSyscalls([${open.map((n) => JSON.stringify(n)).join(", ")}], reason)`,
        );
      }
    }
    if (allow) profile = profile.allow([...allow.syscalls]);
    return profile;
  }

  /**
   * Network names (a HardenedNetwork by its name token). Overlay networks are refused (they
   * are for HardenedService), and published ports need a network with a route out: Docker
   * does not publish ports of a container whose only networks are internal.
   */
  private resolveNetworks(publishes: boolean): string[] {
    const given = this.props.networks ?? [];
    given.forEach((n, i) => {
      if (typeof n === "string") this.refuseHostNetwork(`networks.${i}`, n);
      if (n instanceof HardenedNetwork && n.driver === "overlay") {
        this.problem(
          `networks.${i}`,
          n.node.path,
          "is a Swarm overlay network, which standalone containers cannot join (it is not attachable): use HardenedNetwork.bridge for a HardenedContainer, or run the workload as a HardenedService",
        );
      }
    });
    const hardened = given.filter((n): n is HardenedNetwork => n instanceof HardenedNetwork);
    if (publishes && hardened.length > 0 && hardened.length === given.length) {
      if (hardened.every((n) => n.internal)) {
        this.problem(
          "networks",
          hardened.map((n) => n.node.path),
          "every network is internal (no route out), so Docker cannot publish the container's ports: add a network with internal: false for the published side, or publish no ports",
        );
      }
    }
    return given.map((n) => (typeof n === "string" ? n : n.name));
  }
}

/** True for `/`, and for `/boot /dev /etc /lib /proc /sys /usr` and anything below them. */
export function isSensitiveHostPath(path: string): boolean {
  return sensitiveDirectoryOf(path) !== undefined;
}
