import { createHash } from "node:crypto";
import { z } from "zod";
import { AuditLabel } from "../policy/facts/labels";
import { isRelaxationLabel } from "../policy/waiver-codec";
import { modelsFromTerraformJson } from "../synth/terraform-json";
import { ContainerModel } from "../policy/model";
import { TOOL_NAME, toolVersion } from "../policy/reports/tool-info";
import { isUnknown } from "../policy/unknown";
import { ContainerFilters } from "./container-filters";
import { ContainerSummary } from "./container-summary";
import { assertEngineAnswers, EngineClient } from "./engine-client";
import { EngineUnavailableError } from "./engine-errors";
import { modelOfRead } from "./host-audit";
import { cleanText } from "./label-values";
import { DEFAULT_CONCURRENCY, listContainerSummaries, readContainers } from "./read-containers";

/**
 * Drift: each `docker_container` of a synthesized stack against the live container of the same
 * name, field by field on the security-relevant settings, through the same normalized model the
 * rules read (so units and defaults agree: the Terraform adapter applies the provider's, the
 * inspect adapter reads the engine's). The image is not compared: the provider creates the
 * container from the image ID of a `docker_image` resource, which synthesized JSON does not hold
 * (the audit's CIS 4.5 judges the pinning on both sides).
 */

/** One compared setting: the model field and how a report names it. */
interface DriftField {
  readonly key: keyof ContainerModel;
  readonly name: string;
  /** Compared only when the synthesized side sets it (e.g. a health check the image may add). */
  readonly onlyWhenSynthesized?: boolean;
}

/** The settings compared, in report order. */
export const DRIFT_FIELDS: readonly DriftField[] = [
  { key: "privileged", name: "privileged" },
  { key: "user", name: "user" },
  { key: "capAdd", name: "capabilities.add" },
  { key: "capDrop", name: "capabilities.drop" },
  { key: "securityOpt", name: "security_opts" },
  { key: "readOnlyRootfs", name: "read_only" },
  { key: "mounts", name: "mounts" },
  { key: "ports", name: "ports" },
  { key: "networkMode", name: "network_mode" },
  { key: "networks", name: "networks" },
  { key: "pidMode", name: "pid_mode" },
  { key: "ipcMode", name: "ipc_mode" },
  { key: "utsMode", name: "uts_mode" },
  { key: "usernsMode", name: "userns_mode" },
  { key: "cgroupParent", name: "cgroup_parent" },
  { key: "devices", name: "devices" },
  { key: "memoryBytes", name: "memory (bytes)" },
  { key: "memorySwapBytes", name: "memory_swap (bytes)" },
  { key: "cpuShares", name: "cpu_shares" },
  { key: "nanoCpus", name: "nano_cpus" },
  { key: "cpuQuota", name: "cpu_quota" },
  { key: "cpuPeriod", name: "cpu_period" },
  { key: "pidsLimit", name: "pids_limit" },
  { key: "ulimits", name: "ulimit" },
  { key: "restartPolicy", name: "restart" },
  { key: "logConfig", name: "log_driver/log_opts" },
  { key: "init", name: "init" },
  { key: "healthcheck", name: "healthcheck", onlyWhenSynthesized: true },
];

/** Label keys that mark a container as ours (written by HardenedContainer). */
const OUR_LABEL_KEYS: ReadonlySet<string> = new Set(Object.values(AuditLabel));

const differenceSchema = z.object({
  /** The setting, named as the `docker_container` attribute. */
  field: z.string(),
  /** The synthesized value, described. */
  synthesized: z.string(),
  /** The live value, described. */
  live: z.string(),
});

const unverifiableSchema = z.object({ field: z.string(), reason: z.string() });

/** One line of the drift report (the JSON contract; fields are only ever added). */
export const driftEntrySchema = z.object({
  /**
   * `in-sync`: every compared setting matches. `drifted`: at least one differs. `missing`: no
   * live container of that name. `unmanaged`: a live container carrying our labels that no
   * synthesized stack declares. `unresolved`: the synthesized name is only known at apply time.
   * `unverified`: the live container could not be inspected.
   */
  status: z.enum(["in-sync", "drifted", "missing", "unmanaged", "unresolved", "unverified"]),
  /** `docker_container.<name>` (absent for unmanaged containers). */
  resource: z.string().optional(),
  stack: z.string().optional(),
  /** `container:/<name>` when a name is known. */
  container: z.string().optional(),
  /** Live state (`running`, `exited`, ...). */
  state: z.string().optional(),
  differences: z.array(differenceSchema),
  /** Settings that could not be compared (a value only known at apply time, an unreadable one). */
  unverifiable: z.array(unverifiableSchema),
  /** One sentence for missing, unmanaged, unresolved and unverified entries. */
  message: z.string().optional(),
});

