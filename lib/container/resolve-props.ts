import { userInfo } from "os";
import { Token } from "cdktf";
import {
  AuditLabel,
  MANAGED_BY_VALUE,
  LABEL_PREFIX,
  RELAXATION_LABEL_PREFIX,
} from "../audit/labels";
import { Clock, systemClock } from "../audit/clock";
import { daysBetween, parseIsoDate } from "../audit/iso-date";
import { ContainerImage } from "../image/container-image";
import { repositoryIsTrusted } from "../image/image-reference";
import { SeccompProfile } from "../seccomp";
import {
  ValidationProblem,
  problemsFromZod,
  HardenedDockerValidationError,
} from "../validation/validation-error";
import { DEFAULTS, MAX_PRIVILEGED_PORT, SENSITIVE_HOST_PATHS } from "./defaults";
import { ParsedHardenedContainerProps, hardenedContainerPropsSchema } from "./props-schema";
import { RELAXATION_WAIVES, Relaxation, RelaxationKind } from "./relaxations";
import { ResolvedContainerSpec } from "./resolved-spec";

/** What the construct knows besides its props. */
export interface ResolveContext {
  readonly constructPath: string;
  /** Name used when `props.name` is not given. */
  readonly defaultName: string;
  /** From the `hardened-docker:trustedRegistries` context, when set. */
  readonly contextTrustedRegistries?: readonly string[];
  /** Environment for `deployedBy` @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Environment variables read, in order, when `audit.deployedBy` is not given. */
export const DEPLOYED_BY_ENV = [
  "HARDENED_DOCKER_DEPLOYED_BY",
  "GITHUB_ACTOR",
  "GITLAB_USER_LOGIN",
  "BUILD_REQUESTEDFOR",
  "USER",
  "USERNAME",
] as const;

const ALL_INTERFACES = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Validates HardenedContainer props and applies every default: the one place where defaults are
 * resolved. Throws HardenedDockerValidationError listing every problem found.
 */
export function resolveHardenedContainerProps(
  raw: unknown,
  context: ResolveContext,
): ResolvedContainerSpec {
  const parsed = hardenedContainerPropsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HardenedDockerValidationError(
      problemsFromZod(context.constructPath, parsed.error, raw),
    );
  }
  const resolver = new Resolver(parsed.data, context);
  const spec = resolver.resolve();
  if (resolver.problems.length > 0) throw new HardenedDockerValidationError(resolver.problems);
  return spec;
}

class Resolver {
  public readonly problems: ValidationProblem[] = [];
  private readonly relaxations: { [K in RelaxationKind]?: Extract<Relaxation, { kind: K }> } = {};
  private readonly used = new Set<RelaxationKind>();
  private readonly clock: Clock;

  constructor(
    private readonly props: ParsedHardenedContainerProps,
    private readonly context: ResolveContext,
  ) {
    this.clock = props.clock ?? systemClock;
    (props.relaxations ?? []).forEach((r, i) => {
      if (this.relaxations[r.kind]) {
        this.problem(
          `relaxations.${i}`,
          r.kind,
          `"${r.kind}" is given twice: merge the two into one entry`,
        );
      }
      (this.relaxations as Record<string, Relaxation>)[r.kind] = r as Relaxation;
    });
  }

  private problem(field: string, value: unknown, message: string): void {
    this.problems.push({ constructPath: this.context.constructPath, field, value, message });
  }

  private relaxation<K extends RelaxationKind>(
    kind: K,
  ): Extract<Relaxation, { kind: K }> | undefined {
    const r = this.relaxations[kind] as Extract<Relaxation, { kind: K }> | undefined;
    if (r) this.used.add(kind);
    return r;
  }

  public resolve(): ResolvedContainerSpec {
    const p = this.props;
    const image = this.resolveImage();
    const user = this.resolveUser();
    const ports = this.resolvePorts();
    const healthcheck = this.resolveHealthcheck();
    const tmpfs = this.resolveTmpfs();
    const mounts = this.resolveMounts(tmpfs);
    const capAdd = [...(this.relaxation("addCapabilities")?.capabilities ?? [])];
    const readOnlyRootfs = this.relaxation("writableRootFilesystem") === undefined;
    const securityOpts = [DEFAULTS.noNewPrivileges, `seccomp=${this.resolveSeccomp().toJson()}`];
    const labels = this.resolveLabels();
    this.checkUnusedRelaxations();
    const resources = p.resources ?? {};
    const logging = p.logging ?? {};
    const networks = p.networks ?? [];
    return {
      name: p.name ?? this.context.defaultName,
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
      relaxations: p.relaxations ?? [],
    };
  }

