import { Secret } from "@cdktf/provider-docker/lib/secret";
import { AuditProps } from "../audit/audit-props";
import { Clock } from "../audit/clock";
import { HealthcheckProps, LoggingProps, TmpfsProps } from "../container/hardened-container-props";
import { Relaxation } from "../policy/relaxations";
import { ContainerImage } from "../image/container-image";
import type { HardenedNetwork } from "../network/hardened-network";

/**
 * A port a service publishes. Swarm's port configuration (the provider's
 * `endpoint_spec.ports`) has no host address: a published port is reachable on every interface
 * of the node (CIS 5.14 / 7.2), so publishing needs `Relax.publishOnAllInterfaces(reason)`.
 * Bind to one address by putting a proxy on that address in front, or keep the service
 * unpublished on an internal overlay.
 */
export interface ServicePortProps {
  /** Port inside the container (`target_port`). */
  readonly internal: number;
  /**
   * Port on the node (`published_port`).
   * @default none - Swarm picks a free port (above 1024). Ports 1024 and below need
   * `Relax.privilegedPorts` (CIS 5.8).
   */
  readonly external?: number;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
  /**
   * `host`: published only on the node that runs the task. `ingress`: on every node of the
   * swarm, through the routing mesh.
   * @default "host" - the port opens on the nodes that run the service and nowhere else.
   */
  readonly publishMode?: "host" | "ingress";
}

/** A Swarm secret mounted into the service's containers as a file (never an environment variable, CIS 7.4). */
export interface ServiceSecretProps {
  /** The `docker_secret` holding the value (kept in the swarm's encrypted Raft log). */
  readonly secret: Secret;
  /**
   * File name under `/run/secrets/` (an in-memory filesystem inside the task).
   * Letters, digits and `_ . -`.
   */
  readonly fileName: string;
}

export interface ServiceResourceProps {
  /**
   * Memory limit in MiB (`task_spec.resources.limits.memory_bytes`, CIS 5.11). Swarm sets no
   * swap limit: see the Swarm column of docs/swarm.md.
   * @default 256 - a runaway task is OOM-killed in its own cgroup instead of starving the node.
   */
  readonly memoryMiB?: number;
  /**
   * CPU limit in cores (`limits.nano_cpus`, which CIS 5.12 reads).
   * @default 0.5 - one task cannot take a whole core of a small node.
   */
  readonly cpus?: number;
  /**
   * Memory the scheduler reserves on a node before placing a task (`reservation.memory_bytes`).
   * @default `memoryMiB` - a task is only placed where its whole limit fits, so nodes are not
   * overcommitted into OOM kills.
   */
  readonly memoryReservationMiB?: number;
  /**
   * CPU the scheduler reserves (`reservation.nano_cpus`).
   * @default `cpus` - for the same reason.
   */
  readonly cpusReservation?: number;
}

/** How Swarm rolls out a new version of the service, and rolls back a bad one. */
export interface RollingUpdateProps {
  /**
   * Tasks updated at once.
   * @default 1 - a bad version reaches one task before the monitor catches it.
   */
  readonly parallelism?: number;
  /** Seconds between batches. @default 10 */
  readonly delaySeconds?: number;
  /**
   * Seconds Swarm watches each updated task for failure before the next batch.
   * @default 30 - long enough for the health check to fail a broken version.
   */
  readonly monitorSeconds?: number;
  /**
   * `stop-first`: old task stopped before the new one starts; `start-first`: both run briefly.
   * @default "stop-first" - never two versions holding the same secret and volume at once.
   */
  readonly order?: "stop-first" | "start-first";
}

/**
 * HardenedService props: the same shape as HardenedContainer's where Swarm, through the
 * provider's `docker_service`, supports it. What it cannot express is stated, not faked:
 * no seccomp profile, no PIDs limit, no no-new-privileges, no ulimits, no swap limit, no tmpfs
 * flags and no host address for published ports (see `SERVICE_NOT_ENFORCEABLE`).
 */
