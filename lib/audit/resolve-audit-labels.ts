import { userInfo } from "os";
import { AuditProps } from "./audit-props";
import { Clock } from "./clock";
import { DEFAULT_MAX_LIFETIME_DAYS } from "../policy/facts/defaults";
import { daysBetween, parseIsoDate } from "../policy/facts/iso-date";
import { AuditLabel, LABEL_PREFIX, MANAGED_BY_VALUE } from "../policy/facts/labels";

/** Environment variables read, in order, when `audit.deployedBy` is not given. */
export const DEPLOYED_BY_ENV = [
  "HARDENED_DOCKER_DEPLOYED_BY",
  "GITHUB_ACTOR",
  "GITLAB_USER_LOGIN",
  "BUILD_REQUESTEDFOR",
  "USER",
  "USERNAME",
] as const;

/** What audit label resolution needs besides the props. */
export interface AuditLabelContext {
  readonly constructPath: string;
  readonly clock: Clock;
  /** What the resource is, for messages: `container`, `service`, `network`. */
  readonly subject: string;
  /** Environment for `deployedBy` @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Records one problem (field, value, message). */
  readonly problem: (field: string, value: unknown, message: string) => void;
}

/**
 * The user's labels (refusing keys under `io.hardened-docker.`) plus the audit labels: managed-by,
 * owner, purpose, expires, deployed-by, ticket, contact and construct path. Checks the expiry
 * date against the clock and `maxLifetimeDays`. Shared by every construct that writes labels.
 * `audit` is undefined only when the construct's schema refused it (a problem already reported):
 * the user's labels are still checked.
 */
export function resolveAuditLabels(
  audit: AuditProps | undefined,
  userLabels: Readonly<Record<string, string>> | undefined,
  context: AuditLabelContext,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(userLabels ?? {})) {
    if (key.startsWith(`${LABEL_PREFIX}.`)) {
      context.problem(
        `labels.${key}`,
        value,
        `keys under ${LABEL_PREFIX}. are written by the library: use audit props or another prefix`,
      );
    } else labels[key] = value;
  }
  if (audit === undefined) return labels;
  checkExpiry(audit, context);
  const env = context.env ?? process.env;
  const deployedBy =
    audit.deployedBy ??
    DEPLOYED_BY_ENV.map((k) => env[k]).find((v) => v !== undefined && v.trim() !== "") ??
    (context.env ? undefined : osUserName());
  if (!deployedBy) {
    context.problem(
      "audit.deployedBy",
      undefined,
      `no deployer known: set audit.deployedBy or one of the environment variables ${DEPLOYED_BY_ENV.join(", ")}`,
    );
  }
  labels[AuditLabel.managedBy] = MANAGED_BY_VALUE;
  labels[AuditLabel.owner] = audit.owner;
  labels[AuditLabel.purpose] = audit.purpose;
  labels[AuditLabel.expires] = audit.expires;
  labels[AuditLabel.deployedBy] = deployedBy ?? "";
  if (audit.ticket) labels[AuditLabel.ticket] = audit.ticket;
  if (audit.contact) labels[AuditLabel.contact] = audit.contact;
  if (audit.maxLifetimeDays !== undefined) {
    labels[AuditLabel.maxLifetimeDays] = String(audit.maxLifetimeDays);
  }
  labels[AuditLabel.constructPath] = context.constructPath;
  return labels;
}

function checkExpiry(audit: AuditProps, context: AuditLabelContext): void {
  const expires = parseIsoDate(audit.expires);
  const now = context.clock.now();
  const maxDays = audit.maxLifetimeDays ?? DEFAULT_MAX_LIFETIME_DAYS;
  if (!expires) {
    context.problem(
      "audit.expires",
      audit.expires,
      "must be a real date written YYYY-MM-DD, e.g. 2027-06-30",
    );
  } else if (daysBetween(now, expires) < 0) {
    context.problem(
      "audit.expires",
      audit.expires,
      `is in the past: review the ${context.subject} and set a new expiry date, or remove it`,
    );
  } else if (daysBetween(now, expires) > maxDays) {
    context.problem(
      "audit.expires",
      audit.expires,
      `is more than ${maxDays} days ahead: choose an earlier date (or raise audit.maxLifetimeDays)`,
    );
  }
}

/** The OS account running the synth, the last source for `deployedBy`. */
function osUserName(): string | undefined {
  try {
    const name = userInfo().username;
    return name.trim() === "" ? undefined : name;
  } catch {
    return undefined;
  }
}
