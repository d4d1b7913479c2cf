import { systemClock } from "../audit/clock";
import { resolveAuditLabels } from "../audit/resolve-audit-labels";
import { validateInOnePass } from "../validation/one-pass";
import { ValidationProblem } from "../validation/validation-error";
import { HardenedNetworkDriver } from "./hardened-network-props";
import { ParsedHardenedNetworkProps, hardenedNetworkPropsSchema } from "./network-schema";

/** Driver option that turns inter-container traffic on a bridge on or off. */
export const BRIDGE_ICC_OPTION = "com.docker.network.bridge.enable_icc";
/** Driver option that encrypts an overlay network's traffic between nodes (CIS 7.3). */
export const OVERLAY_ENCRYPTED_OPTION = "encrypted";

/** Every HardenedNetwork default, in one place (the props' JSDoc says why). */
export const NETWORK_DEFAULTS = {
  driver: "bridge",
  internal: true,
  interContainerTraffic: false,
  encrypted: true,
} as const;

/** A HardenedNetwork's configuration with every default applied. Rendering reads only this. */
export interface ResolvedNetworkSpec {
  readonly name: string;
  readonly driver: HardenedNetworkDriver;
  readonly internal: boolean;
  /** Driver options, e.g. `{ "com.docker.network.bridge.enable_icc": "false" }`. */
  readonly options: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ResolveNetworkContext {
  readonly constructPath: string;
  readonly defaultName: string;
  /** Environment for `deployedBy` @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The options that belong to one driver: their problems follow from the driver when it was refused. */
const DRIVER_OPTIONS = new Set(["encrypted", "interContainerTraffic"]);

/**
 * Validates HardenedNetwork props and applies every default. Throws one
 * HardenedDockerValidationError listing every problem found, those of the schema and those
 * between fields together (see validateInOnePass).
 */
export function resolveHardenedNetworkProps(
  raw: unknown,
  context: ResolveNetworkContext,
): ResolvedNetworkSpec {
  return validateInOnePass({
    schema: hardenedNetworkPropsSchema,
    raw,
    constructPath: context.constructPath,
    followsFrom: (problem, failures) =>
      DRIVER_OPTIONS.has(problem.field) && failures.fields.has("driver"),
    check: (fields) => resolveParsed(fields, context),
  });
}

/** Resolves the fields that passed the schema (every one, unless a shape problem was found). */
function resolveParsed(
  p: Partial<ParsedHardenedNetworkProps>,
  context: ResolveNetworkContext,
): { result: ResolvedNetworkSpec; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const problem = (field: string, value: unknown, message: string) =>
    problems.push({ constructPath: context.constructPath, field, value, message });
  const driver = p.driver ?? NETWORK_DEFAULTS.driver;
  const options: Record<string, string> = {};
  if (driver === "bridge") {
    if (p.encrypted !== undefined) {
      problem(
        "encrypted",
        p.encrypted,
        "is an overlay option: a bridge stays on one host and has nothing to encrypt; remove it, or use driver overlay",
      );
    }
    const icc = p.interContainerTraffic ?? NETWORK_DEFAULTS.interContainerTraffic;
    options[BRIDGE_ICC_OPTION] = String(icc);
  } else {
    if (p.interContainerTraffic !== undefined) {
      problem(
        "interContainerTraffic",
        p.interContainerTraffic,
        "is a bridge option (com.docker.network.bridge.enable_icc): an overlay has no such switch; remove it",
      );
    }
    if (p.encrypted ?? NETWORK_DEFAULTS.encrypted) options[OVERLAY_ENCRYPTED_OPTION] = "true";
  }
  const labels = resolveAuditLabels(p.audit, p.labels, {
    constructPath: context.constructPath,
    clock: p.clock ?? systemClock,
    subject: "network",
    env: context.env,
    problem,
  });
  return {
    result: {
      name: p.name ?? context.defaultName,
      driver,
      internal: p.internal ?? NETWORK_DEFAULTS.internal,
      options,
      labels,
    },
    problems,
  };
}
