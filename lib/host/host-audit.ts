import type { KeyObject } from "node:crypto";
import { z } from "zod";
import { modelFromInspect } from "./inspect";
import { evaluate, INPUT_PROBLEM_RULE, inputProblemFinding } from "../policy/engine";
import { Finding } from "../policy/findings";
import { ContainerModel } from "../policy/model";
import { evaluateNetworks, NETWORK_RULES } from "../policy/network-pack";
import { DEFAULT_RULES } from "../policy/pack";
import { Level, Rule } from "../policy/rule";
import { ContainerFilters } from "./container-filters";
import { EngineClient, assertEngineAnswers } from "./engine-client";
import { EngineUnavailableError } from "./engine-errors";
import { HostProcessReader, hostProcessReader } from "./host-process-list";
import { hostSecurityOf } from "./host-security";
import { daemonModelOf, endpointOf, readEngineSelf } from "./read-daemon";
import { DAEMON_RULES, evaluateDaemons } from "../policy/daemon-pack";
import { DaemonEndpoint } from "../policy/daemon-model";
import { lookUpImageSignatures } from "./image-signatures";
import { readSwarmAndNetworks, readVolumeOptions } from "./read-swarm-and-networks";
import {
  ContainerRead,
  DEFAULT_CONCURRENCY,
  listContainerSummaries,
  MAX_CONCURRENCY,
  readContainers,
} from "./read-containers";

/** Options of {@link auditHost}. */
export interface HostAuditOptions {
  /** Where the engine is (for messages), e.g. `unix:///var/run/docker.sock`. */
  readonly address: string;
  /** Engine list filters (see `containerFilters`). @default {} — every container */
  readonly filters?: ContainerFilters;
  /**
   * Include stopped containers.
   * @default false — as `docker ps`: what runs is what is exposed; `--all` adds the rest.
   */
  readonly all?: boolean;
  /** Inspections in flight. @default DEFAULT_CONCURRENCY (8) */
  readonly concurrency?: number;
  /**
   * Also audit the engine's Swarm services (the rules of the container pack, on each service's
   * spec) and its user-defined networks (the network rules), with the same filters.
   * @default true — a service's tasks are containers too, but its spec is what the swarm recreates
   */
  readonly servicesAndNetworks?: boolean;
  /** Read process lists for CIS 5.7. @default true */
  readonly processes?: boolean;
  /**
   * Where process lists come from before `top`: a reader of the host's /proc, or `false` for
   * `top` only. @default hostProcessReader(address) — /proc for a local (unix://) engine on Linux
   */
  readonly hostProcesses?: HostProcessReader | false;
  /** The rules. @default DEFAULT_RULES — the same pack as `audit --synth`. */
  readonly rules?: readonly Rule[];
  /** Per-rule level overrides, as `audit --level`. */
  readonly levels?: Readonly<Record<string, Level>>;
  /** CIS 4.2 allowlist. @default none (CIS 4.2 not applicable) */
  readonly trustedRegistries?: readonly string[];
  /**
   * Cosign public keys: each container's image digest must carry a signature by one of them
   * (HD-IMAGE-SIGNED; looked up in the image's registry before the rules run).
   * @default none (HD-IMAGE-SIGNED not applicable)
   */
  readonly trustedKeys?: readonly KeyObject[];
  /**
   * Also judge the engine itself with the daemon rules (`/info`, `/swarm`, the endpoint).
   * @default true — a safe container on an unsafe daemon is not safe
   */
  readonly daemon?: boolean;
  /** The engine's name in the report (`engine:<name>`). @default address */
  readonly engineName?: string;
  /** How the client reaches the engine (TLS or not). @default endpointOf(address) */
  readonly endpoint?: DaemonEndpoint;
  /** "Now" for expiry checks. @default the current time */
  readonly now?: Date;
  /** Told the number of containers to read, then once per container read (progress line). */
  readonly onListed?: (count: number) => void;
  readonly onRead?: () => void;
}

