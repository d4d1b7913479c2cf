import { createHash } from "node:crypto";
import {
  blockingFindings,
  BlockingOptions,
  countByStatus,
  describeWaiver,
  engineBesideResource,
  Finding,
} from "../findings";
import { Status } from "../rule";
import type { BaselineComparison } from "./baseline-types";
import { TOOL_NAME, toolVersion } from "./tool-info";

/**
 * The HTML report (`--format html`): one self-contained file people read, on a phone or on
 * paper. A summary per engine, each engine's daemon findings, a containers x rules matrix whose
 * failing cells are explained below it, the waivers with their reasons and the changes since
 * a baseline.
 *
 * Everything an engine reports (container names, labels, images, messages quoting them) is
 * written by whoever ran a container there: every text goes through {@link escapeHtml}, the
 * page has no script at all, and its Content-Security-Policy forbids scripts (inline and
 * remote), remote styles, images, fonts, frames and forms. The one style block is allowed by
 * its hash, so nothing injected can add another.
 */

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 72rem; padding: 0.75rem; line-height: 1.4; color: #1a1a1a; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; max-width: 100%; }
.matrix th.rule { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.matrix td { text-align: center; min-width: 1.4rem; }
.pass { background: #d9f2d9; } .fail { background: #f7c6c6; font-weight: bold; }
.unknown { background: #fde9b6; } .suppressed { background: #dfe3f7; } .not-applicable { color: #888; }
.new { background: #f7c6c6; } .fixed { background: #d9f2d9; }
.verdict { font-size: 1.1rem; font-weight: bold; padding: 0.5rem; border: 2px solid; }
.verdict.blocked { border-color: #b00020; color: #b00020; } .verdict.clear { border-color: #1b7a1b; color: #1b7a1b; }
code { word-break: break-all; }
@media (max-width: 40rem) { body { padding: 0.4rem; } table { font-size: 0.75rem; } }
@media print { .scroll { overflow: visible; } a { color: inherit; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

/** The Content-Security-Policy of the page: nothing but its own style block. */
export function htmlReportCsp(): string {
  const hash = createHash("sha256").update(CSS).digest("base64");
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src 'sha256-${hash}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

const MARK: Record<Status, string> = {
  pass: "✓",
  fail: "✗",
  unknown: "?",
  suppressed: "W",
  "not-applicable": "–",
};

/** Options of the HTML report. */
export interface HtmlReportOptions extends BlockingOptions {
  readonly baseline?: BaselineComparison;
  /** When the report was made. @default new Date() */
  readonly now?: Date;
}

const e = escapeHtml;

function countsRow(label: string, findings: readonly Finding[], blocking: number): string {
  const c = countByStatus(findings);
  const containers = new Set(
    findings.filter((f) => !f.resource.startsWith("engine:")).map((f) => f.resource),
  ).size;
  return (
    `<tr data-engine="${e(label)}"><th scope="row">${e(label)}</th>` +
    `<td data-count="containers">${containers}</td>` +
    (["pass", "fail", "unknown", "suppressed", "not-applicable"] as const)
      .map((s) => `<td class="${s}" data-count="${s}">${c[s]}</td>`)
      .join("") +
    `<td data-count="blocking">${blocking}</td></tr>`
  );
}

function engineSection(engine: string, findings: readonly Finding[], index: number): string {
  const daemon = findings.filter((f) => f.resource.startsWith("engine:"));
  const rest = findings.filter((f) => !f.resource.startsWith("engine:"));
  const resources = [...new Set(rest.map((f) => f.resource))];
  const rules = [...new Set(rest.map((f) => f.ruleId))];
  const cell = new Map(rest.map((f) => [`${f.resource}\u0000${f.ruleId}`, f]));
  const failures = rest.filter((f) => f.status === "fail" || f.status === "unknown");
  const id = (f: Finding) =>
    `f${index}-${resources.indexOf(f.resource)}-${rules.indexOf(f.ruleId)}`;
  const parts: string[] = [`<section class="engine"><h2>Engine ${e(engine)}</h2>`];
  if (daemon.length > 0) {
    parts.push(
      `<h3>Daemon</h3><div class="scroll"><table class="daemon"><thead><tr><th>Rule</th><th>Status</th><th>What was seen</th><th>Fix</th></tr></thead><tbody>`,
      ...daemon.map(
        (f) =>
          `<tr class="${f.status}"><td><code>${e(f.ruleId)}</code> ${e(f.title)}</td>` +
          `<td>${e(f.status)} (${e(f.level)})</td><td>${e(f.message)}</td><td>${e(f.remediation)}</td></tr>`,
      ),
      `</tbody></table></div>`,
    );
  }
  if (resources.length === 0) {
    parts.push(`<p>No containers, services or networks were checked on this engine.</p>`);
  } else {
    parts.push(
      `<h3>Containers × rules</h3>`,
      `<p>✓ pass, ✗ fail, ? unknown, W waived, – not applicable. A failing cell links to its explanation.</p>`,
      `<div class="scroll"><table class="matrix"><thead><tr><th>Resource</th>`,
      ...rules.map((r) => `<th class="rule" scope="col">${e(r)}</th>`),
      `</tr></thead><tbody>`,
    );
    for (const resource of resources) {
      parts.push(`<tr><th scope="row"><code>${e(resource)}</code></th>`);
      for (const rule of rules) {
        const f = cell.get(`${resource}\u0000${rule}`);
        if (f === undefined) {
          parts.push(`<td></td>`);
          continue;
        }
        const mark = MARK[f.status];
        const label = `${f.ruleId} ${f.status}: ${f.message}`;
        parts.push(
          f.status === "fail" || f.status === "unknown"
            ? `<td class="${f.status}" title="${e(label)}"><a href="#${id(f)}">${mark}</a></td>`
            : `<td class="${f.status}" title="${e(label)}">${mark}</td>`,
        );
      }
      parts.push(`</tr>`);
    }
    parts.push(`</tbody></table></div>`);
    if (failures.length > 0) {
      parts.push(`<h3>Failing cells explained</h3><ul class="failures">`);
      for (const f of failures) {
        parts.push(
          `<li id="${id(f)}" class="${f.status}"><strong>${e(f.ruleId)}</strong> on <code>${e(f.resource)}</code> ` +
            `(${e(f.level)}${f.status === "unknown" ? ", unknown" : ""}): ${e(f.message)}. <em>Fix:</em> ${e(f.remediation)}</li>`,
        );
      }
      parts.push(`</ul>`);
    }
  }
  parts.push(`</section>`);
  return parts.join("\n");
}

/** Renders the findings as one self-contained HTML page. */
export function renderHtmlReport(
  findings: readonly Finding[],
  options: HtmlReportOptions = {},
): string {
  const byEngine = new Map<string, Finding[]>();
  for (const f of findings) {
    const engine = f.engine ?? "(this input)";
    const list = byEngine.get(engine);
    if (list) list.push(f);
    else byEngine.set(engine, [f]);
  }
  const blocking = blockingFindings(findings, options);
  const blockingBy = (engine: string) =>
    blocking.filter((f) => (f.engine ?? "(this input)") === engine).length;
  const waived = findings.filter((f) => f.status === "suppressed" && f.suppression !== undefined);
  const when = (options.now ?? new Date()).toISOString();
  const parts: string[] = [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${e(htmlReportCsp())}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="referrer" content="no-referrer">`,
    `<title>${e(TOOL_NAME)} audit report</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${e(TOOL_NAME)} ${e(toolVersion())}: audit report</h1>`,
    `<p>Made ${e(when)}. ${byEngine.size} engine${byEngine.size === 1 ? "" : "s"}, ${findings.length} findings.</p>`,
    blocking.length === 0
      ? `<p class="verdict clear" id="verdict">No blocking findings (at level ${e(options.failOn ?? "error")} or above).</p>`
      : `<p class="verdict blocked" id="verdict">${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} (at level ${e(options.failOn ?? "error")} or above).</p>`,
    `<h2>Summary per engine</h2>`,
    `<div class="scroll"><table id="summary"><thead><tr><th>Engine</th><th>Resources</th><th>Pass</th><th>Fail</th><th>Unknown</th><th>Waived</th><th>N/A</th><th>Blocking</th></tr></thead><tbody>`,
    ...[...byEngine].map(([engine, list]) => countsRow(engine, list, blockingBy(engine))),
    `</tbody><tfoot>${countsRow("All engines", findings, blocking.length)}</tfoot></table></div>`,
  ];
  if (options.baseline !== undefined) {
    parts.push(
      `<h2>Changes since ${e(options.baseline.source)}</h2>`,
      `<div class="scroll"><table id="baseline"><thead><tr><th>Engine</th><th>New</th><th>Fixed</th><th>Unchanged</th><th>Not verified</th></tr></thead><tbody>`,
      ...options.baseline.engines.map(
        (c) =>
          `<tr><th scope="row">${e(c.engine || "(unnamed)")}</th><td class="new" data-count="new">${c.new.length}</td>` +
          `<td class="fixed" data-count="fixed">${c.fixed.length}</td><td data-count="unchanged">${c.unchanged.length}</td>` +
          `<td>${c.unverified.length}</td></tr>`,
      ),
      `</tbody></table></div><ul class="changes">`,
      ...options.baseline.engines.flatMap((c) => [
        ...c.new.map(
          (f) =>
            `<li class="new">new: <code>${e(f.ruleId)}</code> on <code>${e(f.resource)}</code> (${e(c.engine)}): ${e(f.message)}</li>`,
        ),
        ...c.fixed.map(
          (f) =>
            `<li class="fixed">fixed: <code>${e(f.ruleId)}</code> on <code>${e(f.resource)}</code> (${e(c.engine)}), was: ${e(f.message)}</li>`,
        ),
      ]),
      `</ul>`,
    );
  }
  parts.push(`<h2>Waivers</h2>`);
  if (waived.length === 0) parts.push(`<p id="waivers">No finding was waived.</p>`);
  else {
    parts.push(
      `<div class="scroll"><table id="waivers"><thead><tr><th>Rule</th><th>Resource</th><th>Reason</th><th>Granted by</th><th>Until</th></tr></thead><tbody>`,
      ...waived.map((f) => {
        const s = f.suppression as NonNullable<Finding["suppression"]>;
        const engine = engineBesideResource(f);
        return (
          `<tr class="suppressed"><td><code>${e(f.ruleId)}</code></td><td><code>${e(f.resource)}</code>${engine !== undefined ? ` on ${e(engine)}` : ""}</td>` +
          `<td>${e(s.reason)}</td><td>${e(describeWaiver(s))}</td><td>${e(s.expires ?? "no expiry")}</td></tr>`
        );
      }),
      `</tbody></table></div>`,
    );
  }
  [...byEngine].forEach(([engine, list], i) => parts.push(engineSection(engine, list, i)));
  parts.push(`</body></html>`, "");
  return parts.join("\n");
}
