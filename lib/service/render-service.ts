import { Lazy } from "cdktf";
import { ServiceConfig } from "@cdktf/provider-docker/lib/service";
import { DEFAULTS } from "../policy/facts/defaults";
import {
  providerFailureRatio,
  providerShortDuration as duration,
} from "../provider/docker-provider-facts";
import { ResolvedServiceSpec } from "./resolved-service-spec";
import { SERVICE_DEFAULTS } from "./service-defaults";
import { renderHealthcheck } from "../container/render-healthcheck";
import { DockerProviderVersion, isProvider4 } from "../provider/provider-version";

/**
 * `task_spec.networks_advanced` for the provider the stack deploys with. Each value is the
 * network's ID (see resolveNetworks). 3.6.2 has only `name`, and reads the task's network back
 * as an ID into it; from 4.0 `name` is deprecated and read back into `id`, so a service that
 * sets `name` is replaced on every plan (seen on 4.6.0): there it goes in `id`. Raw snake_case
 * JSON: the 12.0.3 bindings have no `id`.
 */
export function renderNetworksAdvanced(
  networks: readonly string[],
  version: DockerProviderVersion,
): { name?: string; id?: string }[] {
  return networks.map((network) => (isProvider4(version) ? { id: network } : { name: network }));
}

/**
 * Renders a resolved spec as `docker_service` configuration. Reads only the spec: every
 * default was applied when the spec was resolved. Durations and ratios are spelled the way
 * kreuzwerker/docker 3.6.2 and 4.6.0 read them back, so a second plan finds no change. What
 * differs between the two is decided at synth time by `providerVersion` (the stack's declared
 * provider is only final once the app's code has run).
 */
export function renderServiceConfig(
  spec: ResolvedServiceSpec,
  providerVersion: () => DockerProviderVersion,
): ServiceConfig {
  const labels = Object.entries(spec.labels).map(([label, value]) => ({ label, value }));
  const rollout = {
    parallelism: spec.update.parallelism,
    monitor: duration(spec.update.monitorSeconds),
    order: spec.update.order,
    maxFailureRatio: providerFailureRatio(SERVICE_DEFAULTS.maxFailureRatio),
  };
  return {
    name: spec.name,
    labels,
    mode: { replicated: { replicas: spec.replicas } },
    taskSpec: {
      containerSpec: {
        image: spec.image,
        user: spec.user,
        command: spec.entrypoint ? [...spec.entrypoint] : undefined,
        args: spec.command ? [...spec.command] : undefined,
        env: Object.keys(spec.env).length > 0 ? { ...spec.env } : undefined,
        dir: spec.workingDir,
        capDrop: [...DEFAULTS.capDrop],
        capAdd: spec.capAdd.length > 0 ? [...spec.capAdd] : undefined,
        readOnly: spec.readOnlyRootfs,
        sysctl: { ...DEFAULTS.sysctls },
        // No tmpfs_options.size_bytes: it crashes kreuzwerker/docker 3.6.2
        // (resource_docker_service_structures.go:841, value.(int64) on a TypeInt).
        mounts: spec.tmpfs.map((t) => ({ type: "tmpfs", target: t.target })),
        healthcheck: renderHealthcheck(spec.healthcheck, duration),
        secrets:
          spec.secrets.length > 0
            ? spec.secrets.map((s) => ({
                secretId: s.secretId,
                secretName: s.secretName,
                fileName: s.fileName,
                fileUid: s.fileUid,
                fileGid: s.fileGid,
                fileMode: s.fileMode,
              }))
            : undefined,
        labels,
      },
      resources: {
        limits: { memoryBytes: spec.memoryBytes, nanoCpus: spec.nanoCpus },
        reservation: {
          memoryBytes: spec.memoryReservationBytes,
          nanoCpus: spec.nanoCpusReservation,
        },
      },
      restartPolicy: {
        condition: SERVICE_DEFAULTS.restartCondition,
        maxAttempts: spec.maxRestarts,
        delay: duration(SERVICE_DEFAULTS.restartDelaySeconds),
        window: duration(SERVICE_DEFAULTS.restartWindowSeconds),
      },
      logDriver: { name: spec.logDriver, options: { ...spec.logOpts } },
      networksAdvanced: Lazy.anyValue({
        produce: () => renderNetworksAdvanced(spec.networks, providerVersion()),
      }),
    },
    endpointSpec:
      spec.ports.length > 0
        ? {
            ports: spec.ports.map((p) => ({
              targetPort: p.internal,
              publishedPort: p.external,
              protocol: p.protocol,
              publishMode: p.publishMode,
            })),
          }
        : undefined,
    updateConfig: {
      ...rollout,
      delay: duration(spec.update.delaySeconds),
      failureAction: SERVICE_DEFAULTS.updateFailureAction,
    },
    rollbackConfig: {
      ...rollout,
      delay: duration(0),
      failureAction: SERVICE_DEFAULTS.rollbackFailureAction,
    },
  };
}
