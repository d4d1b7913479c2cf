import {
  blockingFindings,
  BlockingOptions,
  countByStatus,
  describeWaiver,
  Finding,
  letThroughNotice,
  resourceOnEngine,
} from "../findings";
import { WaiverReportOptions } from "./json";
import { TOOL_NAME, toolVersion } from "./tool-info";
import { waiverLines } from "./waiver-lines";

/** Options of {@link renderTextReport}. */
export interface TextReportOptions extends BlockingOptions, WaiverReportOptions {
  /**
   * ANSI colours on the markers, as docker-bench-security prints them.
   * @default false — plain text is what logs, files and CI artifacts read correctly.
   */
  readonly color?: boolean;
}

type Marker = "PASS" | "WARN" | "INFO" | "NOTE";

const COLOURS: Record<Marker, string> = {
  PASS: "\u001b[1;32m",
  WARN: "\u001b[1;31m",
  INFO: "\u001b[1;34m",
  NOTE: "\u001b[1;33m",
};
const RESET = "\u001b[0m";

/**
 * A report in the style of docker-bench-security: one line per rule, `[PASS] 5.5  - Ensure that
 * privileged containers are not used`, followed for a rule that does not pass everywhere by
 * indented `     * <resource>: <message>` lines. Markers: `[WARN]` an error- or warning-level
 * failure, `[INFO]` an info-level failure, an unknown or a suppressed result (the line says
 * which, and gives the suppression's reason), `[NOTE]` a rule that applies to no container,
 * `[PASS]` passes everywhere. Ends with a summary, how many of the applicable checks pass, and
 * the result.
 */
export function renderTextReport(
  findings: readonly Finding[],
  options: TextReportOptions = {},
): string {
  const paint = (marker: Marker): string =>
    options.color === true ? `${COLOURS[marker]}[${marker}]${RESET}` : `[${marker}]`;
  const lines: string[] = [
    ...(options.gateBypassed !== undefined ? [`WARNING: ${options.gateBypassed}`] : []),
    `# ${TOOL_NAME} ${toolVersion()}: container checks (CIS Docker Benchmark)`,
    ...waiverLines(options.waivers ?? []),
    "## Checks",
  ];
  const resources = new Set(
    findings.map((f) => `${f.stack ?? ""}\u0000${f.engine ?? ""}\u0000${f.resource}`),
  );
  const engines = new Set(findings.map((f) => f.engine).filter((e) => e !== undefined));
  const stacks = new Set(findings.map((f) => f.stack).filter((s) => s !== undefined));

  if (findings.length === 0) {
    lines.push(`${paint("INFO")} No containers found: nothing was checked`);
  }
  for (const [ruleId, group] of groupByRule(findings)) {
    const first = group[0] as Finding;
    lines.push(`${paint(markerOf(group))} ${displayId(ruleId)} - ${first.title}`);
    for (const f of group) {
      if (f.status === "pass") continue;
      if (f.status === "not-applicable" && group.every((g) => g.status === "not-applicable")) {
        continue;
      }
      lines.push(`     * ${where(f, stacks.size > 1, engines.size > 1)}: ${detail(f)}`);
    }
  }

  const counts = countByStatus(findings);
  const blocking = blockingFindings(findings, options);
  lines.push("");
  const kinds = { container: 0, service: 0, network: 0, engine: 0 };
  for (const key of resources) {
    const resource = key.slice(key.lastIndexOf("\u0000") + 1);
    if (resource.startsWith("engine:")) kinds.engine++;
    else if (resource.startsWith("docker_service.") || resource.startsWith("service:"))
      kinds.service++;
    else if (resource.startsWith("docker_network.") || resource.startsWith("network:")) {
      kinds.network++;
    } else kinds.container++;
  }
  const counted = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const parts = [
    counted(kinds.container, "container"),
    ...(kinds.service > 0 ? [counted(kinds.service, "service")] : []),
    ...(kinds.network > 0 ? [counted(kinds.network, "network")] : []),
    ...(kinds.engine > 0 ? [counted(kinds.engine, "engine")] : []),
  ];
  const checked =
    parts.length === 1
      ? parts[0]
      : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  lines.push(
    `${paint("INFO")} Checks: ${groupByRule(findings).size} rules on ${checked}: ` +
      `${counts.pass} pass, ${counts.fail} fail, ` +
      `${counts.unknown} unknown, ${counts.suppressed} suppressed, ` +
      `${counts["not-applicable"]} not applicable`,
  );
  // Not "passes minus failures", which means nothing to a reader: how many of the checks that
  // apply pass (suppressed and unknown ones apply and do not pass).
  const applicable = counts.pass + counts.fail + counts.unknown + counts.suppressed;
  lines.push(`${paint("INFO")} ${counts.pass} of ${applicable} applicable checks pass`);
  lines.push(
    blocking.length === 0
      ? `${paint("PASS")} Result: no blocking findings (at level ${options.failOn ?? "error"} or above)`
      : `${paint("WARN")} Result: ${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} ` +
          `(at level ${options.failOn ?? "error"} or above)`,
  );
  const letThrough = letThroughNotice(findings, options);
  if (letThrough !== undefined) lines.push(`${paint("WARN")} ${letThrough}`);
  return `${lines.join("\n")}\n`;
}

function groupByRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.ruleId);
    if (group) group.push(f);
    else groups.set(f.ruleId, [f]);
  }
  return groups;
}

function markerOf(group: readonly Finding[]): Marker {
  const failures = group.filter((f) => f.status === "fail");
  if (failures.some((f) => f.level !== "info")) return "WARN";
  if (failures.length > 0) return "INFO";
  if (group.some((f) => f.status === "unknown" || f.status === "suppressed")) return "INFO";
  if (group.every((f) => f.status === "not-applicable")) return "NOTE";
  return "PASS";
}

/** `CIS-5.5` prints as `5.5 ` (as docker-bench numbers its checks); other IDs as they are. */
function displayId(ruleId: string): string {
  const cis = /^CIS-(.+)$/.exec(ruleId);
  return (cis ? (cis[1] as string) : ruleId).padEnd(4);
}

function where(f: Finding, showStack: boolean, showEngine: boolean): string {
  const context = f.constructPath ?? (showStack && f.stack !== undefined ? `stack ${f.stack}` : "");
  const resource = showEngine ? resourceOnEngine(f) : f.resource;
  return context === "" ? resource : `${resource} (${context})`;
}

function detail(f: Finding): string {
  switch (f.status) {
    case "fail":
      return f.message;
    case "unknown":
      return `unknown: ${f.message}`;
    case "not-applicable":
      return `not applicable: ${f.message}`;
    case "suppressed": {
      const s = f.suppression;
      const until = s?.expires !== undefined ? `, until ${s.expires}` : "";
      const by = s !== undefined ? `; waived by ${describeWaiver(s)}` : "";
      return `suppressed (${f.message}); reason: ${s?.reason ?? "(none)"}${until}${by}`;
    }
    default:
      return f.message;
  }
}
