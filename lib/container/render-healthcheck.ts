import { ResolvedHealthcheck } from "./workload-resolver";

/**
 * A resolved health check as the provider's `healthcheck` block, which `docker_container` and
 * `docker_service` (`task_spec.container_spec`) spell the same way. Undefined when waived.
 */
export function renderHealthcheck(healthcheck: ResolvedHealthcheck | undefined):
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
    interval: healthcheck.interval,
    timeout: healthcheck.timeout,
    startPeriod: healthcheck.startPeriod,
    retries: healthcheck.retries,
  };
}
