import { z } from "zod";
import {
  BlockingOptions,
  countByStatus,
  Finding,
  FindingSuppression,
  unknownsLetThrough,
  WaiverEntry,
} from "../findings";
import { WAIVER_SOURCES } from "../suppressions";
import type { BaselineComparison } from "./baseline-types";
import { TOOL_NAME, toolVersion } from "./tool-info";

const levelSchema = z.enum(["error", "warning", "info"]);
const statusSchema = z.enum(["pass", "fail", "unknown", "suppressed", "not-applicable"]);

/** The comparison in the JSON report (`baseline`): counts and the findings' keys per engine. */
export const jsonBaselineSchema = z.object({
  source: z.string(),
  engines: z.array(
    z.object({
      engine: z.string(),
      new: z.number().int().nonnegative(),
      fixed: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
      unverified: z.number().int().nonnegative(),
      fixedFindings: z.array(
        z.object({ ruleId: z.string(), resource: z.string(), message: z.string() }),
      ),
    }),
  ),
});

export type JsonBaseline = z.infer<typeof jsonBaselineSchema>;

/**
 * The JSON report's contract (stable: fields are only ever added, as optional ones). Consumers
 * can validate with it: `jsonReportSchema.parse(JSON.parse(text))`.
 */
const waiverEntrySchema = z.object({
  /** Absent for a relaxation that waives no rule (listed for review). */
  ruleId: z.string().optional(),
  resource: z.string().min(1),
  constructPath: z.string().optional(),
  stack: z.string().optional(),
  reason: z.string(),
  expires: z.string().optional(),
  /** Who wrote it: construct, relaxation, label or carrier (`//`). */
  source: z.enum(WAIVER_SOURCES),
  scope: z.string(),
  covers: z.object({ kind: z.string(), values: z.array(z.string()) }).optional(),
  /** Refused: why (the team policy, its expiry). */
  why: z.string().optional(),
  /** Honoured: whether it suppressed a failing finding. */
  used: z.boolean(),
});

export const jsonReportSchema = z.object({
  tool: z.literal(TOOL_NAME),
  /** The library's semver. */
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/),
  /** The waivers met, first: those honoured and those refused (with why). */
  waivers: z
    .object({ honoured: z.array(waiverEntrySchema), refused: z.array(waiverEntrySchema) })
    .optional(),
  findings: z.array(
    z.object({
      ruleId: z.string().min(1),
      level: levelSchema,
      status: statusSchema,
      /** `docker_container.<name>` or `container:/<name>`. */
      resource: z.string().min(1),
      message: z.string(),
      remediation: z.string(),
      title: z.string().optional(),
      constructPath: z.string().optional(),
      /** With `--baseline`: whether this problem is new since the previous report or was there. */
      change: z.enum(["new", "unchanged"]).optional(),
      /** The Docker Engine the resource lives on (`audit --host`). */
      engine: z.string().optional(),
      stack: z.string().optional(),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      suppression: z
        .object({
          reason: z.string().min(1),
          expires: z.string().optional(),
          source: z.enum(WAIVER_SOURCES).optional(),
          scope: z.string().optional(),
          /** The values the exception names, which are all it waives; absent: the whole rule. */
          covers: z.object({ kind: z.string(), values: z.array(z.string()) }).optional(),
        })
        .optional(),
    }),
  ),
  /** With `--baseline`: what changed since the previous report, per engine. */
  baseline: jsonBaselineSchema.optional(),
  /** Present when this run's verdict cannot be trusted as a gate, saying why. */
  gateBypassed: z.string().min(1).optional(),
  /** Present when unknowns that would block were let through (`allowUnknown`): how many. */
  unknownsLetThrough: z.number().int().positive().optional(),
  summary: z
    .object({
      pass: z.number().int().nonnegative(),
      fail: z.number().int().nonnegative(),
      unknown: z.number().int().nonnegative(),
      suppressed: z.number().int().nonnegative(),
      "not-applicable": z.number().int().nonnegative(),
    })
    .optional(),
});

