import { statSync } from "fs";
import { Command, Option } from "commander";
import { loadSynthesizedStacks, SynthInputError } from "../../policy/adapters/synth-loader";
import { modelsFromTerraformJson } from "../../policy/adapters/terraform-json";
import { evaluate, inputProblemFinding, PolicyOptionsError } from "../../policy/engine";
import { blockingFindings, Finding, LEVELS } from "../../policy/findings";
import { DEFAULT_RULES } from "../../policy/pack";
import { REPORT_FORMATS, renderReport, ReportFormat } from "../../policy/reports";
import { Level } from "../../policy/rule";
import {
  concurrencyOption,
  filterOption,
  filtersFrom,
  wantsColour,
  withEngine,
} from "../host-options";
import { auditHost, HostAuditOptionsError } from "../../host/host-audit";
import { readTrustedKeys } from "../trusted-keys";
import { createProgress, Progress } from "../progress";
import { CliIo, ExitCode, oneLine, UsageError } from "../output";

/** Options of `hardened-docker audit`, as commander parses them. */
export interface AuditCliOptions {
  /** A cdk.tf.json file or a cdktf.out folder. */
  readonly synth?: string;
  /** Audit the containers of the Docker Engine (DOCKER_HOST or the default socket). */
  readonly host?: boolean;
  /** `--host` only: label=<key>[=<value>] / name=<name> filters. */
  readonly filter?: readonly string[];
  /** `--host` only: include stopped containers. */
  readonly all?: boolean;
  /** `--host` only: inspections in flight. */
  readonly concurrency?: number;
  /** `--host` only: read process lists for CIS 5.7 (`--no-processes` turns it off). */
  readonly processes?: boolean;
  readonly format: ReportFormat;
  readonly level: Readonly<Record<string, Level>>;
  readonly trustedRegistry?: readonly string[];
  /** `--host` only: cosign public key files (HD-IMAGE-SIGNED). */
  readonly trustedKey?: readonly string[];
  readonly failOn: Level;
  readonly failOnUnknown: boolean;
  readonly color: boolean;
}

/** The blocking findings named on stderr; the report lists all of them. */
const MAX_NAMED_BLOCKING = 10;

/** Larger inputs are refused: a synthesized stack is kilobytes to a few megabytes. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Top-level keys a Terraform JSON configuration may hold. */
const TERRAFORM_TOP_LEVEL_KEYS = new Set([
  "//",
  "terraform",
  "provider",
  "resource",
  "data",
  "variable",
  "output",
  "locals",
  "module",
  "moved",
  "import",
  "check",
  "removed",
]);

/**
 * `hardened-docker audit --synth <path>`: checks the containers of synthesized stacks.
 *
 * Exit codes: 0 when no unsuppressed failure is at or above `--fail-on` (default `error`);
 * 1 when one is; 2 for bad usage or unreadable input (one line on stderr). Unknown findings
 * (values only known at apply time) are listed in every format but only block with
 * `--fail-on-unknown`.
 *
 * `hardened-docker audit --host`: the same rules, levels and label suppressions on the
 * containers of the Docker Engine at `DOCKER_HOST` (or the default socket), each inspected once
 * (bounded `--concurrency`), running ones also listed with `top` for CIS 5.7. `--filter` and
 * `--all` select the containers as `docker ps` does. Exit 2 also when the engine cannot be
 * reached, or stops answering part-way (the partial report is still written, with an `HD-INPUT`
 * finding for every container not read). Text is coloured on a terminal (or with `--color`).
 */