export interface HardenedServiceProps {
  /** The image, pinned by digest (CIS 4.5) or a `ContainerImage`. */
  readonly image: string | ContainerImage;
  /** Who, why, until when. Required (labels on the service and on its containers). */
  readonly audit: AuditProps;
  /** Service name. @default the construct path below the app, joined with `-`. */
  readonly name?: string;
  /** Arguments (`container_spec.args`, the image's CMD). @default the image's */
  readonly command?: readonly string[];
  /** Entrypoint (`container_spec.command`, the image's ENTRYPOINT). @default the image's */
  readonly entrypoint?: readonly string[];
  /**
   * Environment variables. Names that look like secrets (PASSWORD, TOKEN, API_KEY, ...) are
   * refused: give them as `secrets` (CIS 7.4). @default none
   */
  readonly env?: Readonly<Record<string, string>>;
  /** @default the image's */
  readonly workingDir?: string;
  /**
   * Numeric `uid:gid` (CIS 4.1).
   * @default "65534:65534" - nobody: owns no files on the node or in the image.
   */
  readonly user?: string;
  /** Number of tasks. @default 1 */
  readonly replicas?: number;
  /** Ports to publish (see {@link ServicePortProps} on addresses). @default none */
  readonly ports?: readonly ServicePortProps[];
  /**
   * Overlay networks to join: `HardenedNetwork.overlay` (encrypted, CIS 7.3) or network IDs.
   * Give IDs, not names: kreuzwerker/docker 3.6.2 reads a service's networks back as IDs, so a
   * name makes every plan replace the service (a HardenedNetwork is passed by ID). Required:
   * a task on no network lands on the node's default bridge (CIS 5.30).
   */
  readonly networks: readonly (string | HardenedNetwork)[];
  /** Memory and CPU limits and reservations. Each field has its own secure default. */
  readonly resources?: ServiceResourceProps;
  /** Required unless waived with `Relax.noHealthcheck` (CIS 5.27, 4.6); Swarm replaces unhealthy tasks. */
  readonly healthcheck?: HealthcheckProps;
  /**
   * Not supported for services: refused at synth. kreuzwerker/docker 3.6.2 crashes on a
   * docker_service tmpfs size (resource_docker_service_structures.go:841). The writable `/tmp`
   * tmpfs (the root filesystem is read-only, CIS 5.13) is bounded by `resources.memoryMiB`
   * instead: tmpfs pages are charged to the task's memory cgroup.
   * @default no size option - the memory limit bounds it.
   */
  readonly tmpSizeMiB?: number;
  /**
   * More writable tmpfs paths, bounded like `/tmp` by the memory limit; `sizeMiB` is refused
   * (see `tmpSizeMiB`). @default none
   */
  readonly tmpfs?: readonly TmpfsProps[];
  /** Swarm secrets mounted as files under `/run/secrets/`, readable by `user` only. @default none */
  readonly secrets?: readonly ServiceSecretProps[];
  /**
   * Restart attempts after a failure (`restart_policy` condition `on-failure`, CIS 5.15).
   * @default 5 - a crash loop stops instead of hammering the node.
   */
  readonly maxRestarts?: number;
  /**
   * Rolling updates (`update_config`) with automatic rollback on failure (`rollback_config`).
   * @default one task at a time, 10 s apart, each watched 30 s, stop-first, roll back on failure
   */
  readonly rollingUpdate?: RollingUpdateProps;
  /** Log rotation. @default json-file, 10 MiB x 3 files */
  readonly logging?: LoggingProps;
  /** Extra labels. Keys under `io.hardened-docker.` are reserved. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Every weakening of a default, each with a reason. `allowSyscalls`, `executableTmpfs` and
   * `writableBindMount` do not apply to a service and are refused. @default none
   */
  readonly relaxations?: readonly Relaxation[];
  /** Registries/repositories the image may come from (CIS 4.2). @default the context value */
  readonly trustedRegistries?: readonly string[];
  /** Where "now" comes from for expiry checks. @default the system clock */
  readonly clock?: Clock;
}
