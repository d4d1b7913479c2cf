import { ContainerModel } from "./model";
import { Finding, FindingSuppression, LEVELS } from "./findings";
import { DEFAULT_RULES } from "./pack";
import { Level, Rule, RuleContext, Verdict } from "./rule";
import { isExpired, isUnderScope, Suppression, suppressionsFromLabels } from "./suppressions";
import { isUnknown } from "./unknown";
import { waive } from "./waivers";

/** The metadata of a rule without its check: what reports need. */
export type RuleMetadata = Omit<Rule, "check">;

/**
 * The engine's own rule: a suppression whose expiry day is over. It no longer suppresses (the
 * waived rule is judged again at its own level, so an exception that hid an error fails the
 * build by itself); this finding says why the rule came back.
 */
export const SUPPRESSION_EXPIRED_RULE: RuleMetadata = {
  id: "HD-SUPPRESSION-EXPIRED",
  title: "Ensure that suppressions are renewed or removed before they expire",
  level: "warning",
  rationale:
    "An exception granted for a while must not become permanent by neglect: once its expiry day " +
    "is over the waived rule applies again and someone has to decide.",
  remediation:
    "Fix the resource so the waived rule passes and remove the suppression (or relaxation), or " +
    "renew it with a new reason and a new `expires` date.",
};

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * The rules to apply.
   * @default DEFAULT_RULES — the full CIS-derived pack.
   */
  readonly rules?: readonly Rule[];
  /** Per-rule level overrides, e.g. `{ "CIS-5.12": "error" }`. Unknown rule IDs are refused. */
  readonly levels?: Readonly<Record<string, Level>>;
  /** Construct suppressions (e.g. from `Suppressions.collect(app)`), matched by construct path. */
  readonly suppressions?: readonly Suppression[];
  /**
   * Honour each container's relaxation labels as suppressions (see `suppressionsFromLabels`).
   * @default true — a relaxation recorded on the container shows as a reasoned, suppressed
   * finding, whether the audit reads the construct tree, a cdk.tf.json or a live container.
   */
  readonly labelSuppressions?: boolean;
  /** Facts about where the rules run: now, trusted registries, host LSMs. */
  readonly context: RuleContext;
}

/** Thrown for options the engine cannot use; the message is one line naming the bad value. */
export class PolicyOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyOptionsError";
    this.stack = `${this.name}: ${message}`;
  }
}

const VERDICT_STATUSES: ReadonlySet<string> = new Set([
  "pass",
  "fail",
  "unknown",
  "not-applicable",
]);

/**
 * Applies every rule to every container and returns one finding per rule and container (passes
 * included), after level overrides and suppressions. A rule that throws or returns something
 * that is not a verdict yields an `unknown` finding carrying the error, never a crash. An
 * expired suppression does not suppress and adds an `HD-SUPPRESSION-EXPIRED` finding.
 */
export function evaluate(models: readonly ContainerModel[], options: EvaluateOptions): Finding[] {
  const rules = options.rules ?? DEFAULT_RULES;
  const levels = checkLevels(options.levels ?? {}, rules);
  const constructSuppressions = options.suppressions ?? [];
  const findings: Finding[] = [];

  for (const model of models) {
    const labelSuppressions =
      options.labelSuppressions === false || isUnknown(model.labels) || !model.labels
        ? []
        : suppressionsFromLabels(model.labels);
    const applicable = [
      ...constructSuppressions.filter(
        (s) => s.source !== "construct" || isUnderScope(model.constructPath, s.scope),
      ),
      ...labelSuppressions,
    ];
    const reportedExpired = new Set<Suppression>();
    const byRule = new Map<string, Suppression[]>();
    for (const s of applicable) byRule.set(s.ruleId, [...(byRule.get(s.ruleId) ?? []), s]);

    for (const rule of rules) {
      const verdict = runCheck(rule, model, options.context);
      const level = levels[rule.id] ?? rule.level;
      const matching = byRule.get(rule.id);
      let message = verdict.message;
      let active: Suppression | undefined;
      if (matching !== undefined && (verdict.status === "fail" || verdict.status === "unknown")) {
        const waiver = waive(
          verdict,
          matching.filter((s) => !isExpired(s, options.context.now)),
        );
        active = waiver.by;
        message = waiver.message;
      }
      const suppressed = active !== undefined;
      const status = suppressed ? "suppressed" : verdict.status;
      // Object literals of one shape, without spreads: this runs rules x containers times.
      const finding: Finding =
        model.constructPath !== undefined
          ? {
              ruleId: rule.id,
              title: rule.title,
              level,
              resource: model.resource,
              constructPath: model.constructPath,
              message,
              remediation: rule.remediation,
              status,
            }
          : {
              ruleId: rule.id,
              title: rule.title,
              level,
              resource: model.resource,
              message,
              remediation: rule.remediation,
              status,
            };
      findings.push(
        active !== undefined ? { ...finding, suppression: describeSuppression(active) } : finding,
      );
      if (matching === undefined) continue;
      for (const expired of matching.filter((s) => isExpired(s, options.context.now))) {
        if (reportedExpired.has(expired)) continue;
        reportedExpired.add(expired);
        findings.push(expiredFinding(expired, model, rule, verdict, levels));
      }
    }
  }
  return findings;
}

