/**
 * What a Swarm service cannot be given through the Terraform provider's `docker_service`
 * (kreuzwerker/docker 3.6.x, @cdktf/provider-docker 12), with the schema as evidence. Rules on
 * these settings report a service as `not-applicable` with this reason (never a pass it did not
 * earn, never a failure it cannot fix), unless a live service spec shows the setting anyway.
 * HardenedService's documentation and the Swarm column of docs/swarm.md quote the same text.
 */
export const SERVICE_NOT_ENFORCEABLE = {
  noNewPrivileges:
    "docker_service has no no-new-privileges setting (task_spec.container_spec.privileges holds " +
    "only credential_spec and se_linux_context), so the service's tasks run without it; keep " +
    "setuid binaries out of the image",
  pidsLimit:
    "docker_service has no PIDs limit (task_spec.resources.limits holds only memory_bytes and " +
    "nano_cpus), so the service's tasks have none; bound processes in the application or on the node",
  ulimits:
    "docker_service has no ulimit setting (task_spec.container_spec has no ulimit block), so the " +
    "daemon's default ulimits apply to the service's tasks",
  seccompProfile:
    "docker_service cannot carry a custom seccomp profile (no security_opts on " +
    "task_spec.container_spec), so Docker's default profile applies to the service's tasks",
  memorySwap:
    "docker_service has no memory_swap and Swarm sets no swap limit, so a task may swap up to its " +
    "memory limit again; turn swap off on the Swarm nodes",
  tmpfsFlags:
    "docker_service makes tmpfs mounts through the mounts API (tmpfs_options holds only size_bytes " +
    "and mode), so noexec, nosuid and nodev cannot be written; the Engine's own tmpfs defaults apply",
  tmpfsSize:
    "kreuzwerker/docker 3.6.2 crashes on a docker_service tmpfs size: createContainerSpec casts " +
    "tmpfs_options.size_bytes, a TypeInt, with value.(int64) " +
    "(internal/provider/resource_docker_service_structures.go:841), a Go panic at create; the " +
    "tmpfs is bounded by the task's memory limit instead, whose cgroup is charged for tmpfs pages",
  publishOnAddress:
    "docker_service ports (endpoint_spec.ports) have no host address, so Swarm publishes every " +
    "port on all of a node's interfaces",
} as const;
