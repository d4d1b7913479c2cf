import { Maybe } from "./unknown";

/**
 * The one normalized model of a container's security-relevant settings. Every rule reads only
 * this model; adapters build it from synthesized Terraform JSON (`docker_container` and
 * `docker_service`), from a live container's `docker inspect` JSON and from a live Swarm
 * service's `docker service inspect` JSON. A service is modelled as the container each of its
 * tasks runs (`kind: "service"`). Units are the Engine API's (bytes, nanoseconds), so
 * the same configuration gives the same model whichever adapter built it.
 *
 * Fields that the source does not set hold the value Docker applies by default (for example
 * `restartPolicy.name` is `"no"` when a `docker_container` omits `restart`), so rules never have
 * to know the provider's or the engine's defaults.
 */
export interface ContainerModel {
  /**
   * Where the model came from: synthesized JSON, a live container (`docker inspect`) or a live
   * service spec (`docker service inspect`).
   */
  readonly source: "terraform" | "inspect" | "service-spec";
  /**
   * `container`: a standalone container. `service`: a Swarm service, whose tasks run the
   * container described here. Some settings cannot be given to a service through the provider
   * (see `lib/policy/service-limits.ts`): the rules on them say so (`not-applicable`, with the
   * reason) instead of failing a service for what it cannot express.
   */
  readonly kind: "container" | "service";
  /**
   * The resource's address: `docker_container.<name>` / `docker_service.<name>` for synthesized
   * input, `container:/<name>` for a live container, `service:<name>` for a live service.
   */
  readonly resource: string;
  /** The construct path that produced the resource, when known (cdktf metadata). */
  readonly constructPath?: string;
  /** The container name (`name` attribute, or the live name without leading slash). */
  readonly name: Maybe<string>;

  readonly image: Maybe<ImageModel>;
  /** `Config.User`; empty string when unset (the image's user applies, usually root). */
  readonly user: Maybe<string>;
  readonly privileged: Maybe<boolean>;
  readonly capAdd: Maybe<readonly string[]>;
  readonly capDrop: Maybe<readonly string[]>;
  /**
   * `HostConfig.SecurityOpt`, verbatim (seccomp JSON included), in the order Docker applies them
   * (the last of two conflicting options wins): the engine's order for a live container, the
   * provider's set order for synthesized input.
   */
  readonly securityOpt: Maybe<readonly string[]>;
  /**
   * The /proc and /sys paths Docker masks or makes read-only by default
   * (`lib/policy/facts/system-paths.ts`) that this container sees unmasked or writable:
   * `systempaths=unconfined`, privileged mode, or lists given through the API. `[]` when Docker's
   * defaults apply.
   */
  readonly unmaskedSystemPaths: Maybe<readonly string[]>;
  readonly readOnlyRootfs: Maybe<boolean>;
  /** Bind mounts, volumes and tmpfs mounts, from `mounts`, `volumes` and `tmpfs` alike. */
  readonly mounts: Maybe<readonly MountModel[]>;
  readonly ports: Maybe<readonly PortModel[]>;
  /** `HostConfig.NetworkMode`; Docker's default is `"default"` (the docker0 bridge). */
  readonly networkMode: Maybe<string>;
  /** Names of the networks the container is attached to (user-defined or `bridge`). */
  readonly networks: Maybe<readonly string[]>;
  readonly pidMode: Maybe<string>;
  readonly ipcMode: Maybe<string>;
  readonly utsMode: Maybe<string>;
  readonly usernsMode: Maybe<string>;
  readonly cgroupParent: Maybe<string>;
  /** Host device paths mapped into the container. */
  readonly devices: Maybe<readonly string[]>;
  /** Bytes; 0 means unlimited. */
  readonly memoryBytes: Maybe<number>;
  /** Bytes; 0 means unset (twice the memory), -1 unlimited swap. */
  readonly memorySwapBytes: Maybe<number>;
  readonly cpuShares: Maybe<number>;
  readonly nanoCpus: Maybe<number>;
  readonly cpuQuota: Maybe<number>;
  readonly cpuPeriod: Maybe<number>;
  /**
   * `HostConfig.PidsLimit`; 0, -1 and undefined mean unlimited. For synthesized input this is
   * the limit applied by the construct's PIDs-limit step (a `terraform_data` resource running
   * `docker update --pids-limit`), since the provider has no attribute for it.
   */
  readonly pidsLimit: Maybe<number | undefined>;
  readonly ulimits: Maybe<readonly UlimitModel[]>;
  readonly restartPolicy: Maybe<{ readonly name: string; readonly maximumRetryCount: number }>;
  /** Undefined when the container has no health check of its own (nor, live, from its image). */
  readonly healthcheck: Maybe<HealthcheckModel | undefined>;
  readonly logConfig: Maybe<{
    readonly type: string;
    readonly options: Readonly<Record<string, string>>;
  }>;
  readonly labels: Maybe<Readonly<Record<string, string>>>;
  readonly init: Maybe<boolean>;
  /** `HostConfig.GroupAdd` (a service's `ContainerSpec.Groups`): supplementary groups, sorted. */
  readonly groupAdd: Maybe<readonly string[]>;
  /** `HostConfig.Sysctls` (a service's `ContainerSpec.Sysctls`): kernel parameters set in it. */
  readonly sysctls: Maybe<Readonly<Record<string, string>>>;
  /** `HostConfig.CgroupnsMode`; `""` when not asked for (the daemon's default applies). */
  readonly cgroupnsMode: Maybe<string>;
  /** `HostConfig.Runtime`; `""` when not asked for (the daemon's default, runc). */
  readonly runtime: Maybe<string>;
  /**
   * GPUs requested (`gpus`; live: `HostConfig.DeviceRequests`, one `driver:count:capabilities`
   * entry per request); `[]` when none.
   */
  readonly gpus: Maybe<readonly string[]>;
  /** `Config.Env` (a service's `ContainerSpec.Env`) as `NAME=value`, sorted. */
  readonly env: Maybe<readonly string[]>;
  /** Live containers only: `.AppArmorProfile`. Undefined for synthesized input. */
  readonly appArmorProfile?: string;
  /** Live containers only: the command lines of its processes (`top`, or read from /proc). */
  readonly processes?: Maybe<readonly string[]>;
}