export type DriftEntry = z.infer<typeof driftEntrySchema>;
export type DriftDifference = z.infer<typeof differenceSchema>;

/** The drift report's contract: `driftReportSchema.parse(JSON.parse(text))`. */
export const driftReportSchema = z.object({
  tool: z.literal(TOOL_NAME),
  version: z.string(),
  entries: z.array(driftEntrySchema),
  summary: z.object({
    inSync: z.number().int().nonnegative(),
    drifted: z.number().int().nonnegative(),
    missing: z.number().int().nonnegative(),
    unmanaged: z.number().int().nonnegative(),
    unresolved: z.number().int().nonnegative(),
    unverified: z.number().int().nonnegative(),
  }),
});

export type DriftReport = z.infer<typeof driftReportSchema>;

/** One synthesized stack, as `loadSynthesizedStacks` returns it. */
export interface DriftStackInput {
  readonly name: string;
  readonly json: unknown;
}

/** Options of {@link detectDrift}. */
export interface DriftOptions {
  readonly address: string;
  /** Limits which live containers are considered (missing and unmanaged included). */
  readonly filters?: ContainerFilters;
  /** @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
}

/** The report, and why it is incomplete when the engine stopped answering. */
export interface DriftResult {
  readonly report: DriftReport;
  readonly engineLost?: EngineUnavailableError;
}

const LONG_TEXT = 64;

function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** Compact text for a value: long strings (a seccomp profile) as their length and hash. */
export function describeDriftValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  const shrink = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (v.length <= LONG_TEXT) return cleanText(v, LONG_TEXT).text;
      const eq = v.indexOf("=");
      const head = eq > 0 && eq < 32 ? v.slice(0, eq + 1) : "";
      return `${cleanText(head, 32).text}<${v.length} chars, sha256 ${digestOf(v)}>`;
    }
    if (Array.isArray(v)) return v.map(shrink);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shrink(x)]));
    }
    return v;
  };
  const text = JSON.stringify(shrink(value)) ?? String(value);
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function listDifference(synth: readonly unknown[], live: readonly unknown[]): string | undefined {
  if (!synth.every((v) => typeof v === "string") || !live.every((v) => typeof v === "string")) {
    return undefined;
  }
  const s = new Set(synth as string[]);
  const l = new Set(live as string[]);
  const onlySynth = [...s].filter((v) => !l.has(v));
  const onlyLive = [...l].filter((v) => !s.has(v));
  const parts: string[] = [];
  if (onlySynth.length > 0) parts.push(`missing on the host: ${describeDriftValue(onlySynth)}`);
  if (onlyLive.length > 0) parts.push(`added on the host: ${describeDriftValue(onlyLive)}`);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/**
 * Compares a synthesized container's model with the live one's, field by field. Labels: each
 * synthesized label must be on the live container with the same value, and a relaxation label
 * added on the host (an exception nobody reviewed in code) is a difference; other extra labels
 * (the image's, a deployment tool's) are not. `deployed-by` must be there, with any value: it
 * names who created the container, which a later deploy by someone else does not change.
 */
export function compareModels(
  synthesized: ContainerModel,
  live: ContainerModel,
): { differences: DriftDifference[]; unverifiable: { field: string; reason: string }[] } {
  const differences: DriftDifference[] = [];
  const unverifiable: { field: string; reason: string }[] = [];
  for (const { key, name, onlyWhenSynthesized } of DRIFT_FIELDS) {
    const want = synthesized[key];
    const have = live[key];
    if (isUnknown(want)) {
      unverifiable.push({ field: name, reason: `synthesized: ${want.explanation}` });
      continue;
    }
    if (isUnknown(have)) {
      unverifiable.push({ field: name, reason: `live: ${have.explanation}` });
      continue;
    }
    if (onlyWhenSynthesized === true && want === undefined) continue;
    if (canonical(want) === canonical(have)) continue;
    const sets =
      Array.isArray(want) && Array.isArray(have) ? listDifference(want, have) : undefined;
    differences.push({
      field: name,
      synthesized: describeDriftValue(want),
      live: sets ?? describeDriftValue(have),
    });
  }
  const wantLabels = synthesized.labels;
  const haveLabels = live.labels;
  if (isUnknown(wantLabels)) {
    unverifiable.push({ field: "labels", reason: `synthesized: ${wantLabels.explanation}` });
  } else if (isUnknown(haveLabels)) {
    unverifiable.push({ field: "labels", reason: `live: ${haveLabels.explanation}` });
  } else {
    for (const [key, value] of Object.entries(wantLabels)) {
      const actual = haveLabels[key];
      if (actual === value) continue;
      // Names who created the live container: a later deploy by someone else leaves it in place
      // (lib/audit/label-lifecycle.ts), so only its absence is drift.
      if (key === AuditLabel.deployedBy && actual !== undefined && actual.trim() !== "") continue;
      differences.push({
        field: `labels[${cleanText(key, 120).text}]`,
        synthesized: describeDriftValue(value),
        live: describeDriftValue(actual),
      });
    }
    for (const [key, value] of Object.entries(haveLabels)) {
      if (!isRelaxationLabel(key) || key in wantLabels) continue;
      differences.push({
        field: `labels[${cleanText(key, 120).text}]`,
        synthesized: describeDriftValue(undefined),
        live: describeDriftValue(value),
      });
    }
  }
  return { differences, unverifiable };
}

/** Whether a live container carries labels our constructs write (and so claims to be managed). */
export function carriesOurLabels(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels)
    .filter((k) => OUR_LABEL_KEYS.has(k) || isRelaxationLabel(k))
    .sort();
}

