/**
 * The audit label namespace. Every label the library writes on a container starts with this
 * prefix, so `docker inspect` (and `hardened-docker inventory`) answers who runs a container, why,
 * until when, and which defaults were relaxed for what reason.
 */
export const LABEL_PREFIX = "io.hardened-docker";

export const AuditLabel = {
  /** Always `cdktf-hardened-docker`: marks containers our constructs created. */
  managedBy: `${LABEL_PREFIX}.managed-by`,
  owner: `${LABEL_PREFIX}.owner`,
  purpose: `${LABEL_PREFIX}.purpose`,
  /** ISO date `YYYY-MM-DD`: the container should not run after this day. */
  expires: `${LABEL_PREFIX}.expires`,
  deployedBy: `${LABEL_PREFIX}.deployed-by`,
  ticket: `${LABEL_PREFIX}.ticket`,
  contact: `${LABEL_PREFIX}.contact`,
  /** The construct path that produced the container. */
  constructPath: `${LABEL_PREFIX}.construct-path`,
  /**
   * The longest lifetime in days the expiry date may be ahead, written only when
   * `audit.maxLifetimeDays` raises or lowers the default of 365 (HD-EXPIRES reads it).
   */
  maxLifetimeDays: `${LABEL_PREFIX}.max-lifetime-days`,
  /** The PIDs limit the construct asks for (applied after create, see docs/constructs-and-relaxations.md). */
  pidsLimit: `${LABEL_PREFIX}.pids-limit`,
} as const;

export const MANAGED_BY_VALUE = "cdktf-hardened-docker";

/**
 * One label per relaxation: `io.hardened-docker.relaxation.<kind>` = reason. The rule IDs a
 * relaxation waives are written as `io.hardened-docker.relaxation.<kind>.rules` = `CIS-5.4,...`,
 * so a live audit can honour the same reasoned exception as the synth-time one.
 */
export const RELAXATION_LABEL_PREFIX = `${LABEL_PREFIX}.relaxation.`;
