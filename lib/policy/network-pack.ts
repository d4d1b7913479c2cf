import { evaluatePolicy } from "./engine";
import { Finding } from "./findings";
import { NetworkModel, NetworkRule } from "./network-model";
import { NETWORK_RULES } from "./network-rules";
import { Level } from "./rule";
import { Suppression } from "./suppressions";
import { TeamPolicy } from "./team-policy";

export { NETWORK_RULES };

/**
 * One finding per network rule and network, from the one engine (`evaluatePolicy`): a waiver
 * applies where it sits (a `Suppressions.add` on the network's construct or above it, a `//`
 * carrier on the network itself), an expired one adds `HD-SUPPRESSION-EXPIRED`, and the team
 * policy applies as it does to containers.
 */
export function evaluateNetworks(
  networks: readonly NetworkModel[],
  options: {
    readonly rules?: readonly NetworkRule[];
    readonly levels?: Readonly<Record<string, Level>>;
    readonly suppressions?: readonly Suppression[];
    readonly policy?: TeamPolicy;
    /** "Now", for suppression expiry. @default new Date() */
    readonly now?: Date;
  } = {},
): Finding[] {
  return evaluatePolicy(
    { networks },
    {
      rules: options.rules ?? NETWORK_RULES,
      ...(options.levels !== undefined ? { levels: options.levels } : {}),
      ...(options.suppressions !== undefined ? { suppressions: options.suppressions } : {}),
      ...(options.policy !== undefined ? { policy: options.policy } : {}),
      context: { now: options.now ?? new Date() },
    },
  ).findings;
}
