import type Docker from "dockerode";
import {
  PROVIDER_DEFAULT_NETWORK_MODE,
  PROVIDER_DEFAULT_PORT_IP,
  PROVIDER_DEFAULT_PORT_PROTOCOL,
  PROVIDER_DEFAULT_RESTART,
  PROVIDER_DEFAULT_WAIT_TIMEOUT_SECONDS,
  PROVIDER_MB,
  parseGoDuration,
} from "../provider/docker-provider-facts";
import type { ContainerAttributes } from "./container-attributes";

/**
 * The Engine API body `POST /containers/create` receives for a `docker_container`, built the way
 * the Terraform provider (kreuzwerker/docker 3.6) builds it: see
 * shared/reference/docker-provider-mapping.md. Pure: no Engine calls, no defaults of its own
 * beyond the provider's. Values the provider leaves at the Engine default are left out.
 */

/** `HostConfig` with the fields dockerode's typings lack. */
export type EngineHostConfig = Docker.HostConfig & { CgroupnsMode?: string };

/** Create body for dockerode's `createContainer` (`name` is the container name). */
export type EngineContainerCreateOptions = Docker.ContainerCreateOptions & {
  HostConfig: EngineHostConfig;
};

function durationNs(text: string | undefined): number {
  if (text === undefined) return 0;
  const ns = parseGoDuration(text);
  if (ns === undefined) throw new Error(`not a Go duration: ${text}`);
  return ns;
}

