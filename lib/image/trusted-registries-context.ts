import { IConstruct } from "constructs";
import { TRUSTED_REGISTRIES_CONTEXT } from "../policy/facts/defaults";

/**
 * The trusted registries allowlist (CIS 4.2) from the `hardened-docker:trustedRegistries`
 * context: a list, or a comma-separated string (as `cdktf synth --context` passes it).
 * Undefined when unset: no allowlist is then checked.
 */
export function trustedRegistriesFromContext(scope: IConstruct): readonly string[] | undefined {
  const value: unknown = scope.node.tryGetContext(TRUSTED_REGISTRIES_CONTEXT);
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") {
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  return undefined;
}
