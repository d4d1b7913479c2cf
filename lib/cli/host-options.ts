import { Command, Option } from "commander";
import { TextSink, UsageError } from "./output";
import { containerFilters, ContainerFilters, FilterSyntaxError } from "../host/container-filters";
import { connectEngine, EngineClient, engineAddress } from "../host/engine-client";
import { EngineUnavailableError } from "../host/engine-errors";
import {
  connectTarget,
  defaultTarget,
  EngineTarget,
  EngineTargetError,
  targetFromContext,
  targetFromDockerHost,
} from "../host/engine-targets";
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from "../host/read-containers";

/** Plumbing shared by `audit --host`, `inventory` and `drift`. */

/**
 * Where the host commands get their engine client. The CLI connects to `DOCKER_HOST` (or the
 * default socket); tests may replace the factory with one returning a fake.
 */
export const engineConnection: {
  connect: () => EngineClient;
  /** A client for one of several engines (`--docker-host`, `--context`). */
  connectTo: (target: EngineTarget) => EngineClient;
} = {
  connect: () => connectEngine(),
  connectTo: (target) => connectTarget(target),
};

/** `--docker-host`, `--context` and `--allow-unreachable`, as commander parses them. */
export interface EngineCliOptions {
  readonly dockerHost?: readonly string[];
  readonly context?: readonly string[];
  readonly allowUnreachable?: boolean;
}

const repeatable = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** Adds the options that choose the engines (repeatable) to a host command. */
export function addEngineOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--docker-host <url>",
        "an engine to use: unix:///path, tcp://host:port (TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) or ssh://user@host (repeatable; default DOCKER_HOST or /var/run/docker.sock)",
      ).argParser(repeatable),
    )
    .addOption(
      new Option(
        "--context <name>",
        "a Docker CLI context (~/.docker/contexts) whose engine to use (repeatable)",
      ).argParser(repeatable),
    )
    .option(
      "--allow-unreachable",
      "an engine that cannot be reached is reported at level info instead of making the command exit 2",
      false,
    );
}

/**
 * The engines the options name, in order (`--docker-host`s, then `--context`s), without
 * duplicates; with neither, DOCKER_HOST or the default socket. A UsageError for a URL or
 * context the client cannot use.
 */
export function targetsFrom(options: EngineCliOptions): EngineTarget[] {
  try {
    const targets = [
      ...(options.dockerHost ?? []).map((url) => targetFromDockerHost(url)),
      ...(options.context ?? []).map((name) => targetFromContext(name)),
    ];
    if (targets.length === 0) return [defaultTarget()];
    const seen = new Set<string>();
    return targets.filter((t) => !seen.has(t.name) && seen.add(t.name) !== undefined);
  } catch (error) {
    if (error instanceof EngineTargetError) throw new UsageError(error.message);
    throw error;
  }
}

/** True when the options name engines explicitly (then the fleet path runs). */
export function namesEngines(options: EngineCliOptions): boolean {
  return (options.dockerHost?.length ?? 0) + (options.context?.length ?? 0) > 0;
}

/** `--filter` (repeatable): label=<key>, label=<key>=<value>, name=<name>. */
export function filterOption(): Option {
  return new Option(
    "--filter <filter>",
    "only containers matching label=<key>, label=<key>=<value> or name=<name> (repeatable)",
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** `--concurrency <n>`: inspections in flight. */
export function concurrencyOption(): Option {
  return new Option("--concurrency <n>", `inspections in flight at once (1-${MAX_CONCURRENCY})`)
    .argParser(parseConcurrency)
    .default(DEFAULT_CONCURRENCY);
}

/** Parses `--concurrency`; a UsageError (exit 2) for anything but 1..MAX_CONCURRENCY. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency ${JSON.stringify(value)}: give a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  return n;
}

/** The `--filter` values as Engine filters; a UsageError for a malformed one. */
export function filtersFrom(values: readonly string[] | undefined): ContainerFilters {
  try {
    return containerFilters(values ?? []);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new UsageError(error.message);
    throw error;
  }
}

/** True when `sink` is a terminal (`process.stdout` / `process.stderr` on a TTY). */
export function isTerminal(sink: TextSink): boolean {
  return (sink as { isTTY?: unknown }).isTTY === true;
}

/**
 * Colour for a text report: asked for with `--color`, or automatic on a terminal unless
 * `NO_COLOR` is set (https://no-color.org). Files, pipes and CI logs stay plain.
 */
export function wantsColour(asked: boolean, sink: TextSink): boolean {
  if (asked) return true;
  const noColor = process.env.NO_COLOR;
  return isTerminal(sink) && (noColor === undefined || noColor === "");
}

/**
 * Connects to the engine and runs `body`; an engine that cannot be reached becomes a UsageError
 * (one line on stderr, exit 2) naming where it was looked for and why.
 */
export async function withEngine<T>(
  body: (client: EngineClient, address: string) => Promise<T>,
): Promise<T> {
  const address = engineAddress();
  try {
    return await body(engineConnection.connect(), address);
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw new UsageError(error.message);
    throw error;
  }
}
