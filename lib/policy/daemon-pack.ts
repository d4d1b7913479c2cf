import { DaemonModel, DaemonRule } from "./daemon-model";
import { CIS_1_2_2_ENGINE_VERSION } from "./daemon-rules/cis-1-2-2-engine-version";
import { CIS_2_15_LIVE_RESTORE } from "./daemon-rules/cis-2-15-live-restore";
import { CIS_2_17_SECCOMP } from "./daemon-rules/cis-2-17-seccomp";
import { CIS_2_18_EXPERIMENTAL } from "./daemon-rules/cis-2-18-experimental";
import { CIS_2_5_INSECURE_REGISTRIES } from "./daemon-rules/cis-2-5-insecure-registries";
import { CIS_2_7_TCP_TLS } from "./daemon-rules/cis-2-7-tcp-tls";
import { CIS_2_9_USERNS } from "./daemon-rules/cis-2-9-userns";
import { CIS_7_5_AUTOLOCK } from "./daemon-rules/cis-7-5-autolock";
import { CIS_7_7_CERTIFICATE_EXPIRY } from "./daemon-rules/cis-7-7-certificate-expiry";
import { HD_DAEMON_CGROUP } from "./daemon-rules/hd-daemon-cgroup";
import { HD_DAEMON_LOG_ROTATION } from "./daemon-rules/hd-daemon-log-rotation";
import { HD_DAEMON_REGISTRY_MIRRORS } from "./daemon-rules/hd-daemon-registry-mirrors";
import { HD_DAEMON_RUNTIME } from "./daemon-rules/hd-daemon-runtime";
import { Finding } from "./findings";
import { Level, Rule, Verdict } from "./rule";

/**
 * The rules on the engines themselves (CIS sections 1.2, 2 and 7): what `/info`, `/version`,
 * `/swarm` and the endpoint show of a daemon's configuration. `audit --host` applies them to
 * every engine it audits.
 */
export const DAEMON_RULES: readonly DaemonRule[] = [
  CIS_1_2_2_ENGINE_VERSION,
  CIS_2_5_INSECURE_REGISTRIES,
  CIS_2_7_TCP_TLS,
  CIS_2_9_USERNS,
  CIS_2_15_LIVE_RESTORE,
  CIS_2_17_SECCOMP,
  CIS_2_18_EXPERIMENTAL,
  HD_DAEMON_CGROUP,
  HD_DAEMON_REGISTRY_MIRRORS,
  HD_DAEMON_RUNTIME,
  HD_DAEMON_LOG_ROTATION,
  CIS_7_5_AUTOLOCK,
  CIS_7_7_CERTIFICATE_EXPIRY,
];

/**
 * The finding for an engine the audit could not reach (host commands report it): the engine,
 * its containers and its daemon settings were not checked.
 */
export const DAEMON_UNREACHABLE_RULE: Omit<Rule, "check"> = {
  id: "HD-ENGINE-UNREACHABLE",
  title: "Ensure every engine of the fleet can be audited",
  level: "error",
  rationale:
    "An engine the audit cannot reach is an engine nobody checked this time: it must show as a " +
    "finding, not drop out of the report (a fleet audit that passes because a host was down " +
    "proves nothing about that host).",
  remediation:
    "Make the engine answer (is dockerd running? the URL, the TLS material, the ssh key?) and " +
    "audit again; `--allow-unreachable` reports it at level info for a run that must go on.",
  blindSpots: "Everything about the engine: nothing of it was read.",
};

function runCheck(rule: DaemonRule, daemon: DaemonModel, now: Date): Verdict {
  try {
    return rule.check(daemon, { now });
  } catch (error) {
    return {
      status: "unknown",
      message: `the rule failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** One finding per daemon rule and engine, at the rule's level or its `levels` override. */
export function evaluateDaemons(
  daemons: readonly DaemonModel[],
  options: {
    readonly rules?: readonly DaemonRule[];
    readonly levels?: Readonly<Record<string, Level>>;
    /** "Now", for the release table and certificate expiry. @default new Date() */
    readonly now?: Date;
  } = {},
): Finding[] {
  const now = options.now ?? new Date();
  const findings: Finding[] = [];
  for (const daemon of daemons) {
    for (const rule of options.rules ?? DAEMON_RULES) {
      const verdict = runCheck(rule, daemon, now);
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        level: options.levels?.[rule.id] ?? rule.level,
        status: verdict.status,
        resource: daemon.resource,
        message: verdict.message,
        remediation: rule.remediation,
      });
    }
  }
  return findings;
}