function runCheck(rule: Rule, model: ContainerModel, context: RuleContext): Verdict {
  let verdict: unknown;
  try {
    verdict = rule.check(model, context);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { status: "unknown", message: `the rule could not be evaluated: ${text}` };
  }
  if (
    verdict === null ||
    typeof verdict !== "object" ||
    !VERDICT_STATUSES.has(String((verdict as { status?: unknown }).status)) ||
    typeof (verdict as { message?: unknown }).message !== "string"
  ) {
    return {
      status: "unknown",
      message: `the rule returned ${safeJson(verdict)}, not a verdict { status, message }`,
    };
  }
  return verdict as Verdict;
}

function expiredFinding(
  suppression: Suppression,
  model: ContainerModel,
  rule: Rule,
  verdict: Verdict,
  levels: Readonly<Record<string, Level>>,
): Finding {
  const where =
    suppression.source === "construct"
      ? `on ${suppression.scope}`
      : `by label ${suppression.scope}`;
  return {
    ruleId: SUPPRESSION_EXPIRED_RULE.id,
    title: SUPPRESSION_EXPIRED_RULE.title,
    level: levels[SUPPRESSION_EXPIRED_RULE.id] ?? SUPPRESSION_EXPIRED_RULE.level,
    status: "fail",
    resource: model.resource,
    ...(model.constructPath !== undefined ? { constructPath: model.constructPath } : {}),
    message:
      `the suppression of ${rule.id} ${where} expired on ${suppression.expires ?? "?"} ` +
      `(reason: "${suppression.reason}"); ${rule.id} applies again and is now ${verdict.status}`,
    remediation: SUPPRESSION_EXPIRED_RULE.remediation,
  };
}

/** How a finding shows the suppression that waived it. */
export function describeSuppression(s: Suppression): FindingSuppression {
  return {
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
    source: s.source,
    scope: s.scope,
    ...(s.covers !== undefined ? { covers: s.covers } : {}),
  };
}

function checkLevels(
  levels: Readonly<Record<string, Level>>,
  rules: readonly Rule[],
): Readonly<Record<string, Level>> {
  const known = new Set([...rules.map((r) => r.id), ...ENGINE_RULES.map((r) => r.id)]);
  for (const [ruleId, level] of Object.entries(levels)) {
    if (!known.has(ruleId)) {
      throw new PolicyOptionsError(
        `level override for unknown rule "${ruleId}"; known rules: ${[...known].join(", ")}`,
      );
    }
    if (!LEVELS.includes(level)) {
      throw new PolicyOptionsError(
        `level "${String(level)}" for ${ruleId} is not a level; use one of ${LEVELS.join(", ")}`,
      );
    }
  }
  return levels;
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * The engine's rule for input it could not turn into a container model (a `docker_container`
 * the adapter could not read). Reported as `unknown`, so an unreadable container is listed
 * instead of silently passing.
 */
export const INPUT_PROBLEM_RULE: RuleMetadata = {
  id: "HD-INPUT",
  title: "Ensure every container in the input can be read",
  level: "warning",
  rationale:
    "A container the audit cannot read is a container nobody checked; it must show in the " +
    "report rather than vanish from it.",
  remediation:
    "Fix the input (a hand-edited or truncated cdk.tf.json) or the resource's attributes so the " +
    "adapter can read them, then audit again.",
};

/** The rules the engine itself can report, besides the pack's. */
export const ENGINE_RULES: readonly RuleMetadata[] = [SUPPRESSION_EXPIRED_RULE, INPUT_PROBLEM_RULE];

/** Turns an adapter problem into an `unknown` finding of {@link INPUT_PROBLEM_RULE}. */
export function inputProblemFinding(problem: string, level?: Level): Finding {
  const resource = /docker_(?:container|service)\.[A-Za-z0-9_-]+/.exec(problem)?.[0] ?? "(input)";
  return {
    ruleId: INPUT_PROBLEM_RULE.id,
    title: INPUT_PROBLEM_RULE.title,
    level: level ?? INPUT_PROBLEM_RULE.level,
    status: "unknown",
    resource,
    message: problem,
    remediation: INPUT_PROBLEM_RULE.remediation,
  };
}
