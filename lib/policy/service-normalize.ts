import { sortedStrings } from "./normalize";

/**
 * Normalization shared by the two service adapters (synthesized `docker_service`, live
 * `docker service inspect`), so the same service gives the same model from both.
 */

/** Swarm publishes a port on every interface of a node: its port config has no address. */
export const SWARM_ALL_INTERFACES = "0.0.0.0";

/**
 * The network mode of a service's task containers: `host` when the service joins Swarm's
 * predefined `host` network, else Docker's default. A task on no network at all ends up on the
 * node's default bridge (which is why CIS 5.30 fails a service without networks).
 */
export function serviceNetworkMode(names: readonly string[]): string {
  return names.includes("host") ? "host" : "default";
}

/** The networks a service's tasks are on: its networks, or the default `bridge` when none. */
export function serviceNetworks(names: readonly string[]): string[] {
  if (names.length === 0) return ["bridge"];
  return sortedStrings([...new Set(names)]);
}