/** Drops keys whose value is undefined, so the body holds only what the provider would send. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
  return list !== undefined && list.length > 0 ? [...list] : undefined;
}

function labelMap(
  labels: readonly { label: string; value: string }[] | undefined,
  extra: Readonly<Record<string, string>>,
): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const { label, value } of labels ?? []) map[label] = value;
  Object.assign(map, extra);
  return Object.keys(map).length > 0 ? map : undefined;
}

function ports(attrs: ContainerAttributes): {
  exposed?: Record<string, object>;
  bindings?: Record<string, Docker.PortBinding[]>;
} {
  if (!attrs.ports || attrs.ports.length === 0) return {};
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Docker.PortBinding[]> = {};
  for (const port of attrs.ports) {
    const key = `${port.internal}/${port.protocol ?? PROVIDER_DEFAULT_PORT_PROTOCOL}`;
    exposed[key] = {};
    // The trap: a port without `ip` is published on every interface, as the provider does.
    const binding: Docker.PortBinding = {
      HostIp: port.ip === undefined || port.ip === "" ? PROVIDER_DEFAULT_PORT_IP : port.ip,
      HostPort: port.external === undefined || port.external === 0 ? "" : String(port.external),
    };
    (bindings[key] ??= []).push(binding);
  }
  return { exposed, bindings };
}

function volumes(attrs: ContainerAttributes): {
  volumes?: Record<string, object>;
  binds?: string[];
  volumesFrom?: string[];
} {
  const anonymous: Record<string, object> = {};
  const binds: string[] = [];
  const volumesFrom: string[] = [];
  for (const v of attrs.volumes ?? []) {
    const source = v.volume_name || v.host_path;
    if (v.from_container) volumesFrom.push(v.from_container);
    else if (source) binds.push(`${source}:${v.container_path ?? ""}:${v.read_only ? "ro" : "rw"}`);
    else if (v.container_path) anonymous[v.container_path] = {};
  }
  return {
    volumes: Object.keys(anonymous).length > 0 ? anonymous : undefined,
    binds: nonEmpty(binds),
    volumesFrom: nonEmpty(volumesFrom),
  };
}

function mounts(attrs: ContainerAttributes): Docker.MountSettings[] | undefined {
  if (!attrs.mounts || attrs.mounts.length === 0) return undefined;
  return attrs.mounts.map((m) => {
    const mount: Docker.MountSettings = defined({
      Type: m.type,
      Target: m.target,
      Source: m.source ?? "",
      ReadOnly: m.read_only,
    });
    if (m.type === "bind" && m.bind_options) {
      mount.BindOptions = { Propagation: m.bind_options.propagation ?? "rprivate" };
    }
    if (m.type === "volume" && m.volume_options) {
      const o = m.volume_options;
      mount.VolumeOptions = defined({
        NoCopy: o.no_copy ?? false,
        Labels: labelMap(o.labels, {}) ?? {},
        DriverConfig: { Name: o.driver_name ?? "", Options: o.driver_options ?? {} },
        Subpath: o.subpath,
      });
    }
    if (m.type === "tmpfs" && m.tmpfs_options) {
      // The Engine takes either field alone; dockerode's typings demand both.
      mount.TmpfsOptions = defined({
        SizeBytes: m.tmpfs_options.size_bytes,
        Mode: m.tmpfs_options.mode,
      }) as NonNullable<Docker.MountSettings["TmpfsOptions"]>;
    }
    return mount;
  });
}

function healthcheck(attrs: ContainerAttributes): Docker.HealthConfig | undefined {
  const h = attrs.healthcheck;
  if (!h) return undefined;
  return defined({
    Test: [...h.test],
    Interval: durationNs(h.interval),
    Timeout: durationNs(h.timeout),
    StartPeriod: durationNs(h.start_period),
    StartInterval: h.start_interval === undefined ? undefined : durationNs(h.start_interval),
    Retries: h.retries ?? 0,
  });
}

function hostConfig(attrs: ContainerAttributes): EngineHostConfig {
  const p = ports(attrs);
  const v = volumes(attrs);
  const memorySwap =
    attrs.memory_swap === undefined || attrs.memory_swap === 0
      ? undefined
      : attrs.memory_swap > 0
        ? attrs.memory_swap * PROVIDER_MB
        : attrs.memory_swap;
  // `cpus` is refused by the attribute schema (it crashes the real provider).
  const cpuPeriod = attrs.cpu_period || undefined;
  const quota = attrs.cpu_quota || undefined;
  return defined<EngineHostConfig>({
    Privileged: attrs.privileged ?? false,
    PublishAllPorts: attrs.publish_all_ports ?? false,
    RestartPolicy: {
      Name: attrs.restart ?? PROVIDER_DEFAULT_RESTART,
      MaximumRetryCount: attrs.max_retry_count ?? 0,
    },
    AutoRemove: attrs.rm ?? false,
    ReadonlyRootfs: attrs.read_only ?? false,
    LogConfig: { Type: attrs.log_driver ?? "", Config: { ...(attrs.log_opts ?? {}) } },
    Mounts: mounts(attrs),
    Tmpfs: attrs.tmpfs && Object.keys(attrs.tmpfs).length > 0 ? { ...attrs.tmpfs } : undefined,
    PortBindings: p.bindings,
    ExtraHosts: nonEmpty(attrs.host?.map((h) => `${h.host}:${h.ip}`)),
    Binds: v.binds,
    VolumesFrom: v.volumesFrom,
    Ulimits: nonEmpty(attrs.ulimit?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }))),
    CapAdd: attrs.capabilities ? [...(attrs.capabilities.add ?? [])] : undefined,
    CapDrop: attrs.capabilities ? [...(attrs.capabilities.drop ?? [])] : undefined,
    Devices: nonEmpty(
      attrs.devices?.map((d) => ({
        PathOnHost: d.host_path,
        PathInContainer: d.container_path || d.host_path,
        CgroupPermissions: d.permissions || "rwm",
      })),
    ),
    Dns: nonEmpty(attrs.dns),
    DnsOptions: nonEmpty(attrs.dns_opts),
    DnsSearch: nonEmpty(attrs.dns_search),
    // Verbatim: an inline `seccomp=<profile JSON>` must reach the Engine unchanged.
    SecurityOpt: nonEmpty(attrs.security_opts),
    Memory: attrs.memory ? attrs.memory * PROVIDER_MB : undefined,
    MemorySwap: memorySwap,
    ShmSize: attrs.shm_size ? attrs.shm_size * PROVIDER_MB : undefined,
    CpuShares: attrs.cpu_shares || undefined,
    CpusetCpus: attrs.cpu_set || undefined,
    CpuPeriod: cpuPeriod,
    CpuQuota: quota,
    NetworkMode: attrs.network_mode || PROVIDER_DEFAULT_NETWORK_MODE,
    UsernsMode: attrs.userns_mode || undefined,
    PidMode: attrs.pid_mode || undefined,
    IpcMode: attrs.ipc_mode || undefined,
    CgroupnsMode: attrs.cgroupns_mode || undefined,
    Sysctls:
      attrs.sysctls && Object.keys(attrs.sysctls).length > 0 ? { ...attrs.sysctls } : undefined,
    GroupAdd: nonEmpty(attrs.group_add),
    StorageOpt:
      attrs.storage_opts && Object.keys(attrs.storage_opts).length > 0
        ? { ...attrs.storage_opts }
        : undefined,
    Runtime: attrs.runtime || undefined,
    CgroupParent: attrs.cgroup_parent || undefined,
    Init: attrs.init ?? false,
  });
}

/**
 * Maps a validated, reference-free `docker_container` body to the Engine create body.
 * `extraLabels` (e.g. the `up` stack label) are merged over the resource's own labels.
 */
