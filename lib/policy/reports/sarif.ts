import { isAbsolute, relative, sep } from "path";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { ENGINE_RULES, RuleMetadata } from "../engine";
import {
  BlockingOptions,
  describeWaiver,
  Finding,
  engineBesideResource,
  letThroughNotice,
  resourceOnEngine,
} from "../findings";
import { Level } from "../rule";
import { WaiverReportOptions } from "./json";
import { TOOL_NAME, toolVersion } from "./tool-info";
import { waiverLine } from "./waiver-lines";

/** The SARIF 2.1.0 JSON schema the report declares. */
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Options of {@link buildSarifReport}. */
export interface SarifReportOptions extends BlockingOptions, WaiverReportOptions {
  /**
   * Metadata of the rules that ran (for `tool.driver.rules`: title, rationale, remediation).
   * Rules seen in findings but missing here are described from the findings.
   * @default [] plus the engine's own rules
   */
  readonly rules?: readonly RuleMetadata[];
  /**
   * The directory artifact URIs are made relative to (for code scanning, the repository root).
   * @default process.cwd()
   */
  readonly baseDir?: string;
}

const SARIF_LEVEL: Record<Level, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/**
 * A SARIF 2.1.0 log with one run. Results are emitted for:
 * - `fail`: kind `fail`, level from the finding (error/warning; info becomes `note`);
 * - `suppressed`: the same, plus `suppressions: [{ kind: "inSource", status: "accepted",
 *   justification: <reason> }]`, so viewers show the exception and why;
 * - `unknown`: kind `open` with level `none`, as SARIF §3.27.9/§3.27.10 require for "the tool
 *   could not determine whether the problem is present" (a value known only at apply time, or a
 *   rule that could not run). The message starts with `Could not be determined:`.
 * Passes and not-applicable results are left out. Each result has a logical location (the
 * resource, with the construct path as fully qualified name) and, when the synthesized file is
 * known, a physical location pointing at it.
 */