  private resolveImage(): string {
    const image =
      typeof this.props.image === "string"
        ? ContainerImage.pinned(this.props.image)
        : this.props.image;
    if (!Token.isUnresolved(image.containerImage)) {
      const problem = image.pinningProblem();
      if (problem) this.problem("image", image.source, problem);
    }
    const allowlist = this.props.trustedRegistries ?? this.context.contextTrustedRegistries;
    if (
      allowlist &&
      image.repository !== undefined &&
      !repositoryIsTrusted(image.repository, allowlist)
    ) {
      if (!this.relaxation("untrustedRegistry")) {
        this.problem(
          "image",
          image.source,
          `repository ${image.repository} is not in the trusted registries (${allowlist.join(", ")}) (CIS 4.2): ` +
            "use an image from a trusted registry, add it to trustedRegistries, or Relax.untrustedRegistry(reason)",
        );
      }
    }
    return image.containerImage;
  }

  private resolveUser(): string {
    const root = this.relaxation("runAsRoot");
    const given = this.props.user;
    if (root) {
      const user = root.user ?? given ?? "0:0";
      if (given !== undefined && root.user !== undefined && given !== root.user) {
        this.problem(
          "user",
          given,
          `conflicts with Relax.runAsRoot user "${root.user}": give the user in one place`,
        );
      }
      return user;
    }
    const user = given ?? DEFAULTS.user;
    if (Token.isUnresolved(user)) return user;
    const match = /^(\d+)(?::(\d+))?$/.exec(user);
    if (!match) {
      this.problem(
        "user",
        user,
        'must be a numeric "uid:gid" such as "10001:10001" (a user name resolves inside the image and may be root, CIS 4.1); ' +
          "to run as a named or root user, use Relax.runAsRoot(reason, user)",
      );
    } else if (Number(match[1]) === 0 || (match[2] !== undefined && Number(match[2]) === 0)) {
      this.problem(
        "user",
        user,
        "runs as root (UID or GID 0, CIS 4.1): use a non-root uid:gid, or Relax.runAsRoot(reason)",
      );
    }
    return user;
  }

  private resolvePorts(): ResolvedContainerSpec["ports"] {
    const seen = new Set<string>();
    const allInterfaces = this.relaxations.publishOnAllInterfaces;
    const privileged = this.relaxations.privilegedPorts;
    const result = (this.props.ports ?? []).map((port, i) => {
      const ip = port.hostIp ?? DEFAULTS.hostIp;
      const protocol = port.protocol ?? DEFAULTS.protocol;
      if (ALL_INTERFACES.has(ip)) {
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
        if (port.external <= MAX_PRIVILEGED_PORT) {
          if (privileged?.hostPorts.includes(port.external)) this.used.add("privilegedPorts");
          else
            this.problem(
              `ports.${i}.external`,
              port.external,
              `host port ${port.external} is privileged (1024 or below, CIS 5.8): use a port above 1024, or Relax.privilegedPorts([${port.external}], reason)`,
            );
        }
      }
      return { internal: port.internal, external: port.external, ip, protocol };
    });
    if (privileged) {
      const published = new Set(result.map((r) => r.external));
      privileged.hostPorts
        .filter((hp) => !published.has(hp))
        .forEach((hp) =>
          this.problem(
            "relaxations.privilegedPorts.hostPorts",
            hp,
            `port ${hp} is not published: remove it from the relaxation`,
          ),
        );
    }
    return result;
  }

