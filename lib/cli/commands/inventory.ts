import { Command, Option } from "commander";
import {
  addEngineOptions,
  EngineCliOptions,
  engineConnection,
  filterOption,
  filtersFrom,
  namesEngines,
  targetsFrom,
  withEngine,
} from "../host-options";
import { assertEngineAnswers, EngineClient } from "../../host/engine-client";
import { forEachEngine } from "../../host/fleet-audit";
import { ContainerFilters } from "../../host/container-filters";
import type { KeyObject } from "node:crypto";
import { DurationSyntaxError, parseWithinDays } from "../../host/duration";
import { buildInventory, InventoryReport, renderInventoryTable } from "../../host/inventory";
import { lookUpImageSignatures } from "../../host/image-signatures";
import { listContainerSummaries } from "../../host/read-containers";
import { readTrustedKeys } from "../trusted-keys";
import { CliIo, ExitCode, UsageError } from "../output";

/** Options of `hardened-docker inventory`, as commander parses them. */
export interface InventoryCliOptions extends EngineCliOptions {
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
  const command = program
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
    );
  addEngineOptions(command).action(async (options: InventoryCliOptions) => {
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
  const take = (client: EngineClient, address: string) =>
    takeInventory(client, address, { filters, keys, now, withinDays });
  if (namesEngines(options)) return runFleetInventory(options, io, take);
  const report: InventoryReport = await withEngine(take);
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

/** One engine's inventory: every container (running or not), labels and flags. */
async function takeInventory(
  client: EngineClient,
  address: string,
  options: {
    readonly filters: ContainerFilters;
    readonly keys: readonly KeyObject[] | undefined;
    readonly now: Date;
    readonly withinDays: number;
  },
): Promise<InventoryReport> {
  await assertEngineAnswers(client, address);
  const summaries = await listContainerSummaries(client, {
    all: true,
    filters: options.filters,
    address,
  });
  const imageSignatures =
    options.keys !== undefined
      ? await lookUpImageSignatures(
          client,
          summaries.map((s) => ({ resource: s.id, imageId: s.imageId || undefined })),
          options.keys,
        )
      : undefined;
  return buildInventory(summaries, {
    now: options.now,
    withinDays: options.withinDays,
    ...(imageSignatures !== undefined ? { imageSignatures } : {}),
  });
}

/**
 * `inventory --docker-host ... --context ...`: every engine at once; JSON `{ engines: [{ engine,
 * report } | { engine, unreachable }] }`, a table per engine. Exit 2 when an engine cannot be
 * reached (unless --allow-unreachable), else 1 with --strict when a container is flagged.
 */
async function runFleetInventory(
  options: InventoryCliOptions,
  io: CliIo,
  take: (client: EngineClient, address: string) => Promise<InventoryReport>,
): Promise<number> {
  const outcomes = await forEachEngine(targetsFrom(options), engineConnection.connectTo, (c, t) =>
    take(c, t.address),
  );
  const engines = outcomes.map((o) =>
    o.kind === "done"
      ? { engine: o.target.name, report: o.result }
      : { engine: o.target.name, unreachable: o.reason },
  );
  if (options.format === "json") {
    io.stdout.write(`${JSON.stringify({ engines }, null, 2)}\n`);
  } else {
    for (const e of engines) {
      io.stdout.write(`== engine ${e.engine} ==\n`);
      io.stdout.write(
        e.report !== undefined ? renderInventoryTable(e.report) : `not reached: ${e.unreachable}\n`,
      );
    }
  }
  let code: number = ExitCode.ok;
  for (const e of engines) {
    if (e.unreachable !== undefined) {
      io.stderr.write(`hardened-docker: engine ${e.engine} not reached: ${e.unreachable}\n`);
      if (options.allowUnreachable !== true) code = ExitCode.usage;
    }
  }
  const flagged = engines.reduce((n, e) => n + (e.report?.summary.flagged ?? 0), 0);
  if (code === ExitCode.ok && options.strict && flagged > 0) {
    io.stderr.write(`hardened-docker: ${flagged} containers flagged (--strict)\n`);
    code = ExitCode.findings;
  }
  return code;
}
