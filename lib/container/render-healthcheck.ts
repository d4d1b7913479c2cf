import { ResolvedHealthcheck } from "./workload-resolver";

/**
 * A resolved health check as the provider's `healthcheck` block, which `docker_container` and
 * `docker_service` (`task_spec.container_spec`) spell the same way. Undefined when waived.
 * `duration` spells seconds the way the provider reads that resource back, so the next plan
 * finds no change: `goDurationString` for containers, `providerShortDuration` for services.
 */
export function renderHealthcheck(
  healthcheck: ResolvedHealthcheck | undefined,
  duration: (seconds: number) => string,
):
  | {
      test: string[];
      interval: string;
      timeout: string;
      startPeriod: string;
      retries: number;
    }
  | undefined {
  if (healthcheck === undefined) return undefined;
  return {
    test: [...healthcheck.test],
    interval: duration(healthcheck.intervalSeconds),
    timeout: duration(healthcheck.timeoutSeconds),
    startPeriod: duration(healthcheck.startPeriodSeconds),
    retries: healthcheck.retries,
  };
}
