import {
  readTerraformConfig,
  TerraformConfig,
  TerraformConfigError,
} from "../synth/terraform-config";
import { networksFromTerraformJson } from "../synth/terraform-network";
import { modelsFromTerraformConfig } from "../synth/terraform-json";
import { evaluate, inputProblemFinding, INPUT_PROBLEM_RULE } from "../policy/engine";
import { Finding } from "../policy/findings";
import { evaluateNetworks, NETWORK_RULES } from "../policy/network-pack";
import { Level, Rule, RuleContext } from "../policy/rule";
import { Suppression } from "../policy/suppressions";
import { suppressionsCarriedIn } from "./suppression-carry";

/**
 * The one pipeline from Terraform configuration to findings, shared by `audit --synth`, the app
 * checks (`HardenedDockerChecks`, `checkStack`) and anything else that judges stacks: models from
 * the reader in `lib/synth`, the rules, construct suppressions (given, and carried in the
 * synthesized JSON), and the reader's doubts as `HD-INPUT` findings: what was not read at all (a
 * module, a refused configuration) at level error, so the gate fails closed on it.
 */

/** One configuration to audit. */
export interface StackToAudit {
  /** The stack name findings carry. */
  readonly name: string;
  readonly config: TerraformConfig;
  /** The file findings point at when the resource's own file is not known. */
  readonly file?: string;
  /** The file and line where a resource is written, by address. */
  locate?(address: string): { file: string; line?: number } | undefined;
}

/** Options of {@link auditStacks}. */
export interface AuditStacksOptions {
  /** @default DEFAULT_RULES */
  readonly rules?: readonly Rule[];
  readonly levels?: Readonly<Record<string, Level>>;
  /** Construct suppressions from the construct tree (`Suppressions.collect`), when there is one. */
  readonly suppressions?: readonly Suppression[];
  readonly context: RuleContext;
}

/**
 * A stack from a configuration object handed over in code (`stack.toTerraform()`): a
 * configuration Terraform would refuse becomes a stack with nothing read but the refusal, which
 * is reported as an error-level `HD-INPUT` finding.
 */
export function stackFromObject(name: string, json: unknown, file?: string): StackToAudit {
  let config: TerraformConfig;
  try {
    config = readTerraformConfig([{ json }]);
  } catch (error) {
    if (!(error instanceof TerraformConfigError)) throw error;
    config = { json: {}, unread: [error.message], fileOf: new Map(), writtenBodyOf: new Map() };
  }
  return { name, config, ...(file !== undefined ? { file } : {}) };
}

/** Evaluates every stack; findings carry the stack name and, when known, file and line. */
export function auditStacks(
  stacks: readonly StackToAudit[],
  options: AuditStacksOptions,
): Finding[] {
  const findings: Finding[] = [];
  const inputLevel = options.levels?.[INPUT_PROBLEM_RULE.id];
  // `levels` may name a network rule too; the container engine knows only the container rules.
  const networkIds = new Set(NETWORK_RULES.map((r) => r.id));
  const levelEntries = Object.entries(options.levels ?? {});
  const containerLevels = Object.fromEntries(levelEntries.filter(([id]) => !networkIds.has(id)));
  const networkLevels = Object.fromEntries(levelEntries.filter(([id]) => networkIds.has(id)));
  for (const stack of stacks) {
    const read = modelsFromTerraformConfig(stack.config);
    const carried = suppressionsCarriedIn(stack.config.json);
    const evaluated = evaluate(read.models, {
      ...(options.rules !== undefined ? { rules: options.rules } : {}),
      ...(options.levels !== undefined ? { levels: containerLevels } : {}),
      suppressions: [...(options.suppressions ?? []), ...carried.suppressions],
      context: options.context,
    });
    const networks = evaluateNetworks(networksFromTerraformJson(stack.config.json), {
      levels: networkLevels,
      suppressions: [...(options.suppressions ?? []), ...carried.suppressions],
      now: options.context.now,
    });
    const all = [
      ...stack.config.unread.map((p) => inputProblemFinding(p, inputLevel ?? "error")),
      ...[...read.problems, ...carried.problems].map((p) => inputProblemFinding(p, inputLevel)),
      ...evaluated,
      ...networks,
    ];
    for (const f of all) {
      const at = stack.locate?.(f.resource);
      const file = at?.file ?? stack.file;
      findings.push({
        ...f,
        stack: stack.name,
        ...(file !== undefined ? { file } : {}),
        ...(at?.line !== undefined ? { line: at.line } : {}),
      });
    }
  }
  return findings;
}
