import { parseGoDuration } from "../provider/docker-provider-facts";
import type { SecretAttributes, ServiceAttributes } from "./swarm-schemas";

/**
 * Engine API bodies for `docker_secret` (`POST /secrets/create`) and `docker_service`
 * (`POST /services/create`), built the way the Terraform provider (kreuzwerker/docker 3.6,
 * `createServiceSpec` in resource_docker_service_structures.go, `resourceDockerSecretCreate`)
 * builds them, with the provider schema's defaults where it has them. Pure: no Engine calls.
 * `extraLabels` (the `up` stack label and caller labels) go on the secret and on the service
 * (`Spec.Labels`), not on the task containers: Swarm owns those and `down` removes the service.
 */

/** Provider schema defaults for `docker_service` blocks that are present. */
export const PROVIDER_SERVICE_DEFAULTS = {
  secretFileUid: "0",
  secretFileGid: "0",
  /** `file_mode` default `0o444`: world-readable, which is why HardenedService sets 0400. */
  secretFileMode: 0o444,
  replicas: 1,
  portProtocol: "tcp",
  portPublishMode: "ingress",
  rolloutParallelism: 1,
  rolloutDelay: "0s",
  rolloutFailureAction: "pause",
  rolloutMonitor: "5s",
  rolloutMaxFailureRatio: "0.0",
  rolloutOrder: "stop-first",
  healthcheckDuration: "0s",
} as const;

type Labels = Readonly<Record<string, string>>;

/** `POST /secrets/create` body. */
export interface EngineSecretSpec {
  Name: string;
  Labels: Record<string, string>;
  /** Base64 of the secret's bytes (the Engine decodes it). */
  Data: string;
}

/** `ContainerSpec` of a service, with the API 1.41 fields dockerode's typings lack. */
export interface EngineContainerSpec {
  Image: string;
  Labels?: Record<string, string>;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Groups?: string[];
  ReadOnly?: boolean;
  Mounts?: Record<string, unknown>[];
  StopSignal?: string;
  StopGracePeriod?: number;
  Healthcheck?: {
    Test: string[];
    Interval: number;
    Timeout: number;
    StartPeriod: number;
    Retries: number;
  };
  Hosts?: string[];
  Secrets?: {
    SecretID: string;
    SecretName?: string;
    File: { Name: string; UID: string; GID: string; Mode: number };
  }[];
  Isolation?: string;
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Init?: boolean;
}

interface EngineRollout {
  Parallelism: number;
  Delay: number;
  FailureAction: string;
  Monitor: number;
  MaxFailureRatio: number;
  Order: string;
}

/** `POST /services/create` body (a ServiceSpec). */
export interface EngineServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: EngineContainerSpec;
    Resources?: {
      Limits?: { NanoCPUs?: number; MemoryBytes?: number };
      Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
    };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    Networks?: { Target: string; Aliases?: string[]; DriverOpts?: Record<string, string> }[];
    LogDriver?: { Name: string; Options?: Record<string, string> };
    ForceUpdate?: number;
  };
  Mode: { Replicated?: { Replicas: number }; Global?: Record<string, never> };
  UpdateConfig?: EngineRollout;
  RollbackConfig?: EngineRollout;
  EndpointSpec: {
    Mode?: string;
    Ports?: {
      Name?: string;
      Protocol: string;
      TargetPort: number;
      PublishedPort?: number;
      PublishMode: string;
    }[];
  };
}

function ns(text: string): number {
  const value = parseGoDuration(text);
  if (value === undefined) throw new Error(`not a Go duration: ${text}`);
  return value;
}

function labelMap(
  labels: readonly { label: string; value: string }[] | undefined,
  extra: Labels = {},
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { label, value } of labels ?? []) map[label] = value;
  return Object.assign(map, extra);
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
  return list !== undefined && list.length > 0 ? [...list] : undefined;
}

/**
 * `docker_secret` -> `POST /secrets/create`. The provider base64-decodes `data` and the Engine
 * API carries the bytes base64-encoded again, so the body holds the same bytes, re-encoded.
 */
export function toSecretCreateOptions(
  attrs: SecretAttributes,
  extraLabels: Labels = {},
): EngineSecretSpec {
  return {
    Name: attrs.name,
    Labels: labelMap(attrs.labels, extraLabels),
    Data: Buffer.from(attrs.data, "base64").toString("base64"),
  };
}

type ContainerSpecAttributes = NonNullable<
  NonNullable<ServiceAttributes["task_spec"]>["container_spec"]
>;

function mounts(spec: ContainerSpecAttributes): Record<string, unknown>[] | undefined {
  return nonEmpty(
    (spec.mounts ?? []).map((m) => {
      const mount: Record<string, unknown> = {
        Type: m.type,
        Target: m.target,
        Source: m.source ?? "",
        ReadOnly: m.read_only ?? false,
      };
      if (m.bind_options) {
        mount.BindOptions = defined({ Propagation: m.bind_options.propagation });
      }
      if (m.volume_options) {
        const o = m.volume_options;
        mount.VolumeOptions = defined({
          NoCopy: o.no_copy ?? false,
          Labels: labelMap(o.labels),
          DriverConfig:
            o.driver_name !== undefined || o.driver_options !== undefined
              ? defined({ Name: o.driver_name, Options: o.driver_options })
              : undefined,
        });
      }
      if (m.tmpfs_options) {
        mount.TmpfsOptions = defined({ Mode: m.tmpfs_options.mode });
      }
      return mount;
    }),
  );
}