  private resolveHealthcheck(): ResolvedContainerSpec["healthcheck"] {
    const hc = this.props.healthcheck;
    const waived = this.relaxation("noHealthcheck");
    if (hc && waived) {
      this.problem(
        "healthcheck",
        hc.test,
        "is given together with Relax.noHealthcheck: keep the health check and drop the relaxation",
      );
    }
    if (!hc) {
      if (!waived) {
        this.problem(
          "healthcheck",
          undefined,
          'a health check is required (CIS 5.27, 4.6): give healthcheck: { test: ["CMD", "/bin/healthcheck"] }, or Relax.noHealthcheck(reason)',
        );
      }
      return undefined;
    }
    const d = DEFAULTS.healthcheck;
    return {
      test: hc.test,
      interval: `${hc.intervalSeconds ?? d.intervalSeconds}s`,
      timeout: `${hc.timeoutSeconds ?? d.timeoutSeconds}s`,
      startPeriod: `${hc.startPeriodSeconds ?? d.startPeriodSeconds}s`,
      retries: hc.retries ?? d.retries,
    };
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
      if (type === "bind" && isSensitiveHostPath(source)) {
        this.problem(
          `mounts.${i}.source`,
          m.source,
          `mounts a sensitive host directory (CIS 5.6: ${SENSITIVE_HOST_PATHS.join(" ")}): mount a dedicated directory or a named volume instead (not relaxable)`,
        );
      }
      if (m.source.includes("docker.sock")) {
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

  private resolveSeccomp(): SeccompProfile {
    let profile = this.props.seccomp ?? SeccompProfile.hardenedDefault();
    const allow = this.relaxation("allowSyscalls");
    if (allow) profile = profile.allow([...allow.syscalls]);
    return profile;
  }

  private resolveLabels(): Record<string, string> {
    const audit = this.props.audit;
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.props.labels ?? {})) {
      if (key.startsWith(`${LABEL_PREFIX}.`)) {
        this.problem(
          `labels.${key}`,
          value,
          `keys under ${LABEL_PREFIX}. are written by the library: use audit props or another prefix`,
        );
      } else labels[key] = value;
    }
    const expires = parseIsoDate(audit.expires);
    const now = this.clock.now();
    const maxDays = audit.maxLifetimeDays ?? DEFAULTS.maxLifetimeDays;
    if (!expires) {
      this.problem(
        "audit.expires",
        audit.expires,
        "must be a real date written YYYY-MM-DD, e.g. 2027-06-30",
      );
    } else if (daysBetween(now, expires) < 0) {
      this.problem(
        "audit.expires",
        audit.expires,
        "is in the past: review the container and set a new expiry date, or remove it",
      );
    } else if (daysBetween(now, expires) > maxDays) {
      this.problem(
        "audit.expires",
        audit.expires,
        `is more than ${maxDays} days ahead: choose an earlier date (or raise audit.maxLifetimeDays)`,
      );
    }
    const env = this.context.env ?? process.env;
    const deployedBy =
      audit.deployedBy ??
      DEPLOYED_BY_ENV.map((k) => env[k]).find((v) => v !== undefined && v.trim() !== "") ??
      (this.context.env ? undefined : osUserName());
    if (!deployedBy) {
      this.problem(
        "audit.deployedBy",
        undefined,
        `no deployer known: set audit.deployedBy or one of the environment variables ${DEPLOYED_BY_ENV.join(", ")}`,
      );
    }
    labels[AuditLabel.managedBy] = MANAGED_BY_VALUE;
    labels[AuditLabel.owner] = audit.owner;
    labels[AuditLabel.purpose] = audit.purpose;
    labels[AuditLabel.expires] = audit.expires;
    labels[AuditLabel.deployedBy] = deployedBy ?? "";
    if (audit.ticket) labels[AuditLabel.ticket] = audit.ticket;
    if (audit.contact) labels[AuditLabel.contact] = audit.contact;
    labels[AuditLabel.constructPath] = this.context.constructPath;
    labels[AuditLabel.pidsLimit] = String(this.props.resources?.pids ?? DEFAULTS.pids);
    for (const r of this.props.relaxations ?? []) {
      labels[`${RELAXATION_LABEL_PREFIX}${r.kind}`] = r.reason;
      const waives = RELAXATION_WAIVES[r.kind];
      if (waives.length > 0) labels[`${RELAXATION_LABEL_PREFIX}${r.kind}.rules`] = waives.join(",");
      const detail = relaxationDetail(r as Relaxation);
      if (detail) labels[`${RELAXATION_LABEL_PREFIX}${r.kind}.detail`] = detail;
    }
    return labels;
  }

  private checkUnusedRelaxations(): void {
    for (const kind of Object.keys(this.relaxations) as RelaxationKind[]) {
      if (!this.used.has(kind)) {
        this.problem(
          "relaxations",
          kind,
          `"${kind}" relaxes nothing in this configuration: remove it, so every recorded exception is a real one`,
        );
      }
    }
  }
}

function relaxationDetail(r: Relaxation): string | undefined {
  switch (r.kind) {
    case "addCapabilities":
      return r.capabilities.join(",");
    case "runAsRoot":
      return r.user;
    case "privilegedPorts":
      return r.hostPorts.join(",");
    case "writableBindMount":
      return r.targets.join(",");
    case "executableTmpfs":
      return r.paths.join(",");
    case "allowSyscalls":
      return r.syscalls.join(",");
    default:
      return undefined;
  }
}

/** The OS account running the synth, the last source for `deployedBy`. */
function osUserName(): string | undefined {
  try {
    const name = userInfo().username;
    return name.trim() === "" ? undefined : name;
  } catch {
    return undefined;
  }
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
  return trimmed === "" ? "/" : trimmed;
}

/** True for `/`, and for `/boot /dev /etc /lib /proc /sys /usr` and anything below them. */
export function isSensitiveHostPath(path: string): boolean {
  const p = normalizePath(path);
  return SENSITIVE_HOST_PATHS.some((s) =>
    s === "/" ? p === "/" : p === s || p.startsWith(`${s}/`),
  );
}
