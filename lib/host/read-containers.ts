import { isRecord } from "../synth/terraform-values";
import { Unknown } from "../policy/unknown";
import { mapBounded } from "./bounded-map";
import { ContainerFilters } from "./container-filters";
import { ContainerSummary, readContainerSummary } from "./container-summary";
import { EngineClient } from "./engine-client";
import { classifyEngineError, EngineUnavailableError } from "./engine-errors";
import { HostProcessReader } from "./host-process-list";

/**
 * Reading the containers of a live engine: one list call, then one inspect per container (and the
 * process list of running ones: from the host's /proc when a {@link HostProcessReader} can, else
 * the engine's `top`) with bounded concurrency. Every listed container ends in exactly one
 * {@link ContainerRead} outcome, so a report can account for each of them.
 */

/**
 * Inspections in flight at once.
 * @default 8 — enough to keep a 2-core engine busy (an inspect is a few milliseconds of engine
 * time) without a burst of hundreds of requests on a production daemon.
 */
export const DEFAULT_CONCURRENCY = 8;
/** The most inspections in flight `--concurrency` accepts. */
export const MAX_CONCURRENCY = 64;

/** What became of one listed container. */
export type ContainerRead =
  /** Inspected: the raw inspect JSON, and (running containers) the process command lines. */
  | {
      readonly kind: "inspected";
      readonly summary: ContainerSummary;
      readonly inspect: unknown;
      readonly processes?: readonly string[] | Unknown;
    }
  /** Removed between the list and its inspect (the engine answered 404). */
  | { readonly kind: "gone"; readonly summary: ContainerSummary; readonly reason: string }
  /** The list entry could not be used, or the engine refused the inspect (not a 404). */
  | { readonly kind: "failed"; readonly summary: ContainerSummary; readonly reason: string }
  /** Not read because the engine stopped answering first. */
  | { readonly kind: "not-read"; readonly summary: ContainerSummary; readonly reason: string };

/** Options of {@link readContainers}. */
export interface ReadContainersOptions {
  /** @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
  /**
   * Read running containers' process lists (CIS 5.7).
   * @default true
   */
  readonly processes?: boolean;
  /**
   * Reads process lists from the host's /proc instead of `top` (see host-process-list.ts); a
   * container it cannot read falls back to `top`.
   * @default none — `top` for every container
   */
  readonly hostProcesses?: HostProcessReader;
  /** Called once per container when its reading is done (for a progress line). */
  readonly onRead?: () => void;
  /** Where the engine is, for messages. */
  readonly address: string;
}

/** All outcomes, and the reason the engine was lost when it stopped answering part-way. */
export interface ReadContainersResult {
  readonly reads: readonly ContainerRead[];
  readonly engineLost?: EngineUnavailableError;
}

/** Lists the containers (`all` includes stopped ones). Connection failures throw. */
export async function listContainerSummaries(
  client: EngineClient,
  options: { readonly all: boolean; readonly filters: ContainerFilters; readonly address: string },
): Promise<ContainerSummary[]> {
  let entries: unknown;
  try {
    const filters = Object.fromEntries(
      Object.entries(options.filters).map(([k, v]) => [k, [...v]]),
    );
    entries = await client.listContainers({ all: options.all, filters });
  } catch (error) {
    const failure = classifyEngineError(error);
    throw new EngineUnavailableError(
      failure.kind === "connection"
        ? `cannot reach the Docker Engine at ${options.address}: ${failure.message}`
        : `the Docker Engine at ${options.address} refused to list containers: ${failure.message}`,
    );
  }
  if (!Array.isArray(entries)) {
    throw new EngineUnavailableError(
      `the Docker Engine at ${options.address} answered the container list with something that is not a list`,
    );
  }
  return entries.map((entry: unknown, index) => readContainerSummary(entry, index));
}

