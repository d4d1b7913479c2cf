import { describeSuppression } from "./engine";
import { Finding } from "./findings";
import { NetworkModel, NetworkRule } from "./network-model";
import { HD_BRIDGE_ICC } from "./network-rules/hd-bridge-icc";
import { HD_OVERLAY_ENCRYPTED } from "./network-rules/hd-overlay-encrypted";
import { Level, Verdict } from "./rule";
import { isExpired, isUnderScope, Suppression } from "./suppressions";

/** The rules on networks: overlay encryption and inter-container traffic on bridges. */
export const NETWORK_RULES: readonly NetworkRule[] = [HD_OVERLAY_ENCRYPTED, HD_BRIDGE_ICC];

function runCheck(rule: NetworkRule, network: NetworkModel): Verdict {
  try {
    return rule.check(network);
  } catch (error) {
    return {
      status: "unknown",
      message: `the rule failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * One finding per network rule and network, after level overrides and suppressions: a
 * `Suppressions.add` on the network's construct (or above it), in the tree or carried in the
 * synthesized JSON, waives a failing or unknown verdict of the rule it names until it expires.
 */
export function evaluateNetworks(
  networks: readonly NetworkModel[],
  options: {
    readonly rules?: readonly NetworkRule[];
    readonly levels?: Readonly<Record<string, Level>>;
    readonly suppressions?: readonly Suppression[];
    /** "Now", for suppression expiry. @default new Date() */
    readonly now?: Date;
  } = {},
): Finding[] {
  const now = options.now ?? new Date();
  const rules = options.rules ?? NETWORK_RULES;
  const findings: Finding[] = [];
  for (const network of networks) {
    for (const rule of rules) {
      const verdict = runCheck(rule, network);
      const waiver =
        verdict.status === "fail" || verdict.status === "unknown"
          ? (options.suppressions ?? []).find(
              (s) =>
                s.ruleId === rule.id &&
                s.source === "construct" &&
                isUnderScope(network.constructPath, s.scope) &&
                !isExpired(s, now),
            )
          : undefined;
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        level: options.levels?.[rule.id] ?? rule.level,
        status: waiver !== undefined ? "suppressed" : verdict.status,
        ...(waiver !== undefined ? { suppression: describeSuppression(waiver) } : {}),
        resource: network.resource,
        ...(network.constructPath !== undefined ? { constructPath: network.constructPath } : {}),
        message: verdict.message,
        remediation: rule.remediation,
      });
    }
  }
  return findings;
}