/** What {@link auditHost} found. */
export interface HostAuditResult {
  /** One finding per rule and container, plus an `HD-INPUT` finding per container not read. */
  readonly findings: Finding[];
  /** How many containers the engine listed. */
  readonly listed: number;
  /** How many of them were inspected and evaluated. */
  readonly evaluated: number;
  /** How many Swarm services were evaluated (0 on a node that is not a swarm manager). */
  readonly services: number;
  /** How many engines the daemon rules judged (0 or 1). */
  readonly daemons: number;
  /** How many user-defined networks were evaluated. */
  readonly networks: number;
  /** Set when the engine stopped answering part-way: the findings are incomplete. */
  readonly engineLost?: EngineUnavailableError;
}

const optionsSchema = z.object({
  address: z.string().min(1),
  concurrency: z
    .number()
    .int({ error: "concurrency must be a whole number" })
    .min(1, { error: "concurrency must be at least 1" })
    .max(MAX_CONCURRENCY, { error: `concurrency must be at most ${MAX_CONCURRENCY}` })
    .optional(),
});

/** A bad option of {@link auditHost} (one line). */
export class HostAuditOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostAuditOptionsError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** The `HD-INPUT` finding for a listed container that could not be evaluated. */
export function unreadContainerFinding(
  read: Exclude<ContainerRead, { kind: "inspected" }>,
): Finding {
  return {
    ruleId: INPUT_PROBLEM_RULE.id,
    title: INPUT_PROBLEM_RULE.title,
    // A container that is gone has nothing left to check: informational. The others were not
    // checked although they exist: a warning, as for unreadable synthesized input.
    level: read.kind === "gone" ? "info" : INPUT_PROBLEM_RULE.level,
    status: "unknown",
    resource: read.summary.resource,
    message: `not checked: ${read.reason}`,
    remediation:
      read.kind === "gone"
        ? "Nothing to do if the removal was expected; audit again to check what runs now."
        : "Make sure the Docker Engine answers (and the container can be inspected), then audit again.",
  };
}

/** The model of one inspected container, with its process list when it was read. */
export function modelOfRead(
  read: Extract<ContainerRead, { kind: "inspected" }>,
  volumeOptions: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): ContainerModel {
  const model = modelFromInspect(read.inspect, { volumeOptions });
  const resource =
    model.resource.startsWith("container:(") || model.resource === "container:/(unnamed)"
      ? read.summary.resource
      : model.resource;
  return {
    ...model,
    resource,
    ...(read.processes !== undefined ? { processes: read.processes } : {}),
  };
}

/**
 * Audits the containers of a live engine with the rules `audit --synth` applies: one list call,
 * one inspect per container (bounded concurrency), the process lists of running containers (CIS
 * 5.7; read from /proc for a local engine, else and as fallback with `top`), the inspect adapter,
 * and `evaluate` with the same levels and label suppressions (a relaxation label with its reason
 * suppresses the rule it waives). The host's AppArmor / SELinux come from
 * the engine's `/info`.
 *
 * Throws {@link EngineUnavailableError} when the engine cannot be reached at the start. When it
 * stops answering part-way, resolves with `engineLost` set and an `HD-INPUT` finding for every
 * container not read, so no container silently drops out of the report.
 */