export function buildSarifReport(
  findings: readonly Finding[],
  options: SarifReportOptions = {},
): Log {
  const baseDir = options.baseDir ?? process.cwd();
  const metadata = new Map<string, RuleMetadata>();
  for (const rule of [...ENGINE_RULES, ...(options.rules ?? [])]) metadata.set(rule.id, rule);

  const descriptors: ReportingDescriptor[] = [];
  const indexOf = new Map<string, number>();
  const describe = (f: Finding): number => {
    const known = indexOf.get(f.ruleId);
    if (known !== undefined) return known;
    const rule = metadata.get(f.ruleId);
    descriptors.push({
      id: f.ruleId,
      shortDescription: { text: rule?.title ?? f.title },
      fullDescription: { text: rule?.rationale ?? rule?.title ?? f.title },
      help: { text: rule?.remediation ?? f.remediation },
      defaultConfiguration: { level: SARIF_LEVEL[f.level] },
      properties: { tags: ["security", f.ruleId.startsWith("CIS-") ? "CIS" : "hardened-docker"] },
    });
    indexOf.set(f.ruleId, descriptors.length - 1);
    return descriptors.length - 1;
  };
  // Every rule that ran is listed, in order of first appearance, even when all of it passed.
  for (const f of findings) describe(f);

  const results: Result[] = [];
  for (const f of findings) {
    if (f.status !== "fail" && f.status !== "suppressed" && f.status !== "unknown") continue;
    const result: Result = {
      ruleId: f.ruleId,
      ruleIndex: describe(f),
      kind: f.status === "unknown" ? "open" : "fail",
      level: f.status === "unknown" ? "none" : SARIF_LEVEL[f.level],
      message: {
        text: `${f.status === "unknown" ? "Could not be determined: " : ""}${resourceOnEngine(f)}: ${f.message}. Remediation: ${f.remediation}`,
      },
      locations: [
        {
          logicalLocations: [
            {
              name: f.resource,
              fullyQualifiedName: f.constructPath ?? resourceOnEngine(f),
              kind: "resource",
            },
          ],
          ...(f.file !== undefined
            ? {
                physicalLocation: {
                  artifactLocation: { uri: toUri(f.file, baseDir) },
                  ...(f.line !== undefined ? { region: { startLine: f.line } } : {}),
                },
              }
            : {}),
        },
      ],
      partialFingerprints: {
        // The engine is part of what a live finding is: `container:/web` on two engines is two
        // findings, and a code-scanning tool that merged them would close one when the other is
        // fixed. Appended only when there is one and the resource is not the engine itself
        // (`engine:<name>` names it already), so every other finding keeps its fingerprint.
        "hardenedDockerFinding/v1": [f.ruleId, f.stack ?? "", f.resource, engineBesideResource(f)]
          .filter((part) => part !== undefined)
          .join("|"),
      },
      ...(f.engine !== undefined ? { properties: { engine: f.engine } } : {}),
    };
    if (f.status === "suppressed" && f.suppression) {
      result.suppressions = [
        {
          kind: "inSource",
          status: "accepted",
          justification: f.suppression.reason,
          properties: {
            waivedBy: describeWaiver(f.suppression),
            source: f.suppression.source,
            scope: f.suppression.scope,
            ...(f.suppression.covers !== undefined ? { covers: f.suppression.covers } : {}),
          },
        },
      ];
    }
    results.push(result);
  }

  const letThrough = letThroughNotice(findings, options);
  const waivers = options.waivers ?? [];
  // The waivers first: each honoured one as a note, each refused one as a warning saying why.
  const notifications = [
    ...waivers.map((w) =>
      w.status === "honoured"
        ? { level: "note" as const, message: { text: `waiver honoured: ${waiverLine(w)}` } }
        : {
            level: "warning" as const,
            message: { text: `waiver refused: ${waiverLine(w)}; ${w.why ?? ""}` },
          },
    ),
    ...(options.gateBypassed !== undefined
      ? [{ level: "error" as const, message: { text: options.gateBypassed } }]
      : []),
    ...(letThrough !== undefined
      ? [{ level: "warning" as const, message: { text: letThrough } }]
      : []),
  ];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            semanticVersion: toolVersion(),
            rules: descriptors,
          },
        },
        properties: {
          waivers: {
            honoured: waivers.filter((w) => w.status === "honoured"),
            refused: waivers.filter((w) => w.status === "refused"),
          },
        },
        results,
        columnKind: "utf16CodeUnits",
        ...(notifications.length > 0
          ? {
              invocations: [
                {
                  executionSuccessful: options.gateBypassed === undefined,
                  toolExecutionNotifications: notifications,
                },
              ],
            }
          : {}),
      },
    ],
  };
}

/** The SARIF log as text (two-space indented, trailing newline). */
export function renderSarifReport(
  findings: readonly Finding[],
  options: SarifReportOptions = {},
): string {
  return `${JSON.stringify(buildSarifReport(findings, options), null, 2)}\n`;
}

/** A relative, forward-slash URI when the file is under `baseDir`; a file: URI otherwise. */
function toUri(file: string, baseDir: string): string {
  const absolute = isAbsolute(file) ? file : `${baseDir}${sep}${file}`;
  const rel = relative(baseDir, absolute);
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) {
    return rel.split(sep).map(encodeURIComponent).join("/");
  }
  return `file://${absolute.split(sep).map(encodeURIComponent).join("/")}`;
}

/**
 * The SARIF log of an audit that could not run (exit 2: unreadable input, bad usage): one run, no
 * results, its invocation unsuccessful with `reason` as an error notification. A CI job that
 * uploads the file then shows why the gate did not judge anything, instead of meeting an empty
 * or missing file.
 */
export function renderSarifToolFailure(reason: string): string {
  const log: Log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            semanticVersion: toolVersion(),
            rules: [],
          },
        },
        results: [],
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: false,
            exitCode: 2,
            toolExecutionNotifications: [{ level: "error", message: { text: reason } }],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
