import {
  readTerraformConfig,
  TerraformConfig,
  TerraformConfigError,
} from "../synth/terraform-config";
import { networksFromTerraformJson } from "../synth/terraform-network";
import { modelsFromTerraformConfig } from "../synth/terraform-json";
import { AnyRule, evaluatePolicy, inputProblemFinding, INPUT_PROBLEM_RULE } from "../policy/engine";
import { Finding, WaiverEntry } from "../policy/findings";
import { Level, RuleContext } from "../policy/rule";
import { TeamPolicy } from "../policy/team-policy";
import { Suppression } from "../policy/suppressions";
import { suppressionsCarriedIn } from "../synth/carried-suppressions";

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
  /** Container and network rules. @default DEFAULT_RULES and NETWORK_RULES */
  readonly rules?: readonly AnyRule[];
  readonly levels?: Readonly<Record<string, Level>>;
  /** Construct suppressions from the construct tree (`Suppressions.collect`), when there is one. */
  readonly suppressions?: readonly Suppression[];
  /** The team policy. @default DEFAULT_TEAM_POLICY */
  readonly policy?: TeamPolicy;
  readonly context: RuleContext;
}

/** Findings and the waivers met, per the one engine. */
export interface AuditResult {
  readonly findings: Finding[];
  readonly waivers: WaiverEntry[];
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
  return auditStacksWithWaivers(stacks, options).findings;
}

/**
 * Evaluates every stack with the one engine (containers, services and networks together, the
 * team policy per stack) and returns the findings and the waivers met, each carrying the stack.
 */
export function auditStacksWithWaivers(
  stacks: readonly StackToAudit[],
  options: AuditStacksOptions,
): AuditResult {
  const findings: Finding[] = [];
  const waivers: WaiverEntry[] = [];
  const inputLevel = options.levels?.[INPUT_PROBLEM_RULE.id];
  for (const stack of stacks) {
    const read = modelsFromTerraformConfig(stack.config);
    const carried = suppressionsCarriedIn(stack.config.json);
    const result = evaluatePolicy(
      { containers: read.models, networks: networksFromTerraformJson(stack.config.json) },
      {
        ...(options.rules !== undefined ? { rules: options.rules } : {}),
        ...(options.levels !== undefined ? { levels: options.levels } : {}),
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
        suppressions: [...(options.suppressions ?? []), ...carried.suppressions],
        context: options.context,
      },
    );
    const all = [
      ...stack.config.unread.map((p) => inputProblemFinding(p, inputLevel ?? "error")),
      ...[...read.problems, ...carried.problems].map((p) => inputProblemFinding(p, inputLevel)),
      ...result.findings,
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
    for (const w of result.waivers) waivers.push({ ...w, stack: stack.name });
  }
  return { findings, waivers };
}