export async function auditHost(
  client: EngineClient,
  options: HostAuditOptions,
): Promise<HostAuditResult> {
  const checked = optionsSchema.safeParse({
    address: options.address,
    concurrency: options.concurrency,
  });
  if (!checked.success) {
    throw new HostAuditOptionsError(checked.error.issues.map((i) => i.message).join("; "));
  }
  await assertEngineAnswers(client, options.address);
  const self = await readEngineSelf(client, options.address);
  const security = hostSecurityOf(self.info);
  const summaries = await listContainerSummaries(client, {
    all: options.all ?? false,
    filters: options.filters ?? {},
    address: options.address,
  });
  options.onListed?.(summaries.length);
  const processes = options.processes ?? true;
  const hostProcesses =
    processes && options.hostProcesses !== false
      ? (options.hostProcesses ?? hostProcessReader(options.address))
      : undefined;
  const { reads, engineLost } = await readContainers(client, summaries, {
    address: options.address,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    processes,
    ...(hostProcesses !== undefined ? { hostProcesses } : {}),
    onRead: options.onRead,
  });
  const volumes = await readVolumeOptions(client);
  const models: ContainerModel[] = [];
  const unread: Finding[] = [];
  const images: { resource: string; imageId: string | undefined }[] = [];
  const logConfigs: { resource: string; logConfig: unknown }[] = [];
  for (const read of reads) {
    if (read.kind === "inspected") {
      const model = modelOfRead(read, volumes.options);
      models.push(model);
      const hostConfig = (read.inspect as { HostConfig?: { LogConfig?: unknown } } | null)
        ?.HostConfig;
      logConfigs.push({ resource: model.resource, logConfig: hostConfig?.LogConfig });
      const imageId = (read.inspect as { Image?: unknown } | null)?.Image;
      images.push({
        resource: model.resource,
        imageId: typeof imageId === "string" ? imageId : undefined,
      });
    } else unread.push(unreadContainerFinding(read));
  }
  const imageSignatures =
    options.trustedKeys !== undefined && options.trustedKeys.length > 0
      ? await lookUpImageSignatures(client, images, options.trustedKeys)
      : undefined;
  const swarm =
    options.servicesAndNetworks === false
      ? { services: [], networks: [], problems: [] }
      : await readSwarmAndNetworks(client, options.filters ?? {});
  // `--level` may name a network or daemon rule too; the container engine knows only its own.
  const networkIds = new Set(NETWORK_RULES.map((r) => r.id));
  const daemonIds = new Set(DAEMON_RULES.map((r) => r.id));
  const levelEntries = Object.entries(options.levels ?? {});
  const containerLevels = Object.fromEntries(
    levelEntries.filter(([id]) => !networkIds.has(id) && !daemonIds.has(id)),
  );
  const networkLevels = Object.fromEntries(levelEntries.filter(([id]) => networkIds.has(id)));
  const daemonLevels = Object.fromEntries(levelEntries.filter(([id]) => daemonIds.has(id)));
  const now = options.now ?? new Date();
  const daemonFindings =
    options.daemon === false
      ? []
      : evaluateDaemons(
          [
            daemonModelOf(self.info, {
              name: options.engineName ?? options.address,
              endpoint: options.endpoint ?? endpointOf(options.address),
              ...(self.swarm !== undefined ? { swarm: self.swarm } : {}),
              logConfigs,
            }),
          ],
          { levels: daemonLevels, now },
        );
  const findings = evaluate([...models, ...swarm.services], {
    rules: options.rules ?? DEFAULT_RULES,
    ...(options.levels !== undefined ? { levels: containerLevels } : {}),
    context: {
      now,
      ...(options.trustedRegistries !== undefined
        ? { trustedRegistries: options.trustedRegistries }
        : {}),
      ...(imageSignatures !== undefined ? { imageSignatures } : {}),
      ...security,
    },
  });
  const networkFindings = evaluateNetworks(swarm.networks, { levels: networkLevels });
  return {
    findings: [
      ...daemonFindings,
      ...unread,
      ...[...volumes.problems, ...swarm.problems].map((p) => inputProblemFinding(p)),
      ...findings,
      ...networkFindings,
    ],
    listed: summaries.length,
    evaluated: models.length,
    services: swarm.services.length,
    daemons: options.daemon === false ? 0 : 1,
    networks: swarm.networks.length,
    ...(engineLost !== undefined ? { engineLost } : {}),
  };
}
