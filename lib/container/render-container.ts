import { ContainerConfig } from "@cdktf/provider-docker/lib/container";
import {
  PROVIDER_CPU_PERIOD,
  cpuQuotaOf,
  goDurationString,
} from "../provider/docker-provider-facts";
import { DEFAULTS } from "../policy/facts/defaults";
import { ResolvedContainerSpec } from "./resolved-spec";
import { renderHealthcheck } from "./render-healthcheck";

/**
 * Renders a resolved spec as `docker_container` configuration. Reads only the spec: every
 * default was applied when the spec was resolved. `volumeSources` holds, for each of
 * `spec.volumes`, the source to write: the `docker_volume`'s name as a reference, so the
 * container depends on the volume (created before it, destroyed after it).
 */
export function renderContainerConfig(
  spec: ResolvedContainerSpec,
  volumeSources: readonly string[] = spec.volumes.map((v) => v.name),
): ContainerConfig {
  const mounts = [
    ...spec.mounts.map((m) => ({
      type: m.type,
      source: m.source,
      target: m.target,
      readOnly: m.readOnly,
      bindOptions: m.type === "bind" ? { propagation: DEFAULTS.bindPropagation } : undefined,
    })),
    ...spec.volumes.map((v, i) => ({
      type: "volume",
      source: volumeSources[i],
      target: v.target,
      readOnly: v.readOnly,
    })),
  ];
  return {
    name: spec.name,
    image: spec.image,
    user: spec.user,
    command: spec.command ? [...spec.command] : undefined,
    entrypoint: spec.entrypoint ? [...spec.entrypoint] : undefined,
    env: spec.env.length > 0 ? [...spec.env] : undefined,
    workingDir: spec.workingDir,
    privileged: false,
    capabilities: { drop: [...DEFAULTS.capDrop], add: [...spec.capAdd] },
    securityOpts: [...spec.securityOpts],
    readOnly: spec.readOnlyRootfs,
    tmpfs: { ...spec.tmpfs },
    mounts: mounts.length > 0 ? mounts : undefined,
    memory: spec.memoryMiB,
    memorySwap: spec.memoryMiB,
    // Never `cpus`: kreuzwerker/docker 3.6.2 declares it TypeString and casts it with
    // `v.(float32)` (internal/provider/resource_docker_container_funcs.go:328, resourceDockerContainerCreate),
    // a Go panic that fails `terraform apply` for any container that sets it (upstream issue #759,
    // fixed in 3.7.0). The integer pair below is read without that cast and gives the same cgroup.
    cpuPeriod: PROVIDER_CPU_PERIOD,
    cpuQuota: cpuQuotaOf(spec.cpus),
    cpuShares: spec.cpuShares,
    // No `nproc` ulimit: Linux counts it per uid across the whole host, not per container, so
    // every container running as the same uid (65534 by default) would share one budget, and one
    // of them could use it up for all the others (a cross-container denial of service; seen
    // here: 20 containers of uid 65534 left a new one unable to fork). The PIDs cgroup limit is
    // the per-container bound (CIS 5.29).
    ulimit: [{ name: "nofile", soft: spec.openFiles, hard: spec.openFiles }],
    restart: DEFAULTS.restartPolicy,
    maxRetryCount: spec.maxRestarts,
    init: DEFAULTS.init,
    cgroupnsMode: DEFAULTS.cgroupnsMode,
    sysctls: { ...DEFAULTS.sysctls },
    mustRun: true,
    logDriver: spec.logDriver,
    logOpts: { ...spec.logOpts },
    healthcheck: renderHealthcheck(spec.healthcheck, goDurationString),
    ports:
      spec.ports.length > 0
        ? spec.ports.map((p) => ({
            internal: p.internal,
            external: p.external,
            ip: p.ip,
            protocol: p.protocol,
          }))
        : undefined,
    networkMode: spec.networkMode,
    networksAdvanced:
      spec.networks.length > 0 ? spec.networks.map((name) => ({ name })) : undefined,
    labels: Object.entries(spec.labels).map(([label, value]) => ({ label, value })),
  };
}