export function toContainerCreateOptions(
  attrs: ContainerAttributes,
  extraLabels: Readonly<Record<string, string>> = {},
): EngineContainerCreateOptions {
  const p = ports(attrs);
  const v = volumes(attrs);
  return defined<EngineContainerCreateOptions>({
    name: attrs.name,
    Image: attrs.image,
    Hostname: attrs.hostname || undefined,
    Domainname: attrs.domainname || undefined,
    Tty: attrs.tty ?? false,
    OpenStdin: attrs.stdin_open ?? false,
    User: attrs.user || undefined,
    Env: nonEmpty(attrs.env),
    Cmd: nonEmpty(attrs.command),
    Entrypoint: nonEmpty(attrs.entrypoint),
    WorkingDir: attrs.working_dir || undefined,
    ExposedPorts: p.exposed,
    Volumes: v.volumes,
    Labels: labelMap(attrs.labels, extraLabels),
    Healthcheck: healthcheck(attrs),
    StopSignal: attrs.stop_signal || undefined,
    StopTimeout: attrs.stop_timeout,
    HostConfig: hostConfig(attrs),
  });
}

/** A user-defined network the container joins after create (`networks_advanced`). */
export interface NetworkAttachment {
  readonly network: string;
  readonly endpoint: Docker.EndpointSettings;
}

/**
 * `networks_advanced`, as the provider applies it: after create, the container leaves the
 * default `bridge` network and joins each listed network with its aliases and addresses.
 */
export function networkAttachments(attrs: ContainerAttributes): NetworkAttachment[] {
  return (attrs.networks_advanced ?? []).map((n) => ({
    network: n.name,
    endpoint: defined<Docker.EndpointSettings>({
      Aliases: nonEmpty(n.aliases),
      IPAMConfig:
        n.ipv4_address || n.ipv6_address
          ? defined({ IPv4Address: n.ipv4_address, IPv6Address: n.ipv6_address })
          : undefined,
    }),
  }));
}

/** What happens around create: start, the running check, the health wait, the removal. */
export interface ContainerLifecycle {
  /** `start`, default true. */
  readonly start: boolean;
  /** `must_run`, default true: a container not running after start fails the deployment. */
  readonly mustRun: boolean;
  /** `wait`, default false: wait for the health check to report healthy. */
  readonly waitHealthy: boolean;
  /** `wait_timeout`, default 60 seconds. */
  readonly waitTimeoutSeconds: number;
  /** `destroy_grace_seconds`: stop timeout on removal (Engine default when unset). */
  readonly destroyGraceSeconds?: number;
  /** `remove_volumes`, default true: anonymous volumes go with the container. */
  readonly removeVolumes: boolean;
}

export function containerLifecycle(attrs: ContainerAttributes): ContainerLifecycle {
  return {
    start: attrs.start ?? true,
    mustRun: attrs.must_run ?? true,
    waitHealthy: attrs.wait ?? false,
    waitTimeoutSeconds: attrs.wait_timeout ?? PROVIDER_DEFAULT_WAIT_TIMEOUT_SECONDS,
    destroyGraceSeconds: attrs.destroy_grace_seconds,
    removeVolumes: attrs.remove_volumes ?? true,
  };
}
