/**
 * Every HardenedService default that differs from or adds to HardenedContainer's (DEFAULTS),
 * in one place. The props' JSDoc says why each is the secure choice.
 */
export const SERVICE_DEFAULTS = {
  replicas: 1,
  publishMode: "host",
  restartCondition: "on-failure",
  restartDelaySeconds: 5,
  restartWindowSeconds: 60,
  updateParallelism: 1,
  updateDelaySeconds: 10,
  updateMonitorSeconds: 30,
  updateOrder: "stop-first",
  updateFailureAction: "rollback",
  rollbackFailureAction: "pause",
  maxFailureRatio: 0,
  /** `0400`: the secret file is readable by the service's user only. */
  secretFileMode: 0o400,
} as const;
