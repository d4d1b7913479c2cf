import { DAEMON_UNREACHABLE_RULE } from "../policy/daemon-pack";
import { Finding } from "../policy/findings";
import { EngineClient } from "./engine-client";
import { EngineUnavailableError, shortMessage } from "./engine-errors";
import { EngineTarget } from "./engine-targets";
import { auditHost, HostAuditOptions, HostAuditResult } from "./host-audit";

/** What happened on one engine of a fleet run. */
export type EngineOutcome<T> =
  | { readonly target: EngineTarget; readonly kind: "done"; readonly result: T }
  | { readonly target: EngineTarget; readonly kind: "unreachable"; readonly reason: string };

/**
 * Runs `body` on every engine at once (each with its own client) and keeps every outcome: an
 * engine that cannot be reached (or whose client cannot be built) is an `unreachable` outcome
 * with the reason, never dropped. Other errors propagate.
 */
export async function forEachEngine<T>(
  targets: readonly EngineTarget[],
  connect: (target: EngineTarget) => EngineClient,
  body: (client: EngineClient, target: EngineTarget) => Promise<T>,
): Promise<EngineOutcome<T>[]> {
  return Promise.all(
    targets.map(async (target): Promise<EngineOutcome<T>> => {
      let client: EngineClient;
      try {
        client = connect(target);
      } catch (error) {
        return { target, kind: "unreachable", reason: shortMessage(error) };
      }
      try {
        return { target, kind: "done", result: await body(client, target) };
      } catch (error) {
        if (error instanceof EngineUnavailableError) {
          return { target, kind: "unreachable", reason: error.message };
        }
        throw error;
      }
    }),
  );
}

/** The finding for an engine that could not be reached: the audit did not check it. */
export function unreachableFinding(
  target: EngineTarget,
  reason: string,
  allowed: boolean,
): Finding {
  return {
    ruleId: DAEMON_UNREACHABLE_RULE.id,
    title: DAEMON_UNREACHABLE_RULE.title,
    // Let through with --allow-unreachable: still in every report, no longer blocking.
    level: allowed ? "info" : DAEMON_UNREACHABLE_RULE.level,
    status: "unknown",
    resource: `engine:${target.name}`,
    engine: target.name,
    message: `not checked: ${reason}${allowed ? " (let through with --allow-unreachable)" : ""}`,
    remediation: DAEMON_UNREACHABLE_RULE.remediation,
  };
}

/** Options of {@link auditFleet}: those of `auditHost` for every engine, and how to connect. */
export interface FleetAuditOptions extends Omit<
  HostAuditOptions,
  "address" | "engineName" | "endpoint" | "hostProcesses"
> {
  readonly connect: (target: EngineTarget) => EngineClient;
  /** Report unreachable engines at level info instead of error. @default false */
  readonly allowUnreachable?: boolean;
}

/** What {@link auditFleet} found: every finding names its engine. */
export interface FleetAuditResult {
  readonly findings: Finding[];
  readonly engines: readonly EngineOutcome<HostAuditResult>[];
}

/**
 * `audit --host` over several engines at once: `auditHost` on each (its own client, its own
 * bounded concurrency), every finding tagged with its engine's name, an unreachable engine as a
 * `HD-ENGINE-UNREACHABLE` finding (error, unknown) instead of silence.
 */
export async function auditFleet(
  targets: readonly EngineTarget[],
  options: FleetAuditOptions,
): Promise<FleetAuditResult> {
  const { connect, allowUnreachable, ...hostOptions } = options;
  const engines = await forEachEngine(targets, connect, (client, target) =>
    auditHost(client, {
      ...hostOptions,
      address: target.address,
      engineName: target.name,
      endpoint: target.endpoint,
    }),
  );
  const findings: Finding[] = [];
  for (const outcome of engines) {
    if (outcome.kind === "unreachable") {
      findings.push(unreachableFinding(outcome.target, outcome.reason, allowUnreachable === true));
      continue;
    }
    for (const f of outcome.result.findings) findings.push({ ...f, engine: outcome.target.name });
  }
  return { findings, engines };
}
