import type { Volume } from "@cdktf/provider-docker/lib/volume";
import { AuditProps } from "../audit/audit-props";
import { Clock } from "../audit/clock";
import { ContainerImage } from "../image/container-image";
import type { HardenedNetwork } from "../network/hardened-network";
import { SeccompProfile } from "../policy/seccomp";
import { Relaxation } from "../policy/relaxations";

export { AuditProps } from "../audit/audit-props";

/**
 * A port a container publishes on the host (a service's is `ServicePortProps`, which has no
 * host address).
 */
export interface ContainerPortProps {
  /** Port inside the container. */
  readonly internal: number;
  /**
   * Host port.
   * @default none - the engine picks a free ephemeral port (above 1024).
   * Host ports 1024 and below need `Relax.privilegedPorts` (CIS 5.8).
   */
  readonly external?: number;
  /**
   * Host address to bind.
   * @default "127.0.0.1" - the provider would bind 0.0.0.0 (every interface) if left empty
   * (CIS 5.14). `0.0.0.0` or `::` need `Relax.publishOnAllInterfaces`.
   */
  readonly hostIp?: string;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
}

/** A container's resource limits (a service's are `ServiceResourceProps`). */
export interface ContainerResourceProps {
  /**
   * Memory limit in MiB; swap is set to the same value, so the container cannot swap (CIS 5.11).
   * @default 256 - a runaway process is OOM-killed in its own cgroup instead of starving the host.
   */
  readonly memoryMiB?: number;
  /**
   * CPU quota in cores, synthesized as `cpu_quota` over a `cpu_period` of 100000 µs (never the
   * provider's `cpus`, which crashes kreuzwerker/docker 3.6.2 at create).
   * @default 0.5 - one container cannot take a whole core of a small host.
   */
  readonly cpus?: number;
  /**
   * Relative CPU weight (`cpu_shares`), which CIS 5.12 reads (a CFS quota does not set NanoCpus,
   * so the check needs shares).
   * @default 512 - half of Docker's default 1024: under contention the host's own services win.
   */
  readonly cpuShares?: number;
  /**
   * Maximum number of processes and threads (cgroup PIDs limit, CIS 5.29), applied by
   * `docker update --pids-limit` right after the container is created (see
   * docs/constructs-and-relaxations.md). No `nproc` ulimit is set: Linux counts it per uid across
   * the host, so it would be one budget shared by every container of the same user.
   * @default 128 - stops a fork bomb inside the container; enough for most services.
   */
  readonly pids?: number;
  /**
   * Open files limit (`nofile` ulimit, CIS 5.19).
   * @default 1024 - bounded, and enough for a typical service.
   */
  readonly openFiles?: number;
}

export interface HealthcheckProps {
  /** e.g. `["CMD", "/bin/healthcheck"]` or `["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/"]`. */
  readonly test: readonly string[];
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly startPeriodSeconds?: number;
  /** @default 3 */
  readonly retries?: number;
}

/** A writable tmpfs mount, always `noexec,nosuid,nodev` unless relaxed. */
export interface TmpfsProps {
  /** Absolute path in the container. */
  readonly path: string;
  /** @default 64 - bounded, so writing to it cannot exhaust host memory. */
  readonly sizeMiB?: number;
}

/** A host directory or named volume mounted into the container. */
export interface MountProps {
  /**
   * Absolute host path (bind) or volume name. Host paths that give the host away are refused
   * (CIS 5.6: `/`, `/etc`, `/root`, `/home`, `/var/spool/cron`, `/var/lib/docker`,
   * `/var/lib/containerd`, `/run`, `/var/run`, `/bin`, `/sbin`, `/lib*`, `/usr`, `/boot`, `/proc`,
   * `/sys`, `/dev`, below them and above them, after normalizing slashes, `.` and `..`), and so is
   * any path that reaches an engine socket (CIS 5.32). A volume is refused at synth when its
   * `docker_volume` (or the mount's driver options) shows such a path (`o=bind`, an overlay, a
   * host disk such as `type=ext4,device=/dev/sda1`) or reaches what the stack cannot judge (a
   * plugin, an NFS export).
   */
  readonly source: string;
  /** Absolute path in the container. */
  readonly target: string;
  /** @default "bind" when `source` starts with `/`, else "volume" */
  readonly type?: "bind" | "volume";
  /**
   * @default true - read-only, so the container cannot change what it shares with the host.
   * `false` needs `Relax.writableBindMount` naming the target.
   */
  readonly readOnly?: boolean;
}

/**
 * A named Docker volume mounted into the container: where a stateful service (a database, a
 * queue) keeps data that outlives the container, while the root filesystem stays read-only
 * (CIS 5.13). The volume uses Docker's `local` driver with no driver options: its data lives in
 * the engine's own storage, never in a host path the container could reach through it.
 */
export interface DataVolumeProps {
  /** Absolute path in the container, e.g. `/var/lib/postgresql/data`. */
  readonly path: string;
  /**
   * Name of the `docker_volume` the construct creates.
   * @default the container's name and the path joined with `-` (`db-var-lib-postgresql-data`):
   * the same on every deploy, since a new name is a new, empty volume.
   */
  readonly name?: string;
  /**
   * A `docker_volume` of the same stack to mount instead of creating one
   * (`new Volume(stack, "data", { name: "pgdata" })`), passed as the object so the container
   * depends on it. Its name must be a literal and its driver `local` (or unset), with no driver
   * options: `local` options can make a "volume" a bind of a host path (`o=bind,device=/`), a
   * host block device (`type=ext4,device=/dev/sda1`) or an overlay of host directories
   * (CIS 5.6), so a volume with options is refused here (checked again at synth).
   * @default none - the construct creates the volume (see `name`)
   */
  readonly volume?: Volume;
  /**
   * @default false - a data volume exists to be written, and writing it reaches nothing else: it
   * holds only what containers wrote to it, in the engine's storage (no host path, no driver
   * options), unlike a writable bind mount, which needs `Relax.writableBindMount`.
   */
  readonly readOnly?: boolean;
}