/** The label Swarm puts on a task's container: the name of its service. */
const SWARM_SERVICE_NAME_LABEL = "com.docker.swarm.service.name";

interface Expected {
  readonly stack: string;
  readonly model: ContainerModel;
  readonly name?: string;
}

/**
 * Compares every `docker_container` of `stacks` with the live container of the same name and
 * reports differences, containers missing on the host, and live containers that carry our labels
 * but are declared by none of the stacks. Throws {@link EngineUnavailableError} when the engine
 * cannot be reached; resolves with `engineLost` when it stops answering part-way (the containers
 * not read are `unverified`).
 */
export async function detectDrift(
  client: EngineClient,
  stacks: readonly DriftStackInput[],
  options: DriftOptions,
): Promise<DriftResult> {
  const entries: DriftEntry[] = [];
  const expected: Expected[] = [];
  const services = new Set<string>();
  for (const stack of stacks) {
    const read = modelsFromTerraformJson(stack.json);
    for (const problem of [...read.unread, ...read.problems]) {
      entries.push({
        status: "unresolved",
        stack: stack.name,
        ...(/docker_container\.[A-Za-z0-9_-]+/.exec(problem)
          ? { resource: /docker_container\.[A-Za-z0-9_-]+/.exec(problem)?.[0] }
          : {}),
        differences: [],
        unverifiable: [],
        message: problem,
      });
    }
    // Drift compares containers; Swarm services are not containers of this host, but their task
    // containers carry the service's labels and must not be reported as unmanaged.
    for (const model of read.models.filter((m) => m.kind === "service")) {
      if (!isUnknown(model.name) && model.name !== undefined) services.add(model.name);
    }
    for (const model of read.models.filter((m) => m.kind === "container")) {
      if (isUnknown(model.name)) {
        entries.push({
          status: "unresolved",
          stack: stack.name,
          resource: model.resource,
          differences: [],
          unverifiable: [],
          message: `the container name is not known before apply (${model.name.explanation}): cannot find it on the host`,
        });
        continue;
      }
      expected.push({ stack: stack.name, model, name: model.name });
    }
  }

  await assertEngineAnswers(client, options.address);
  const summaries = await listContainerSummaries(client, {
    all: true,
    filters: options.filters ?? {},
    address: options.address,
  });
  const byName = new Map<string, ContainerSummary>(summaries.map((s) => [s.name, s]));
  const wanted = new Set(expected.map((e) => e.name as string));
  const toRead = summaries.filter((s) => wanted.has(s.name));
  const { reads, engineLost } = await readContainers(client, toRead, {
    address: options.address,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    processes: false,
  });
  const readByName = new Map(reads.map((r) => [r.summary.name, r]));

  for (const { stack, model, name } of expected) {
    const base = { stack, resource: model.resource, container: `container:/${name}` };
    const summary = byName.get(name as string);
    const read = readByName.get(name as string);
    if (summary === undefined || read === undefined || read.kind === "gone") {
      entries.push({
        ...base,
        status: "missing",
        differences: [],
        unverifiable: [],
        message:
          read?.kind === "gone"
            ? `container ${name} was removed while drift was checked (${read.reason})`
            : `no container named ${name} on the host${
                Object.keys(options.filters ?? {}).length > 0 ? " (among the filtered ones)" : ""
              }`,
      });
      continue;
    }
    if (read.kind !== "inspected") {
      entries.push({
        ...base,
        status: "unverified",
        state: summary.state,
        differences: [],
        unverifiable: [],
        message: read.reason,
      });
      continue;
    }
    const { differences, unverifiable } = compareModels(model, modelOfRead(read));
    entries.push({
      ...base,
      status: differences.length > 0 ? "drifted" : "in-sync",
      state: summary.state,
      differences,
      unverifiable,
    });
  }

  for (const summary of summaries) {
    if (wanted.has(summary.name)) continue;
    // A task of a service the stacks declare (seen deploying the Swarm template with Terraform:
    // its two task containers were reported unmanaged).
    if (services.has(summary.labels[SWARM_SERVICE_NAME_LABEL] ?? "")) continue;
    const ours = carriesOurLabels(summary.labels);
    if (ours.length === 0) continue;
    entries.push({
      status: "unmanaged",
      container: summary.resource,
      state: summary.state,
      differences: [],
      unverifiable: [],
      message: `carries ${ours.map((k) => cleanText(k, 80).text).join(", ")} but no synthesized stack declares a container named ${cleanText(summary.name, 80).text}`,
    });
  }

  const count = (status: DriftEntry["status"]) => entries.filter((e) => e.status === status).length;
  return {
    report: {
      tool: TOOL_NAME,
      version: toolVersion(),
      entries,
      summary: {
        inSync: count("in-sync"),
        drifted: count("drifted"),
        missing: count("missing"),
        unmanaged: count("unmanaged"),
        unresolved: count("unresolved"),
        unverified: count("unverified"),
      },
    },
    ...(engineLost !== undefined ? { engineLost } : {}),
  };
}

