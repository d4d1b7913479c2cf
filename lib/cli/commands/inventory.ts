import { Command, Option } from "commander";
import { filterOption, filtersFrom, withEngine } from "../host-options";
import { assertEngineAnswers } from "../../host/engine-client";
import { DurationSyntaxError, parseWithinDays } from "../../host/duration";
import { buildInventory, InventoryReport, renderInventoryTable } from "../../host/inventory";
import { lookUpImageSignatures } from "../../host/image-signatures";
import { listContainerSummaries } from "../../host/read-containers";
import { readTrustedKeys } from "../trusted-keys";
import { CliIo, ExitCode, UsageError } from "../output";

/** Options of `hardened-docker inventory`, as commander parses them. */
export interface InventoryCliOptions {
  readonly format: "table" | "json";
  readonly within: string;
  readonly strict: boolean;
  readonly filter?: readonly string[];
  /** Cosign public key files: show whether each image is signed by one. */
  readonly trustedKey?: readonly string[];
}

/**
 * `hardened-docker inventory`: every container of the engine (running or not) with name, image
 * (pinned by digest or not), owner, purpose, deployed-by, deployed-at, expires, relaxations,
 * state and flags (unlabelled, expired, expiring within `--within`, unpinned-image,
 * invalid-label). Exit 0; 1 with `--strict` when any flag is raised; 2 for bad usage or an
 * engine that cannot be reached.
 */
export function registerInventoryCommand(
  program: Command,
  io: CliIo,
  outcome: { code?: number },
): void {
  program
    .command("inventory")
    .description(
      "List every container of the Docker Engine: what runs, who owns it, why, since and until when, " +
        "its relaxations, and flags. Exit 0; 1 with --strict when a flag is raised; 2: bad usage or no engine",
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .option("--within <duration>", "flag containers expiring within this many days/weeks", "30d")
    .option("--strict", "exit 1 when any container is flagged", false)
    .addOption(filterOption())
    .addOption(
      new Option(
        "--trusted-key <file>",
        "a cosign public key (PEM): flag images no trusted key signed (repeatable)",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .action(async (options: InventoryCliOptions) => {
      outcome.code = await runInventory(options, io);
    });
}

/** Takes the inventory and writes it; returns the exit code. Throws UsageError for exit 2. */
export async function runInventory(
  options: InventoryCliOptions,
  io: CliIo,
  now: Date = new Date(),
): Promise<number> {
  let withinDays: number;
  try {
    withinDays = parseWithinDays(options.within);
  } catch (error) {
    if (error instanceof DurationSyntaxError) throw new UsageError(error.message);
    throw error;
  }
  const filters = filtersFrom(options.filter);
  const keys = options.trustedKey !== undefined ? readTrustedKeys(options.trustedKey) : undefined;
  const report: InventoryReport = await withEngine(async (client, address) => {
    await assertEngineAnswers(client, address);
    const summaries = await listContainerSummaries(client, { all: true, filters, address });
    const imageSignatures =
      keys !== undefined
        ? await lookUpImageSignatures(
            client,
            summaries.map((s) => ({ resource: s.id, imageId: s.imageId || undefined })),
            keys,
          )
        : undefined;
    return buildInventory(summaries, {
      now,
      withinDays,
      ...(imageSignatures !== undefined ? { imageSignatures } : {}),
    });
  });
  io.stdout.write(
    options.format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderInventoryTable(report),
  );
  if (options.strict && report.summary.flagged > 0) {
    io.stderr.write(
      `hardened-docker: ${report.summary.flagged} of ${report.summary.containers} containers flagged (--strict)\n`,
    );
    return ExitCode.findings;
  }
  return ExitCode.ok;
}