function containerSpec(spec: ContainerSpecAttributes): EngineContainerSpec {
  const d = PROVIDER_SERVICE_DEFAULTS;
  const h = spec.healthcheck;
  return defined<EngineContainerSpec>({
    Image: spec.image,
    Labels: spec.labels ? labelMap(spec.labels) : undefined,
    Command: spec.command ? [...spec.command] : undefined,
    Args: spec.args ? [...spec.args] : undefined,
    Hostname: spec.hostname,
    // A map in Terraform; Go's map order is random, so sort for a stable body.
    Env: spec.env
      ? Object.entries(spec.env)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k}=${v}`)
      : undefined,
    Dir: spec.dir,
    User: spec.user,
    Groups: spec.groups ? [...spec.groups] : undefined,
    ReadOnly: spec.read_only,
    Mounts: mounts(spec),
    StopSignal: spec.stop_signal,
    StopGracePeriod: spec.stop_grace_period ? ns(spec.stop_grace_period) : undefined,
    Healthcheck: h
      ? {
          Test: [...h.test],
          Interval: ns(h.interval ?? d.healthcheckDuration),
          Timeout: ns(h.timeout ?? d.healthcheckDuration),
          StartPeriod: ns(h.start_period ?? d.healthcheckDuration),
          Retries: h.retries ?? 0,
        }
      : undefined,
    // The provider writes "ip host" (space-separated, IP first) as the Engine expects.
    Hosts: nonEmpty(spec.hosts?.map((x) => `${x.ip} ${x.host}`)),
    Secrets: nonEmpty(
      spec.secrets?.map((s) =>
        defined({
          SecretID: s.secret_id,
          SecretName: s.secret_name,
          File: {
            Name: s.file_name,
            UID: s.file_uid ?? d.secretFileUid,
            GID: s.file_gid ?? d.secretFileGid,
            Mode: s.file_mode ?? d.secretFileMode,
          },
        }),
      ),
    ),
    Isolation: spec.isolation ?? "default",
    Sysctls: spec.sysctl ? { ...spec.sysctl } : undefined,
    CapabilityAdd: spec.cap_add ? [...spec.cap_add] : undefined,
    CapabilityDrop: spec.cap_drop ? [...spec.cap_drop] : undefined,
    Init: spec.init,
  });
}

function rollout(block: ServiceAttributes["update_config"]): EngineRollout | undefined {
  if (!block) return undefined;
  const d = PROVIDER_SERVICE_DEFAULTS;
  return {
    Parallelism: block.parallelism ?? d.rolloutParallelism,
    Delay: ns(block.delay ?? d.rolloutDelay),
    FailureAction: block.failure_action ?? d.rolloutFailureAction,
    Monitor: ns(block.monitor ?? d.rolloutMonitor),
    MaxFailureRatio: Number(block.max_failure_ratio ?? d.rolloutMaxFailureRatio),
    Order: block.order ?? d.rolloutOrder,
  };
}

function limits(
  block: { nano_cpus?: number; memory_bytes?: number } | undefined,
): { NanoCPUs?: number; MemoryBytes?: number } | undefined {
  if (!block) return undefined;
  return defined({ NanoCPUs: block.nano_cpus, MemoryBytes: block.memory_bytes });
}

/**
 * `docker_service` (validated, references resolved) -> `POST /services/create`.
 * `networks_advanced[].name` is sent as the attachment `Target`, which the Engine takes as a
 * network name or ID; `secrets[].secret_id` must already be the secret's ID.
 */
export function toServiceCreateOptions(
  attrs: ServiceAttributes,
  extraLabels: Labels = {},
): EngineServiceSpec {
  const task = attrs.task_spec;
  const spec = task?.container_spec;
  if (!task || !spec) throw new Error("docker_service without task_spec.container_spec");
  const d = PROVIDER_SERVICE_DEFAULTS;
  const r = task.restart_policy;
  const global = attrs.mode?.global === true;
  return defined<EngineServiceSpec>({
    Name: attrs.name,
    Labels: labelMap(attrs.labels, extraLabels),
    TaskTemplate: defined({
      ContainerSpec: containerSpec(spec),
      Resources: task.resources
        ? defined({
            Limits: limits(task.resources.limits),
            Reservations: limits(task.resources.reservation),
          })
        : undefined,
      RestartPolicy: r
        ? defined({
            Condition: r.condition,
            Delay: r.delay !== undefined ? ns(r.delay) : undefined,
            MaxAttempts: r.max_attempts,
            Window: r.window !== undefined ? ns(r.window) : undefined,
          })
        : undefined,
      Networks: nonEmpty(
        task.networks_advanced?.map((n) =>
          defined({
            Target: n.name,
            Aliases: nonEmpty(n.aliases),
            DriverOpts: n.driver_opts
              ? Object.fromEntries(
                  n.driver_opts.map((o) => {
                    const at = o.indexOf("=");
                    return at < 0 ? [o, ""] : [o.slice(0, at), o.slice(at + 1)];
                  }),
                )
              : undefined,
          }),
        ),
      ),
      LogDriver: task.log_driver
        ? defined({
            Name: task.log_driver.name,
            Options: task.log_driver.options ? { ...task.log_driver.options } : undefined,
          })
        : undefined,
      ForceUpdate: task.force_update,
    }),
    Mode: global
      ? { Global: {} }
      : { Replicated: { Replicas: attrs.mode?.replicated?.replicas ?? d.replicas } },
    UpdateConfig: rollout(attrs.update_config),
    RollbackConfig: rollout(attrs.rollback_config),
    EndpointSpec: defined({
      Mode: attrs.endpoint_spec?.mode,
      Ports: nonEmpty(
        attrs.endpoint_spec?.ports?.map((p) =>
          defined({
            Name: p.name,
            Protocol: p.protocol ?? d.portProtocol,
            TargetPort: p.target_port,
            PublishedPort: p.published_port,
            PublishMode: p.publish_mode ?? d.portPublishMode,
          }),
        ),
      ),
    }),
  });
}