export function registerAuditCommand(
  program: Command,
  io: CliIo,
  outcome: { code?: number },
): void {
  program
    .command("audit")
    .description(
      "Check containers against the CIS Docker Benchmark rules. Exit 0: nothing blocking; " +
        "1: an unsuppressed failure at or above --fail-on; 2: bad usage or unreadable input",
    )
    .addOption(
      new Option(
        "--synth <path>",
        "a synthesized cdk.tf.json file or a cdktf.out folder",
      ).conflicts("host"),
    )
    .addOption(
      new Option(
        "--host",
        "audit the containers of the Docker Engine (DOCKER_HOST, else /var/run/docker.sock)",
      ).conflicts("synth"),
    )
    .addOption(filterOption())
    .option("--all", "with --host: include stopped containers", false)
    .addOption(concurrencyOption())
    .option("--no-processes", "with --host: do not read process lists (CIS 5.7 not applicable)")
    .addOption(
      new Option("--format <format>", "report format").choices(REPORT_FORMATS).default("text"),
    )
    .addOption(
      new Option("--level <rule=level>", "change a rule's level (repeatable), e.g. CIS-5.12=error")
        .argParser(parseLevel)
        .default({}),
    )
    .addOption(
      new Option(
        "--trusted-registry <prefix>",
        "a registry/repository prefix images may come from (repeatable; CIS 4.2)",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(
      new Option(
        "--trusted-key <file>",
        "with --host: a cosign public key (PEM); each running image must be signed by one (repeatable; HD-IMAGE-SIGNED)",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(
      new Option("--fail-on <level>", "least severe level that makes the audit exit 1")
        .choices(LEVELS)
        .default("error"),
    )
    .option("--fail-on-unknown", "also exit 1 on unknown findings at or above --fail-on", false)
    .option("--color", "colour the text report (automatic on a terminal with --host)", false)
    .action(async (options: AuditCliOptions) => {
      outcome.code =
        options.host === true ? await runHostAudit(options, io) : runAudit(options, io);
    });
}

/** Runs the audit and writes the report; returns the exit code. Throws UsageError for exit 2. */
export function runAudit(options: AuditCliOptions, io: CliIo): number {
  if (options.synth === undefined) {
    throw new UsageError(
      "audit needs --synth <path> (a synthesized cdk.tf.json file or a cdktf.out folder) " +
        "or --host (the containers of the Docker Engine)",
    );
  }
  for (const hostOnly of ["filter", "all", "trustedKey"] as const) {
    const value = options[hostOnly];
    if (value !== undefined && value !== false) {
      throw new UsageError(
        `--${hostOnly === "trustedKey" ? "trusted-key" : hostOnly} selects live containers: use it with --host, not --synth`,
      );
    }
  }
  const findings = auditSynthesized(options.synth, options);
  return writeAuditReport(findings, options, io, options.color);
}

/**
 * `audit --host`: audits the engine's containers and writes the report; returns the exit code
 * (2 when the engine stopped answering part-way). Throws UsageError for exit 2 before any report.
 */
export async function runHostAudit(options: AuditCliOptions, io: CliIo): Promise<number> {
  const filters = filtersFrom(options.filter);
  const trustedKeys =
    options.trustedKey !== undefined ? readTrustedKeys(options.trustedKey) : undefined;
  let progress: Progress | undefined;
  const result = await withEngine(async (client, address) => {
    try {
      return await auditHost(client, {
        address,
        filters,
        all: options.all === true,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        processes: options.processes !== false,
        levels: options.level,
        ...(options.trustedRegistry !== undefined
          ? { trustedRegistries: options.trustedRegistry }
          : {}),
        ...(trustedKeys !== undefined ? { trustedKeys } : {}),
        onListed: (count) => {
          progress = createProgress(io.stderr, count, { label: "inspecting containers" });
        },
        onRead: () => progress?.tick(),
      });
    } catch (error) {
      if (error instanceof PolicyOptionsError) throw new UsageError(`--level: ${error.message}`);
      if (error instanceof HostAuditOptionsError) throw new UsageError(error.message);
      throw error;
    } finally {
      progress?.done();
    }
  });
  const code = writeAuditReport(
    result.findings,
    options,
    io,
    wantsColour(options.color, io.stdout),
  );
  if (result.engineLost !== undefined) {
    io.stderr.write(
      `hardened-docker: ${oneLine(result.engineLost)}; the report above is incomplete\n`,
    );
    return ExitCode.usage;
  }
  return code;
}

/** Writes the report in the chosen format and the blocking line; returns the exit code. */
function writeAuditReport(
  findings: readonly Finding[],
  options: AuditCliOptions,
  io: CliIo,
  color: boolean,
): number {
  io.stdout.write(
    renderReport(options.format, findings, {
      rules: DEFAULT_RULES,
      color,
      failOn: options.failOn,
      failOnUnknown: options.failOnUnknown,
    }),
  );
  const blocking = blockingFindings(findings, options);
  if (blocking.length === 0) return ExitCode.ok;
  // One line, however many there are: a host with hundreds of containers must not flood stderr.
  const named = blocking.slice(0, MAX_NAMED_BLOCKING).map((f) => `${f.ruleId} ${f.resource}`);
  const more = blocking.length - named.length;
  io.stderr.write(
    `hardened-docker: ${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"}: ` +
      `${named.join(", ")}${more > 0 ? `, and ${more} more (see the report)` : ""}\n`,
  );
  return ExitCode.findings;
}

/** Loads, models and evaluates every stack under `path`. */
function auditSynthesized(path: string, options: AuditCliOptions): Finding[] {
  guardSize(path);
  let stacks: ReturnType<typeof loadSynthesizedStacks>["stacks"];
  try {
    stacks = loadSynthesizedStacks(path).stacks;
  } catch (error) {
    if (error instanceof SynthInputError) throw new UsageError(oneLine(error));
    throw new UsageError(`cannot read ${path}: ${oneLine(error)}`);
  }
  const context = {
    now: new Date(),
    ...(options.trustedRegistry !== undefined
      ? { trustedRegistries: options.trustedRegistry }
      : {}),
  };
  const findings: Finding[] = [];
  for (const stack of stacks) {
    assertTerraformShape(stack.json, stack.file);
    let read: ReturnType<typeof modelsFromTerraformJson>;
    try {
      read = modelsFromTerraformJson(stack.json);
    } catch (error) {
      throw new UsageError(`${stack.file}: cannot read the stack: ${oneLine(error)}`);
    }
    let evaluated: Finding[];
    try {
      evaluated = evaluate(read.models, { levels: options.level, context });
    } catch (error) {
      if (error instanceof PolicyOptionsError) throw new UsageError(`--level: ${error.message}`);
      throw error;
    }
    for (const f of [...read.problems.map((p) => inputProblemFinding(p)), ...evaluated]) {
      findings.push({ ...f, stack: stack.name, file: stack.file });
    }
  }
  return findings;
}

function guardSize(path: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return;
    size = stat.size;
  } catch {
    return; // the loader reports missing paths in its own words
  }
  if (size > MAX_INPUT_BYTES) {
    throw new UsageError(
      `${path} is ${Math.round(size / 1048576)} MiB; a synthesized stack is far smaller ` +
        `(limit ${MAX_INPUT_BYTES / 1048576} MiB): point --synth at a cdk.tf.json or cdktf.out folder`,
    );
  }
}

function assertTerraformShape(json: unknown, file: string): void {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new UsageError(
      `${file}: not a Terraform JSON configuration (the top level is ${Array.isArray(json) ? "an array" : json === null ? "null" : typeof json}, not an object)`,
    );
  }
  const unexpected = Object.keys(json).filter((k) => !TERRAFORM_TOP_LEVEL_KEYS.has(k));
  if (unexpected.length > 0) {
    throw new UsageError(
      `${file}: not a Terraform JSON configuration (unexpected top-level key${unexpected.length === 1 ? "" : "s"} ` +
        `${unexpected
          .slice(0, 5)
          .map((k) => JSON.stringify(k))
          .join(", ")}; expected ${[...TERRAFORM_TOP_LEVEL_KEYS].join(", ")})`,
    );
  }
}

function parseLevel(
  value: string,
  previous: Readonly<Record<string, Level>> | undefined,
): Record<string, Level> {
  const match = /^([^=\s]+)=([a-z]+)$/.exec(value.trim());
  if (!match) {
    throw new UsageError(
      `--level "${value}": write RULE=LEVEL, e.g. CIS-5.12=error (levels: ${LEVELS.join(", ")})`,
    );
  }
  const [, ruleId, level] = match as unknown as [string, string, string];
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--level "${value}": "${level}" is not a level; use ${LEVELS.join(", ")}`);
  }
  return { ...(previous ?? {}), [ruleId]: level as Level };
}