/** Thrown inside a worker to stop the others: the engine is gone. */
class EngineLost extends Error {
  constructor(
    readonly container: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The command of each `top` row (the CMD / COMMAND column), so a user named sshd never matches. */
export function commandLines(top: unknown): readonly string[] | Unknown {
  if (!isRecord(top) || !Array.isArray(top.Processes)) {
    return new Unknown("the engine's process list (top) has no Processes list");
  }
  const titles = Array.isArray(top.Titles) ? top.Titles.map(String) : [];
  const column = titles.findIndex((t) => t === "CMD" || t === "COMMAND");
  return top.Processes.map((row: unknown) => {
    if (!Array.isArray(row)) return String(row);
    if (column >= 0 && column < row.length) return String(row[column]);
    return row.map(String).join(" ");
  });
}

function isRunning(inspect: unknown): boolean {
  return isRecord(inspect) && isRecord(inspect.State) && inspect.State.Running === true;
}

/** How process lists are read: not at all, or from the host (when given) falling back to `top`. */
type ProcessSource = false | { readonly host?: HostProcessReader };

async function readOne(
  client: EngineClient,
  summary: ContainerSummary,
  withProcesses: ProcessSource,
): Promise<ContainerRead> {
  if (summary.id === "") {
    return { kind: "failed", summary, reason: summary.problems.join("; ") || "no container ID" };
  }
  const container = client.getContainer(summary.id);
  let inspect: unknown;
  try {
    inspect = await container.inspect();
  } catch (error) {
    const failure = classifyEngineError(error);
    if (failure.kind === "connection") throw new EngineLost(summary.resource, failure.message);
    if (failure.kind === "not-found") {
      return {
        kind: "gone",
        summary,
        reason: `removed between the container list and its inspection (${failure.message})`,
      };
    }
    return {
      kind: "failed",
      summary,
      reason: `the engine refused the inspection: ${failure.message}`,
    };
  }
  if (!withProcesses || !isRunning(inspect)) return { kind: "inspected", summary, inspect };
  if (withProcesses.host !== undefined && isRecord(inspect) && isRecord(inspect.State)) {
    const id = typeof inspect.Id === "string" ? inspect.Id : summary.id;
    const fromHost = await withProcesses.host.read(id, inspect.State.Pid);
    if (fromHost.kind === "read") {
      return { kind: "inspected", summary, inspect, processes: fromHost.processes };
    }
  }
  let processes: readonly string[] | Unknown;
  try {
    processes = commandLines(await container.top());
  } catch (error) {
    const failure = classifyEngineError(error);
    if (failure.kind === "connection") throw new EngineLost(summary.resource, failure.message);
    processes = new Unknown(
      failure.kind === "not-found" || failure.kind === "conflict"
        ? `the container stopped or was removed before its process list was read (${failure.message})`
        : `the engine refused the process list (top): ${failure.message}`,
    );
  }
  return { kind: "inspected", summary, inspect, processes };
}

/**
 * Inspects every listed container with at most `concurrency` calls in flight. A container removed
 * between the list and its inspect becomes `gone`, an engine refusal `failed`; when the engine
 * stops answering, no new call starts and every container not yet read becomes `not-read`, with
 * `engineLost` saying why. Never throws for a container.
 */
export async function readContainers(
  client: EngineClient,
  summaries: readonly ContainerSummary[],
  options: ReadContainersOptions,
): Promise<ReadContainersResult> {
  const reads: (ContainerRead | undefined)[] = new Array(summaries.length).fill(undefined);
  const withProcesses: ProcessSource =
    (options.processes ?? true) &&
    (options.hostProcesses !== undefined ? { host: options.hostProcesses } : {});
  let engineLost: EngineUnavailableError | undefined;
  try {
    await mapBounded(summaries, options.concurrency ?? DEFAULT_CONCURRENCY, async (summary, i) => {
      reads[i] = await readOne(client, summary, withProcesses);
      options.onRead?.();
    });
  } catch (error) {
    if (!(error instanceof EngineLost)) throw error;
    const done = reads.filter((r) => r !== undefined).length;
    engineLost = new EngineUnavailableError(
      `the Docker Engine at ${options.address} stopped answering while ${error.container} was ` +
        `read (${error.detail}); ${done} of ${summaries.length} containers were read`,
    );
  }
  const result = summaries.map(
    (summary, i): ContainerRead =>
      reads[i] ?? {
        kind: "not-read",
        summary,
        reason: `not read: ${engineLost?.message ?? "the engine stopped answering"}`,
      },
  );
  return { reads: result, ...(engineLost !== undefined ? { engineLost } : {}) };
}
