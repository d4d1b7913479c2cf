import { Command, Option } from "commander";
import { concurrencyOption, filterOption, filtersFrom, withEngine } from "../host-options";
import { detectDrift, hasDrift, renderDriftText } from "../../host/drift";
import { loadTerraformInput, SynthInputError } from "../../synth";
import { CliIo, ExitCode, oneLine, UsageError } from "../output";

/** Options of `hardened-docker drift`, as commander parses them. */
export interface DriftCliOptions {
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
  program
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
    .addOption(concurrencyOption())
    .action(async (options: DriftCliOptions) => {
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
  const { report, engineLost } = await withEngine((client, address) =>
    detectDrift(client, stacks, {
      address,
      filters,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    }),
  );
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
