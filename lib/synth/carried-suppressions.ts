import { isRecord } from "./terraform-values";
import { Suppression } from "../policy/suppressions";
import { decodeWaiver } from "../policy/waiver-codec";

/**
 * The reader of construct suppressions carried in synthesized JSON (their writer, which needs the
 * construct tree, is `lib/checks/suppression-carry.ts`). Here, with the other readers of Terraform
 * input, so that reading a configuration never loads cdktf.
 */

/** The key under a resource's `//` that holds the carried suppressions. */
export const CARRIED_SUPPRESSIONS_KEY = "hardened-docker";

/** The resource types a construct suppression is carried on. */
export const CARRIED_TYPES: ReadonlySet<string> = new Set([
  "docker_container",
  "docker_service",
  "docker_network",
]);

/**
 * The suppressions carried in a canonical configuration's resources, each applying to the
 * resource it is written on alone, and a problem for each entry that is not a valid waiver (it
 * waives nothing).
 */
export function suppressionsCarriedIn(config: Readonly<Record<string, unknown>>): {
  suppressions: Suppression[];
  problems: string[];
} {
  const suppressions: Suppression[] = [];
  const problems: string[] = [];
  const resources = isRecord(config.resource) ? config.resource : {};
  for (const type of CARRIED_TYPES) {
    const ofType = resources[type];
    if (!isRecord(ofType)) continue;
    for (const [name, body] of Object.entries(ofType)) {
      const meta = isRecord(body) ? body["//"] : undefined;
      const carried = isRecord(meta) ? meta[CARRIED_SUPPRESSIONS_KEY] : undefined;
      if (carried === undefined) continue;
      const address = `${type}.${name}`;
      const entries = isRecord(carried) ? carried.suppressions : undefined;
      if (!Array.isArray(entries)) {
        problems.push(
          `${address}: its "//" metadata carries suppressions that are not a list; they suppress nothing`,
        );
        continue;
      }
      for (const [i, entry] of entries.entries()) {
        const decoded = decodeWaiver(entry, { found: "carrier", at: address });
        if ("problem" in decoded) {
          problems.push(
            `${address}: carried suppression #${i} is ${decoded.problem}; it suppresses nothing`,
          );
          continue;
        }
        suppressions.push(decoded.waiver);
      }
    }
  }
  return { suppressions, problems };
}
