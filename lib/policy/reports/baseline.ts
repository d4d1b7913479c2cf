import { BlockingOptions, blockingFindings, Finding } from "../findings";
import { jsonReportSchema } from "./json";
import { BaselineComparison, BaselineFinding } from "./baseline-types";

export type { BaselineComparison, BaselineFinding, EngineChanges } from "./baseline-types";

/**
 * What changed since a previous report (`audit --host --baseline <report.json>`): per engine,
 * the problems (failing or unknown findings) that are new, fixed or unchanged. A finding is the
 * same one when its engine, resource and rule are; a suppressed, passing or not-applicable
 * finding is not a problem. An engine not reached this time fixes nothing: its old problems are
 * `unverified`.
 */

/** The identity of a finding across runs. */
export function findingKey(f: Pick<Finding, "engine" | "resource" | "ruleId">): string {
  return `${f.engine ?? ""}\u0000${f.resource}\u0000${f.ruleId}`;
}

/** The rule that says an engine was not reached (lib/policy/daemon-pack.ts). */
const UNREACHABLE = "HD-ENGINE-UNREACHABLE";

function isProblem(f: { status: string }): boolean {
  return f.status === "fail" || f.status === "unknown";
}

/** A previous report that cannot be used as a baseline (one line, names the file). */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaselineError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** Reads a previous JSON report's text; throws {@link BaselineError} when it is not one. */
export function parseBaseline(text: string, source: string): BaselineFinding[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = jsonReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BaselineError(
      `${source} is not a hardened-docker JSON report (audit --format json): ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
    );
  }
  return parsed.data.findings;
}

/** Compares this run's findings with a previous report's, engine by engine. */
export function compareWithBaseline(
  current: readonly Finding[],
  previous: readonly BaselineFinding[],
  source: string,
): BaselineComparison {
  const notReached = new Set(
    current.filter((f) => f.ruleId === UNREACHABLE).map((f) => f.engine ?? ""),
  );
  const before = new Map(previous.filter(isProblem).map((f) => [findingKey(f), f]));
  const now = new Map(current.filter(isProblem).map((f) => [findingKey(f), f]));
  const engines = new Map<
    string,
    {
      new: Finding[];
      fixed: BaselineFinding[];
      unchanged: Finding[];
      unverified: BaselineFinding[];
    }
  >();
  const of = (engine: string) => {
    let e = engines.get(engine);
    if (e === undefined) {
      e = { new: [], fixed: [], unchanged: [], unverified: [] };
      engines.set(engine, e);
    }
    return e;
  };
  for (const f of current) of(f.engine ?? "");
  const changes = new Map<Finding, "new" | "unchanged">();
  for (const [key, f] of now) {
    const change = before.has(key) ? "unchanged" : "new";
    of(f.engine ?? "")[change].push(f);
    changes.set(f, change);
  }
  for (const [key, f] of before) {
    if (now.has(key)) continue;
    const engine = f.engine ?? "";
    (notReached.has(engine) && f.ruleId !== UNREACHABLE
      ? of(engine).unverified
      : of(engine).fixed
    ).push(f);
  }
  return {
    source,
    engines: [...engines].map(([engine, e]) => ({ engine, ...e })),
    changes,
  };
}

/** The blocking findings that are new since the baseline: what fails a `--baseline` run. */
export function newBlockingFindings(
  comparison: BaselineComparison,
  options: BlockingOptions = {},
): Finding[] {
  return blockingFindings(
    comparison.engines.flatMap((e) => e.new),
    options,
  );
}

/** The text report's closing section: what changed since the baseline, per engine. */
export function renderBaselineText(comparison: BaselineComparison): string {
  const lines = [``, `# Changes since ${comparison.source}`];
  for (const e of comparison.engines) {
    lines.push(
      `[INFO] engine ${e.engine === "" ? "(unnamed)" : e.engine}: ${e.new.length} new, ${e.fixed.length} fixed, ` +
        `${e.unchanged.length} unchanged${e.unverified.length > 0 ? `, ${e.unverified.length} not verified (engine not reached)` : ""}`,
    );
    for (const f of e.new) lines.push(`     + ${f.ruleId} ${f.resource}: ${f.message}`);
    for (const f of e.fixed)
      lines.push(`     - ${f.ruleId} ${f.resource}: fixed (was: ${f.message})`);
  }
  return `${lines.join("\n")}\n`;
}
