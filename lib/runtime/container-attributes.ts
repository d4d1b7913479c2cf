import { z } from "zod";
import { parseGoDuration } from "../provider/docker-provider-facts";
import { repeatedBlock, singleBlock, stringMap } from "./block-schemas";

/**
 * The `docker_container` attributes the `up` harness understands (names as in synthesized JSON,
 * i.e. the provider's snake_case). Unknown attributes are refused rather than ignored, so a
 * setting never silently goes missing between the stack and the running container.
 */

/**
 * Why `up` refuses `cpus`: the real provider cannot create such a container, and `up` must not
 * deploy what `cdktf deploy` cannot.
 */
export const PROVIDER_CPUS_CRASH =
  "kreuzwerker/docker 3.6.2 crashes on cpus: it is a TypeString that resourceDockerContainerCreate " +
  "casts with v.(float32) (internal/provider/resource_docker_container_funcs.go:328; upstream " +
  "issue #759, fixed in 3.7.0), so terraform apply panics; set cpu_period = 100000 and " +
  "cpu_quota = cores * 100000 instead (HardenedContainer does)";

const label = z.strictObject({ label: z.string(), value: z.string() });

/** A Go duration string (`"30s"`, `"1m30s"`), as the provider's health check fields take. */
const goDuration = z
  .string()
  .refine(
    (text) => parseGoDuration(text) !== undefined,
    'not a Go duration: write a number with a unit (ns, us, ms, s, m, h), e.g. "30s" or "1m30s"',
  );

const healthcheck = z.strictObject({
  test: z.array(z.string()).min(1),
  interval: goDuration.optional(),
  timeout: goDuration.optional(),
  start_period: goDuration.optional(),
  start_interval: goDuration.optional(),
  retries: z.number().int().min(0).optional(),
});

const capabilities = z.strictObject({
  add: z.array(z.string()).optional(),
  drop: z.array(z.string()).optional(),
});

const port = z.strictObject({
  internal: z.number().int().min(1).max(65535),
  external: z.number().int().min(0).max(65535).optional(),
  ip: z.string().optional(),
  protocol: z.enum(["tcp", "udp", "sctp"]).optional(),
});

const ulimit = z.strictObject({
  name: z.string().min(1),
  soft: z.number().int(),
  hard: z.number().int(),
});

const mount = z.strictObject({
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
      subpath: z.string().optional(),
    }),
  ),
  tmpfs_options: singleBlock(
    z.strictObject({
      size_bytes: z.number().int().min(0).optional(),
      mode: z.number().int().min(0).optional(),
    }),
  ),
});

const volume = z
  .strictObject({
    container_path: z.string().optional(),
    host_path: z.string().optional(),
    volume_name: z.string().optional(),
    from_container: z.string().optional(),
    read_only: z.boolean().optional(),
  })
  .refine((v) => !(v.from_container && v.container_path), {
    message:
      "both from_container and container_path are set in one volumes entry (the provider rejects this): use one entry per source",
  })
  .refine((v) => Boolean(v.from_container || v.container_path), {
    message: "a volumes entry needs container_path (or from_container)",
  });

const device = z.strictObject({
  host_path: z.string().min(1),
  container_path: z.string().optional(),
  permissions: z.string().optional(),
});

const extraHost = z.strictObject({ host: z.string().min(1), ip: z.string().min(1) });

const networkAdvanced = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string()).optional(),
  ipv4_address: z.string().optional(),
  ipv6_address: z.string().optional(),
});

/** Schema of a `docker_container` resource body (without Terraform meta-arguments). */
export const containerAttributesSchema = z.strictObject({
  name: z.string().min(1),
  image: z.string().min(1),
  user: z.string().optional(),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  command: z
    .array(z.string().min(1, "values for command may not be empty (the provider rejects them)"))
    .optional(),
  entrypoint: z.array(z.string()).optional(),
  env: z.array(z.string()).optional(),
  working_dir: z.string().optional(),
  labels: repeatedBlock(label),
  healthcheck: singleBlock(healthcheck),
  stop_signal: z.string().optional(),
  stop_timeout: z.number().int().optional(),
  read_only: z.boolean().optional(),
  privileged: z.boolean().optional(),
  publish_all_ports: z.boolean().optional(),
  capabilities: singleBlock(capabilities),
  security_opts: z.array(z.string()).optional(),
  memory: z.number().int().min(0).optional(),
  memory_swap: z.number().int().min(-1).optional(),
  cpus: z.undefined({ error: PROVIDER_CPUS_CRASH }).optional(),
  cpu_period: z.number().int().min(0).optional(),
  cpu_quota: z.number().int().min(0).optional(),
  cpu_shares: z.number().int().min(0).optional(),
  cpu_set: z.string().optional(),
  shm_size: z.number().int().min(0).optional(),
  tmpfs: stringMap.optional(),
  mounts: repeatedBlock(mount),
  volumes: repeatedBlock(volume),
  ports: repeatedBlock(port),
  ulimit: repeatedBlock(ulimit),
  restart: z.enum(["no", "on-failure", "always", "unless-stopped"]).optional(),
  max_retry_count: z.number().int().min(0).optional(),
  log_driver: z.string().optional(),
  log_opts: stringMap.optional(),
  network_mode: z.string().optional(),
  networks_advanced: repeatedBlock(networkAdvanced),
  pid_mode: z.string().optional(),
  ipc_mode: z.string().optional(),
  userns_mode: z.string().optional(),
  cgroupns_mode: z.string().optional(),
  devices: repeatedBlock(device),
  sysctls: stringMap.optional(),
  group_add: z.array(z.string()).optional(),
  dns: z.array(z.string()).optional(),
  dns_opts: z.array(z.string()).optional(),
  dns_search: z.array(z.string()).optional(),
  host: repeatedBlock(extraHost),
  init: z.boolean().optional(),
  runtime: z.string().optional(),
  cgroup_parent: z.string().optional(),
  storage_opts: stringMap.optional(),
  tty: z.boolean().optional(),
  stdin_open: z.boolean().optional(),
  rm: z.boolean().optional(),
  must_run: z.boolean().optional(),
  start: z.boolean().optional(),
  wait: z.boolean().optional(),
  wait_timeout: z.number().int().min(1).optional(),
  destroy_grace_seconds: z.number().int().min(0).optional(),
  remove_volumes: z.boolean().optional(),
  container_read_refresh_timeout_milliseconds: z.number().int().min(0).optional(),
  attach: z.literal(false, "attach = true is not supported by the up harness").optional(),
  logs: z.literal(false, "logs = true is not supported by the up harness").optional(),
});

/** A validated `docker_container` body. */
export type ContainerAttributes = z.output<typeof containerAttributesSchema>;