export interface LoggingProps {
  /** @default "json-file" - local and rotated. `local` is accepted too. */
  readonly driver?: "json-file" | "local";
  /** @default 10 - per file, so logs cannot fill the host disk. */
  readonly maxSizeMiB?: number;
  /** @default 3 */
  readonly maxFiles?: number;
}

export interface HardenedContainerProps {
  /**
   * The image, pinned by digest (`name@sha256:<64 hex>`, CIS 4.5) or a `ContainerImage`.
   * A tag alone is refused: use `ContainerImage.fromRegistryTag`.
   */
  readonly image: string | ContainerImage;
  /** Who, why, until when. Required (audit labels). */
  readonly audit: AuditProps;
  /**
   * Container name.
   * @default the construct path below the app, joined with `-` (unique per app).
   */
  readonly name?: string;
  /** @default the image's */
  readonly command?: readonly string[];
  /** @default the image's */
  readonly entrypoint?: readonly string[];
  /**
   * Environment variables. Names and values that look like secrets (`*_PASSWORD`, `*_PASS`,
   * `*_TOKEN`, `*_KEY`, credentials in a URL) are refused: the environment shows in
   * `docker inspect` (CIS 7.4). A variable that says where the secret's file is mounted passes:
   * a name ending in `FILE`, `_PATH` or `_DIR` with an absolute path as its value
   * (`POSTGRES_PASSWORD_FILE=/run/secrets/db-password`, `PGPASSFILE=/run/secrets/pgpass`).
   * @default none
   */
  readonly env?: Readonly<Record<string, string>>;
  /** @default the image's */
  readonly workingDir?: string;
  /**
   * Numeric `uid:gid` to run as (CIS 4.1).
   * @default "65534:65534" - nobody: owns no files on the host or in the image. UID or GID 0
   * needs `Relax.runAsRoot`.
   */
  readonly user?: string;
  /** Ports to publish. @default none */
  readonly ports?: readonly ContainerPortProps[];
  /**
   * User-defined networks to attach: `HardenedNetwork`s (by reference: the container depends on
   * the network and synthesizes `${docker_network.<id>.name}`) or network names. Overlay
   * networks are for HardenedService and refused here.
   * @default none: with no ports, no network at all (`network_mode: none`), so a container that
   * serves nobody can reach nobody; with ports, Docker's default bridge (which CIS 5.30 reports
   * as a warning: give a `HardenedNetwork.bridge`).
   */
  readonly networks?: readonly (string | HardenedNetwork)[];
  /** Memory, CPU, PIDs and open-file limits. Each field has its own secure default. */
  readonly resources?: ContainerResourceProps;
  /** Required unless waived with `Relax.noHealthcheck` (CIS 5.27, 4.6). */
  readonly healthcheck?: HealthcheckProps;
  /**
   * Size of the writable `/tmp` tmpfs in MiB (mounted `rw,noexec,nosuid,nodev`).
   * @default 64
   */
  readonly tmpSizeMiB?: number;
  /** More writable tmpfs paths (the root filesystem stays read-only, CIS 5.13). @default none */
  readonly tmpfs?: readonly TmpfsProps[];
  /** Bind mounts and named volumes, read-only unless relaxed. @default none */
  readonly mounts?: readonly MountProps[];
  /**
   * Named volumes for data that outlives the container, created by the construct (or a
   * provider `Volume` of the stack), writable, on the `local` driver with no host path.
   * Replacing the container keeps them; `cdktf destroy` deletes them with their data.
   * @default none - the container keeps nothing: writes go to tmpfs and vanish with it
   */
  readonly volumes?: readonly DataVolumeProps[];
  /**
   * The seccomp profile, inlined as JSON in `security_opts` (CIS 5.22).
   * @default SeccompProfile.hardenedDefault() - an allowlist close to Docker's default that also
   * denies mount, unshare, setns, keyctl, ptrace, bpf and the other escape primitives. Deny
   * more with its builder; allowing syscalls needs `Relax.allowSyscalls`.
   */
  readonly seccomp?: SeccompProfile;
  /**
   * Restart attempts after a failure (restart policy `on-failure`, CIS 5.15).
   * @default 5 - the CIS maximum: a crash loop stops instead of hammering the host.
   */
  readonly maxRestarts?: number;
  /** Log rotation. @default json-file, 10 MiB x 3 files */
  readonly logging?: LoggingProps;
  /** Extra labels. Keys under `io.hardened-docker.` are reserved. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Every weakening of a default, each with a reason. @default none */
  readonly relaxations?: readonly Relaxation[];
  /**
   * Registries/repositories the image may come from (prefixes, CIS 4.2).
   * @default the `hardened-docker:trustedRegistries` context value, else no allowlist
   */
  readonly trustedRegistries?: readonly string[];
  /** Where "now" comes from for expiry checks. @default the system clock */
  readonly clock?: Clock;
}
