import { Command, Option } from "commander";
import {
  addEngineOptions,
  concurrencyOption,
  EngineCliOptions,
  engineConnection,
  filterOption,
  filtersFrom,
  namesEngines,
  targetsFrom,
  withEngine,
} from "../host-options";
import { forEachEngine } from "../../host/fleet-audit";
import { detectDrift, hasDrift, renderDriftText } from "../../host/drift";
import { loadTerraformInput, SynthInputError } from "../../synth";
import { CliIo, ExitCode, oneLine, UsageError } from "../output";

/** Options of `hardened-docker drift`, as commander parses them. */
export interface DriftCliOptions extends EngineCliOptions {
  readonly synth: string;
  readonly format: "text" | "json";
  readonly filter?: readonly string[];
  readonly concurrency?: number;
}

/**
 * `hardened-docker drift --synth <path>`: compares each `docker_container` of the synthesized
 * stacks with the live container of the same name on the security-relevant settings, and lists
 * containers missing on the host and live containers carrying our labels that no stack declares.
 * Exit 0 in sync; 1 drift (or a container that could not be compared); 2 bad usage, unreadable
 * input, or an engine that cannot be reached or stopped answering.
 */
export function registerDriftCommand(
  program: Command,
  io: CliIo,
  outcome: { code?: number },
): void {
  const command = program
    .command("drift")
    .description(
      "Compare synthesized docker_container resources with the live containers of the same name. " +
        "Exit 0: in sync; 1: drift; 2: bad usage, unreadable input or no engine",
    )
    .requiredOption("--synth <path>", "a synthesized cdk.tf.json file or a cdktf.out folder")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
    )
    .addOption(filterOption())
    .addOption(concurrencyOption());
  addEngineOptions(command).action(async (options: DriftCliOptions) => {
    outcome.code = await runDrift(options, io);
  });
}

/** Checks drift and writes the report; returns the exit code. Throws UsageError for exit 2. */
export async function runDrift(options: DriftCliOptions, io: CliIo): Promise<number> {
  let stacks: Awaited<ReturnType<typeof loadTerraformInput>>["stacks"];
  try {
    stacks = (await loadTerraformInput(options.synth)).stacks;
  } catch (error) {
    if (error instanceof SynthInputError) throw new UsageError(oneLine(error));
    throw new UsageError(`cannot read ${options.synth}: ${oneLine(error)}`);
  }
  const filters = filtersFrom(options.filter);
  const detect = (client: Parameters<typeof detectDrift>[0], address: string) =>
    detectDrift(client, stacks, {
      address,
      filters,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    });
  if (namesEngines(options)) return runFleetDrift(options, io, detect);
  const { report, engineLost } = await withEngine(detect);
  io.stdout.write(
    options.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderDriftText(report),
  );
  if (engineLost !== undefined) {
    io.stderr.write(`hardened-docker: ${oneLine(engineLost)}; the report above is incomplete\n`);
    return ExitCode.usage;
  }
  if (!hasDrift(report)) return ExitCode.ok;
  const s = report.summary;
  io.stderr.write(
    `hardened-docker: drift: ${s.drifted} drifted, ${s.missing} missing, ${s.unmanaged} unmanaged, ` +
      `${s.unresolved} unresolved, ${s.unverified} unverified\n`,
  );
  return ExitCode.findings;
}

/**
 * `drift --docker-host ... --context ...`: the same stacks against every engine at once; JSON
 * `{ engines: [{ engine, report } | { engine, unreachable }] }`, a text report per engine. Exit 2
 * when an engine cannot be reached (unless --allow-unreachable) or stopped answering, else 1
 * when any engine drifted.
 */
async function runFleetDrift(
  options: DriftCliOptions,
  io: CliIo,
  detect: (
    client: Parameters<typeof detectDrift>[0],
    address: string,
  ) => ReturnType<typeof detectDrift>,
): Promise<number> {
  const outcomes = await forEachEngine(targetsFrom(options), engineConnection.connectTo, (c, t) =>
    detect(c, t.address),
  );
  const engines = outcomes.map((o) =>
    o.kind === "done"
      ? { engine: o.target.name, report: o.result.report, lost: o.result.engineLost }
      : { engine: o.target.name, unreachable: o.reason },
  );
  if (options.format === "json") {
    const json = engines.map((e) =>
      e.report !== undefined
        ? { engine: e.engine, report: e.report }
        : { engine: e.engine, unreachable: e.unreachable },
    );
    io.stdout.write(`${JSON.stringify({ engines: json }, null, 2)}\n`);
  } else {
    for (const e of engines) {
      io.stdout.write(`== engine ${e.engine} ==\n`);
      io.stdout.write(
        e.report !== undefined ? renderDriftText(e.report) : `not reached: ${e.unreachable}\n`,
      );
    }
  }
  let usage = false;
  for (const e of engines) {
    if (e.unreachable !== undefined) {
      io.stderr.write(`hardened-docker: engine ${e.engine} not reached: ${e.unreachable}\n`);
      usage ||= options.allowUnreachable !== true;
    }
    if (e.lost !== undefined) {
      io.stderr.write(`hardened-docker: ${oneLine(e.lost)}; the report above is incomplete\n`);
      usage = true;
    }
  }
  if (usage) return ExitCode.usage;
  const drifted = engines.filter((e) => e.report !== undefined && hasDrift(e.report));
  if (drifted.length === 0) return ExitCode.ok;
  io.stderr.write(
    `hardened-docker: drift on ${drifted.length} engine${drifted.length === 1 ? "" : "s"}: ${drifted.map((e) => e.engine).join(", ")}\n`,
  );
  return ExitCode.findings;
}
