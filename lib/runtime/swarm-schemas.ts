import { z } from "zod";
import { parseGoDuration } from "../provider/docker-provider-facts";
import { repeatedBlock, singleBlock, stringMap } from "./block-schemas";
import { SERVICE_NOT_ENFORCEABLE } from "../policy/service-limits";

/**
 * Schemas of the Swarm resources the `up` harness deploys: `docker_secret` and
 * `docker_service` (attribute names as in synthesized JSON, i.e. the provider's snake_case).
 * Only attributes whose Engine mapping the harness implements are accepted; every other one
 * (`auth`, `converge_config`, `placement`, `privileges`, `configs`, ...) is refused by name by
 * the strict objects, never skipped.
 */

const label = z.strictObject({ label: z.string(), value: z.string() });

/** Standard base64 (the provider decodes `data` with Go's `base64.StdEncoding`). */
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const goDuration = z
  .string()
  .refine(
    (text) => parseGoDuration(text) !== undefined,
    'not a Go duration: write a number with a unit (ns, us, ms, s, m, h), e.g. "30s" or "1m30s"',
  );

/** `docker_secret`: `data` is the secret's value, base64-encoded. */
export const secretAttributesSchema = z.strictObject({
  name: z.string().min(1),
  data: z
    .string()
    .regex(BASE64_RE, "data must be standard base64 (the provider decodes it with StdEncoding)"),
  labels: repeatedBlock(label),
});
export type SecretAttributes = z.output<typeof secretAttributesSchema>;

const serviceHealthcheck = z.strictObject({
  test: z.array(z.string()).min(1),
  interval: goDuration.optional(),
  timeout: goDuration.optional(),
  start_period: goDuration.optional(),
  retries: z.number().int().min(0).optional(),
});

const serviceMount = z.strictObject({
  type: z.enum(["bind", "volume", "tmpfs"]),
  target: z.string().min(1),
  source: z.string().optional(),
  read_only: z.boolean().optional(),
  bind_options: singleBlock(
    z.strictObject({
      propagation: z
        .enum(["private", "rprivate", "shared", "rshared", "slave", "rslave"])
        .optional(),
    }),
  ),
  volume_options: singleBlock(
    z.strictObject({
      no_copy: z.boolean().optional(),
      labels: repeatedBlock(label),
      driver_name: z.string().optional(),
      driver_options: stringMap.optional(),
    }),
  ),
  tmpfs_options: singleBlock(
    z.strictObject({
      // `up` must not deploy what `cdktf deploy` cannot.
      size_bytes: z.undefined({ error: SERVICE_NOT_ENFORCEABLE.tmpfsSize }).optional(),
      mode: z.number().int().min(0).optional(),
    }),
  ),
});

const serviceSecret = z.strictObject({
  secret_id: z.string().min(1),
  secret_name: z.string().optional(),
  file_name: z.string().min(1),
  file_uid: z.string().optional(),
  file_gid: z.string().optional(),
  file_mode: z.number().int().min(0).optional(),
});

const containerSpec = z.strictObject({
  image: z.string().min(1),
  labels: repeatedBlock(label),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  hostname: z.string().optional(),
  env: stringMap.optional(),
  dir: z.string().optional(),
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
  read_only: z.boolean().optional(),
  mounts: repeatedBlock(serviceMount),
  stop_signal: z.string().optional(),
  stop_grace_period: goDuration.optional(),
  healthcheck: singleBlock(serviceHealthcheck),
  hosts: repeatedBlock(z.strictObject({ host: z.string().min(1), ip: z.string().min(1) })),
  secrets: repeatedBlock(serviceSecret),
  isolation: z.enum(["default", "process", "hyperv"]).optional(),
  sysctl: stringMap.optional(),
  cap_add: z.array(z.string()).optional(),
  cap_drop: z.array(z.string()).optional(),
  init: z.boolean().optional(),
});

const limits = z.strictObject({
  nano_cpus: z.number().int().min(0).optional(),
  memory_bytes: z.number().int().min(0).optional(),
});

const taskSpec = z.strictObject({
  container_spec: singleBlock(containerSpec).refine((v) => v !== undefined, {
    message: "task_spec.container_spec is required",
  }),
  resources: singleBlock(
    z.strictObject({ limits: singleBlock(limits), reservation: singleBlock(limits) }),
  ),
  restart_policy: singleBlock(
    z.strictObject({
      condition: z.enum(["none", "on-failure", "any"]).optional(),
      delay: goDuration.optional(),
      max_attempts: z.number().int().min(0).optional(),
      window: goDuration.optional(),
    }),
  ),
  networks_advanced: repeatedBlock(
    z.strictObject({
      name: z.string().min(1),
      aliases: z.array(z.string()).optional(),
      driver_opts: z.array(z.string()).optional(),
    }),
  ),
  log_driver: singleBlock(
    z.strictObject({ name: z.string().min(1), options: stringMap.optional() }),
  ),
  force_update: z.number().int().min(0).optional(),
});

const rollout = z.strictObject({
  parallelism: z.number().int().min(0).optional(),
  delay: goDuration.optional(),
  failure_action: z.enum(["pause", "continue", "rollback"]).optional(),
  monitor: goDuration.optional(),
  max_failure_ratio: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'a failure ratio such as "0.0"')
    .optional(),
  order: z.enum(["stop-first", "start-first"]).optional(),
});

/** `docker_service`. */
export const serviceAttributesSchema = z.strictObject({
  name: z.string().min(1),
  labels: repeatedBlock(label),
  task_spec: singleBlock(taskSpec).refine((v) => v !== undefined, {
    message: "task_spec is required",
  }),
  mode: singleBlock(
    z.strictObject({
      replicated: singleBlock(z.strictObject({ replicas: z.number().int().min(0).optional() })),
      global: z.boolean().optional(),
    }),
  ),
  update_config: singleBlock(rollout),
  rollback_config: singleBlock(rollout),
  endpoint_spec: singleBlock(
    z.strictObject({
      mode: z.enum(["vip", "dnsrr"]).optional(),
      ports: repeatedBlock(
        z.strictObject({
          name: z.string().optional(),
          protocol: z.enum(["tcp", "udp", "sctp"]).optional(),
          target_port: z.number().int().min(1).max(65535),
          published_port: z.number().int().min(0).max(65535).optional(),
          publish_mode: z.enum(["host", "ingress"]).optional(),
        }),
      ),
    }),
  ),
});
export type ServiceAttributes = z.output<typeof serviceAttributesSchema>;