/** True when the report shows any drift: anything but in-sync entries. */
export function hasDrift(report: DriftReport): boolean {
  return report.entries.some((e) => e.status !== "in-sync");
}

const MARKERS: Readonly<Record<DriftEntry["status"], string>> = {
  "in-sync": "[OK]",
  drifted: "[DRIFT]",
  missing: "[MISSING]",
  unmanaged: "[UNMANAGED]",
  unresolved: "[UNRESOLVED]",
  unverified: "[UNVERIFIED]",
};

/** The drift report as text: one line per container, indented lines per difference, a summary. */
export function renderDriftText(report: DriftReport): string {
  const lines: string[] = [`# ${TOOL_NAME} ${toolVersion()}: drift between synthesized and live`];
  for (const e of report.entries) {
    const what = [e.resource, e.container].filter((x) => x !== undefined).join(" -> ");
    const stack = e.stack !== undefined ? ` (stack ${e.stack})` : "";
    const state = e.state !== undefined && e.state !== "running" ? ` [${e.state}]` : "";
    lines.push(`${MARKERS[e.status].padEnd(12)} ${what}${stack}${state}`);
    if (e.message !== undefined) lines.push(`     ${e.message}`);
    for (const d of e.differences) {
      lines.push(`     * ${d.field}: synthesized ${d.synthesized}, live ${d.live}`);
    }
    for (const u of e.unverifiable) lines.push(`     ? ${u.field}: not compared (${u.reason})`);
  }
  const s = report.summary;
  lines.push("");
  lines.push(
    `Summary: ${s.inSync} in sync, ${s.drifted} drifted, ${s.missing} missing, ` +
      `${s.unmanaged} unmanaged, ${s.unresolved} unresolved, ${s.unverified} unverified`,
  );
  lines.push(hasDrift(report) ? "Result: drift found" : "Result: no drift");
  return `${lines.join("\n")}\n`;
}