export type JsonReport = z.infer<typeof jsonReportSchema>;
type JsonFinding = JsonReport["findings"][number];

/** The JSON form of a comparison; each current finding carries its own `change`. */
export function jsonBaseline(comparison: BaselineComparison): JsonBaseline {
  return {
    source: comparison.source,
    engines: comparison.engines.map((e) => ({
      engine: e.engine,
      new: e.new.length,
      fixed: e.fixed.length,
      unchanged: e.unchanged.length,
      unverified: e.unverified.length,
      fixedFindings: e.fixed.map((f) => ({
        ruleId: f.ruleId,
        resource: f.resource,
        message: f.message,
      })),
    })),
  };
}

/** Options of the JSON report. */
export type JsonReportOptions = WaiverReportOptions & {
  /** The comparison with a previous report (`--baseline`). */
  readonly baseline?: BaselineComparison;
} & BlockingOptions;

/** Builds the JSON report object (see {@link jsonReportSchema} for the contract). */
export function buildJsonReport(
  findings: readonly Finding[],
  options: JsonReportOptions = {},
): JsonReport {
  const changes = options.baseline?.changes;
  const letThrough = unknownsLetThrough(findings, options).length;
  const waivers = options.waivers ?? [];
  return {
    tool: TOOL_NAME,
    version: toolVersion(),
    waivers: {
      honoured: waivers.filter((w) => w.status === "honoured").map(jsonWaiver),
      refused: waivers.filter((w) => w.status === "refused").map(jsonWaiver),
    },
    ...(options.gateBypassed !== undefined ? { gateBypassed: options.gateBypassed } : {}),
    ...(letThrough > 0 ? { unknownsLetThrough: letThrough } : {}),
    ...(options.baseline !== undefined ? { baseline: jsonBaseline(options.baseline) } : {}),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      status: f.status,
      resource: f.resource,
      message: f.message,
      remediation: f.remediation,
      title: f.title,
      ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
      ...(changes?.has(f) === true ? { change: changes.get(f) } : {}),
      ...(f.engine !== undefined ? { engine: f.engine } : {}),
      ...(f.stack !== undefined ? { stack: f.stack } : {}),
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.suppression !== undefined ? { suppression: jsonSuppression(f.suppression) } : {}),
    })),
    summary: countByStatus(findings),
  };
}

function jsonSuppression(s: FindingSuppression): NonNullable<JsonFinding["suppression"]> {
  const { covers, ...rest } = s;
  return {
    ...rest,
    ...(covers !== undefined ? { covers: { kind: covers.kind, values: [...covers.values] } } : {}),
  };
}

function jsonWaiver(w: WaiverEntry): z.infer<typeof waiverEntrySchema> {
  const { covers, ...rest } = w;
  return {
    ruleId: rest.ruleId,
    resource: rest.resource,
    ...(rest.constructPath !== undefined ? { constructPath: rest.constructPath } : {}),
    ...(rest.stack !== undefined ? { stack: rest.stack } : {}),
    reason: rest.reason,
    ...(rest.expires !== undefined ? { expires: rest.expires } : {}),
    source: rest.source,
    scope: rest.scope,
    ...(rest.why !== undefined ? { why: rest.why } : {}),
    used: rest.used,
    ...(covers !== undefined ? { covers: { kind: covers.kind, values: [...covers.values] } } : {}),
  };
}

/** Report options shared by every format: the gate's state and the waivers met. */
export interface WaiverReportOptions {
  /** Why this run's verdict cannot be trusted as a gate. */
  readonly gateBypassed?: string;
  /**
   * The waivers the engine met (`evaluatePolicy(...).waivers`), listed first in every report.
   * @default - none listed
   */
  readonly waivers?: readonly WaiverEntry[];
}

/** The JSON report as text (two-space indented, trailing newline). */
export function renderJsonReport(
  findings: readonly Finding[],
  options: JsonReportOptions = {},
): string {
  return `${JSON.stringify(buildJsonReport(findings, options), null, 2)}\n`;
}
