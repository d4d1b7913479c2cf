import { DEFAULTS } from "../policy/facts/defaults";
import { RelaxationKind } from "../policy/relaxations";
import { ResolveContext, WorkloadResolver, normalizePath } from "../container/workload-resolver";
import { HardenedNetwork } from "../network/hardened-network";
import { SERVICE_NOT_ENFORCEABLE } from "../policy/service-limits";
import { resolveWorkload } from "../container/resolve-workload";
import { ResolvedServiceSpec } from "./resolved-service-spec";
import { SERVICE_DEFAULTS } from "./service-defaults";
import { ParsedHardenedServiceProps, hardenedServicePropsSchema } from "./service-schema";

const MIB = 1024 * 1024;

/** Why a tmpfs size given to a service is refused, and the fix. */
const TMPFS_SIZE_REFUSED = `cannot be applied to a service: ${SERVICE_NOT_ENFORCEABLE.tmpfsSize}; remove it and size resources.memoryMiB`;
const NANO = 1e9;

/** Relaxations that have nothing to relax on a service, and why. */
const NOT_FOR_SERVICES: Partial<Record<RelaxationKind, string>> = {
  allowSyscalls: `there is no seccomp profile to relax: ${SERVICE_NOT_ENFORCEABLE.seccompProfile}`,
  executableTmpfs: `tmpfs flags cannot be written: ${SERVICE_NOT_ENFORCEABLE.tmpfsFlags}`,
  writableBindMount: "a HardenedService takes no bind mounts",
};

/**
 * Validates HardenedService props and applies every default: the one place where they are
 * resolved. Throws one HardenedDockerValidationError listing every problem found, those of the
 * schema and those between fields together (see validateInOnePass).
 */
export function resolveHardenedServiceProps(
  raw: unknown,
  context: ResolveContext,
): ResolvedServiceSpec {
  return resolveWorkload(
    hardenedServicePropsSchema,
    raw,
    context,
    (fields) => new ServiceResolver(fields, context),
  );
}

/** Resolves the fields that passed the schema (every one, unless a shape problem was found). */
class ServiceResolver extends WorkloadResolver<Partial<ParsedHardenedServiceProps>> {
  constructor(props: Partial<ParsedHardenedServiceProps>, context: ResolveContext) {
    super(props, context, "service");
  }

  public resolve(): ResolvedServiceSpec {
    const p = this.props;
    (p.relaxations ?? []).forEach((r, i) => {
      const why = NOT_FOR_SERVICES[r.kind];
      if (why) {
        this.used.add(r.kind);
        this.problem(`relaxations.${i}`, r.kind, `does not apply to a service: ${why}`);
      }
    });
    const image = this.resolveImage();
    const user = this.resolveUser();
    const ports = this.resolvePorts();
    const healthcheck = this.resolveHealthcheck();
    const capAdd = [...(this.relaxation("addCapabilities")?.capabilities ?? [])];
    const readOnlyRootfs = this.relaxation("writableRootFilesystem") === undefined;
    this.checkEnv();
    const labels = this.resolveLabels();
    this.checkUnusedRelaxations();
    const resources = p.resources ?? {};
    const memoryMiB = resources.memoryMiB ?? DEFAULTS.memoryMiB;
    const cpus = resources.cpus ?? DEFAULTS.cpus;
    const logging = p.logging ?? {};
    const update = p.rollingUpdate ?? {};
    const [uid, gid] = user.split(":");
    return {
      name: p.name ?? this.context.defaultName,
      image,
      user,
      command: p.command,
      entrypoint: p.entrypoint,
      env: { ...(p.env ?? {}) },
      workingDir: p.workingDir,
      replicas: p.replicas ?? SERVICE_DEFAULTS.replicas,
      ports,
      networks: this.resolveNetworks(),
      memoryBytes: memoryMiB * MIB,
      nanoCpus: Math.round(cpus * NANO),
      memoryReservationBytes: (resources.memoryReservationMiB ?? memoryMiB) * MIB,
      nanoCpusReservation: Math.round((resources.cpusReservation ?? cpus) * NANO),
      healthcheck,
      tmpfs: this.resolveTmpfs(),
      secrets: (p.secrets ?? []).map((s) => ({
        secretId: s.secret.id,
        secretName: s.secret.name,
        fileName: s.fileName,
        fileUid: /^\d+$/.test(uid ?? "") ? uid : "0",
        fileGid: /^\d+$/.test(gid ?? uid ?? "") ? (gid ?? uid) : "0",
        fileMode: SERVICE_DEFAULTS.secretFileMode,
      })),
      capAdd,
      readOnlyRootfs,
      maxRestarts: p.maxRestarts ?? DEFAULTS.maxRestarts,
      update: {
        parallelism: update.parallelism ?? SERVICE_DEFAULTS.updateParallelism,
        delaySeconds: update.delaySeconds ?? SERVICE_DEFAULTS.updateDelaySeconds,
        monitorSeconds: update.monitorSeconds ?? SERVICE_DEFAULTS.updateMonitorSeconds,
        order: update.order ?? SERVICE_DEFAULTS.updateOrder,
      },
      logDriver: logging.driver ?? DEFAULTS.logDriver,
      logOpts: {
        "max-size": `${logging.maxSizeMiB ?? DEFAULTS.logMaxSizeMiB}m`,
        "max-file": String(logging.maxFiles ?? DEFAULTS.logMaxFiles),
      },
      labels,
      relaxations: this.effectiveRelaxations(),
    };
  }