export interface ImageModel {
  /** The reference as the container will pull it (`repo@sha256:...`, `repo:tag`, `sha256:...`). */
  readonly reference: string;
  /**
   * True when what runs is fixed by content digest: a `name@sha256:<64 hex>` reference, or (for
   * synthesized input) a `docker_image` whose name is pinned to a digest resolved at plan time
   * from `docker_registry_image.sha256_digest`.
   */
  readonly pinnedByDigest: boolean;
  /** Registry and repository, e.g. `registry.example.com/payments/api`, without tag or digest. */
  readonly repository: string;
}

export interface MountModel {
  readonly type: "bind" | "volume" | "tmpfs";
  /** Host path for binds, volume name for volumes, empty for tmpfs. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** Bind propagation (`private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`) or "". */
  readonly propagation: string;
  /** tmpfs only: mount options, e.g. `["rw", "noexec", "nosuid", "nodev", "size=64m"]`. */
  readonly tmpfsOptions?: readonly string[];
  /**
   * Volumes only: the host paths the volume's driver shows in the container (the `local`
   * driver's `o=bind` device, overlay directories, a host disk under `/dev`, the host's `/proc`
   * for `type=proc`; see `volumeHostAccess`), which makes the volume a bind of them. Absent when
   * the volume is a folder of Docker's own, or its options are not visible (a volume created
   * outside the stack). A volume whose reach cannot be told makes `mounts` unknown.
   */
  readonly volumeHostPaths?: readonly string[];
  /** Volumes only: how the volume reaches `volumeHostPaths`, for messages (`binds /srv/data`). */
  readonly volumeAccess?: string;
}

export interface PortModel {
  readonly containerPort: number;
  /** 0 when the engine picks a host port. */
  readonly hostPort: number;
  /** `0.0.0.0` when not given: the provider's and the engine's default. */
  readonly hostIp: string;
  readonly protocol: string;
}

export interface UlimitModel {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface HealthcheckModel {
  /** e.g. `["CMD", "/bin/healthcheck"]`; `["NONE"]` disables the image's health check. */
  readonly test: readonly string[];
}