  /**
   * Swarm cannot bind a published port to one address, so every published port needs
   * `Relax.publishOnAllInterfaces` (CIS 5.14 / 7.2); low ports need `Relax.privilegedPorts`.
   */
  private resolvePorts(): ResolvedServiceSpec["ports"] {
    const list = this.props.ports ?? [];
    const allInterfaces = list.length > 0 ? this.relaxation("publishOnAllInterfaces") : undefined;
    const seen = new Set<string>();
    const result = list.map((port, i) => {
      const protocol = port.protocol ?? DEFAULTS.protocol;
      if (!allInterfaces) {
        this.problem(
          `ports.${i}`,
          port,
          `${SERVICE_NOT_ENFORCEABLE.publishOnAddress} (CIS 5.14, 7.2): publish nothing and reach the service over its overlay network, or record the exception with Relax.publishOnAllInterfaces(reason)`,
        );
      }
      if (port.external !== undefined) {
        const key = `${port.external}/${protocol}`;
        if (seen.has(key)) {
          this.problem(`ports.${i}.external`, port.external, `port ${key} is published twice`);
        }
        seen.add(key);
        this.checkPrivilegedPort(`ports.${i}.external`, port.external, "port");
      }
      return {
        internal: port.internal,
        external: port.external,
        protocol,
        publishMode: port.publishMode ?? SERVICE_DEFAULTS.publishMode,
      };
    });
    this.checkPrivilegedPortsPublished(result.map((r) => r.external));
    return result;
  }

  /** Overlay networks only: a bridge exists on one host and Swarm tasks cannot join it. */
  private resolveNetworks(): string[] {
    return (this.props.networks ?? []).map((n, i) => {
      if (typeof n === "string") {
        this.refuseHostNetwork(`networks.${i}`, n);
        return n;
      }
      if (n instanceof HardenedNetwork && n.driver !== "overlay") {
        this.problem(
          `networks.${i}`,
          n.node.path,
          "is a bridge network, which exists on one host only: give a HardenedNetwork.overlay",
        );
      }
      // The network's ID, not its name: kreuzwerker/docker 3.6.2 reads a service's
      // networks_advanced back as IDs (the task's network Target), and the attribute is ForceNew,
      // so a name planned the service's replacement on every deploy (seen on the real provider).
      return n.network.id;
    });
  }

  /** `/tmp` and the extra paths, with no size: see SERVICE_NOT_ENFORCEABLE.tmpfsSize. */
  private resolveTmpfs(): ResolvedServiceSpec["tmpfs"] {
    if (this.props.tmpSizeMiB !== undefined) {
      this.problem("tmpSizeMiB", this.props.tmpSizeMiB, TMPFS_SIZE_REFUSED);
    }
    const result: { target: string }[] = [{ target: DEFAULTS.tmpPath }];
    (this.props.tmpfs ?? []).forEach((t, i) => {
      const target = normalizePath(t.path);
      if (t.sizeMiB !== undefined) {
        this.problem(`tmpfs.${i}.sizeMiB`, t.sizeMiB, TMPFS_SIZE_REFUSED);
      }
      if (target === "/") {
        this.problem(`tmpfs.${i}.path`, t.path, "a tmpfs over / would hide the image");
      } else if (result.some((r) => r.target === target)) {
        this.problem(`tmpfs.${i}.path`, t.path, `${target} is mounted as tmpfs twice`);
      } else {
        result.push({ target });
      }
    });
    return result;
  }

  /** Secrets go in `secrets`, never in the environment (CIS 7.4). */
  private checkEnv(): void {
    this.checkSecretEnv(
      this.props.env ?? {},
      "create a docker_secret and mount it with secrets: [{ secret, fileName }]",
    );
  }
}
