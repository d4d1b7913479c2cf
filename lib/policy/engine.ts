import { ContainerModel } from "./model";
import { Finding, FindingSuppression, LEVELS, WaiverEntry } from "./findings";
import { NetworkModel, NetworkRule } from "./network-model";
import { NETWORK_RULES } from "./network-rules";
import { DEFAULT_RULES } from "./pack";
import { Level, Rule, RuleContext, Verdict } from "./rule";
import { appliesTo, isExpired, Suppression, WaiverSource } from "./suppressions";
import { policyRefusal, resolveTeamPolicy, TeamPolicy } from "./team-policy";
import { isUnknown } from "./unknown";
import { recordedRelaxations, suppressionsFromLabels } from "./waiver-codec";
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

/**
 * The engine's rule for the team policy's limits on a stack as a whole: more waivers than
 * `maxWaivers` allows.
 */
export const WAIVER_POLICY_RULE: RuleMetadata = {
  id: "HD-WAIVER-POLICY",
  title: "Ensure that a stack carries no more waivers than the team policy allows",
  level: "error",
  rationale:
    "Each waiver is a reviewed gap; a stack that piles them up has stopped being hardened, and " +
    "the security team sets how many it will review.",
  remediation:
    "Fix resources so their waivers can be removed, or ask the security team to raise " +
    "`maxWaivers` in the team policy.",
};

/** A container rule or a network rule: the engine applies both. */
export type AnyRule = Rule | NetworkRule;

/** True for a network rule (`target: "network"`). */
export function isNetworkRule(rule: AnyRule): rule is NetworkRule {
  return (rule as { target?: unknown }).target === "network";
}

/** Options of {@link evaluate} and {@link evaluatePolicy}. */
export interface EvaluateOptions {
  /**
   * The rules to apply: container rules (containers and Swarm services) and network rules
   * (`target: "network"`), in one list.
   * @default DEFAULT_RULES and NETWORK_RULES — the full CIS-derived pack and the network rules.
   */
  readonly rules?: readonly AnyRule[];
  /** Per-rule level overrides, e.g. `{ "CIS-5.12": "error" }`. Unknown rule IDs are refused. */
  readonly levels?: Readonly<Record<string, Level>>;
  /**
   * Waivers written on constructs (`Suppressions.collect(app)`) or carried on resources (`//`),
   * each applying where it sits (see `appliesTo`).
   */
  readonly suppressions?: readonly Suppression[];
  /**
   * Honour each container's relaxation labels as waivers of that container.
   * @default true — a relaxation recorded on the container shows as a reasoned, suppressed
   * finding, whether the audit reads the construct tree, a cdk.tf.json or a live container.
   */
  readonly labelSuppressions?: boolean;
  /**
   * The team policy: rules no waiver may waive, the most waivers, expiry demands.
   * @default DEFAULT_TEAM_POLICY — privileged mode, host namespaces, devices and the Docker
   * socket cannot be waived.
   */
  readonly policy?: TeamPolicy;
  /** Facts about where the rules run: now, trusted registries, host LSMs. */
  readonly context: RuleContext;
}

/** What the engine reads: containers (and services) and networks. */
export interface PolicyInput {
  readonly containers?: readonly ContainerModel[];
  readonly networks?: readonly NetworkModel[];
}

/** What the engine answers: one finding per rule and resource, and the waivers it met. */
export interface PolicyResult {
  readonly findings: Finding[];
  /** Every waiver that applies to a resource, honoured or refused, and every relaxation. */
  readonly waivers: WaiverEntry[];
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
 * Applies every container rule to every container (see {@link evaluatePolicy}) and returns the
 * findings.
 */
export function evaluate(models: readonly ContainerModel[], options: EvaluateOptions): Finding[] {
  return evaluatePolicy({ containers: models }, options).findings;
}

/**
 * The one engine: applies every rule to every resource of its kind and returns one finding per
 * rule and resource (passes included), after level overrides and waivers, and the waivers it
 * met. A rule that throws or returns something that is not a verdict yields an `unknown` finding
 * carrying the error, never a crash. A waiver applies only where it sits; one the team policy
 * refuses waives nothing; an expired one does not suppress and adds an `HD-SUPPRESSION-EXPIRED`
 * finding. No waiver suppresses an `unknown` verdict: what the audit could not read is let
 * through only by the gate's `allowUnknown`.
 */
export function evaluatePolicy(input: PolicyInput, options: EvaluateOptions): PolicyResult {
  const all = options.rules ?? [...DEFAULT_RULES, ...NETWORK_RULES];
  const levels = checkLevels(options.levels ?? {}, all);
  const containerRules = all.filter((r): r is Rule => !isNetworkRule(r));
  const networkRules = all.filter(isNetworkRule);
  const judge = new Judge(levels, resolveTeamPolicy(options.policy), options.context.now);
  const given = sortBySource(options.suppressions ?? []);

  for (const model of input.containers ?? []) {
    const labels =
      options.labelSuppressions === false || isUnknown(model.labels) || !model.labels
        ? undefined
        : model.labels;
    const fromLabels =
      labels === undefined
        ? []
        : suppressionsFromLabels(labels).map((s) => ({ ...s, resource: model.resource }));
    const applicable = given.filter((s) => appliesTo(s, model));
    judge.run(
      model,
      containerRules,
      (rule) => runCheck(rule, () => rule.check(model, options.context)),
      applicable.length === 0 ? fromLabels : [...applicable, ...fromLabels],
    );
    if (labels !== undefined) judge.recordRelaxations(model, recordedRelaxations(labels));
  }
  for (const network of input.networks ?? []) {
    judge.run(
      network,
      networkRules,
      (rule) => runCheck(rule, () => rule.check(network)),
      given.filter((s) => appliesTo(s, network)),
    );
  }
  judge.limit(options.policy);
  return { findings: judge.findings, waivers: judge.waivers };
}

const SOURCE_ORDER: Readonly<Record<WaiverSource, number>> = {
  construct: 0,
  relaxation: 1,
  label: 2,
  carrier: 3,
};

function sortBySource(waivers: readonly Suppression[]): Suppression[] {
  return [...waivers].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
}

/** What makes two waivers the same exception, wherever they were read from. */
function waiverKey(s: Suppression): string {
  return `${s.ruleId}\u0000${s.reason}\u0000${s.expires ?? ""}\u0000${
    s.covers === undefined ? "" : `${s.covers.kind}:${s.covers.values.join(",")}`
  }`;
}

interface Target {
  readonly resource: string;
  readonly constructPath?: string;
}

/** The per-run state of {@link evaluatePolicy}: findings, the waiver ledger, the waiver count. */
class Judge {
  public readonly findings: Finding[] = [];
  public readonly waivers: WaiverEntry[] = [];
  private readonly honoured = new Set<string>();

  constructor(
    private readonly levels: Readonly<Record<string, Level>>,
    private readonly policy: TeamPolicy,
    private readonly now: Date,
  ) {}

  public run<R extends AnyRule>(
    target: Target,
    rules: readonly R[],
    check: (rule: R) => Verdict,
    applicable: readonly Suppression[],
  ): void {
    // One exception read from several places (the construct and the "//" carrier it wrote, a
    // relaxation and its labels) counts once, as the first source wrote it.
    const seen = new Set<string>();
    const active = new Map<string, Suppression[]>();
    const expired = new Map<string, Suppression[]>();
    const refused: [Suppression, string][] = [];
    const kept: Suppression[] = [];
    for (const s of applicable) {
      const key = waiverKey(s);
      if (seen.has(key)) continue;
      seen.add(key);
      kept.push(s);
      const why = policyRefusal(s, this.policy, this.now);
      if (why !== undefined) refused.push([s, why]);
      else if (isExpired(s, this.now)) push(expired, s.ruleId, s);
      else push(active, s.ruleId, s);
    }
    const used = new Set<Suppression>();
    for (const rule of rules) {
      const verdict = check(rule);
      const level = this.levels[rule.id] ?? rule.level;
      const candidates = active.get(rule.id);
      let message = verdict.message;
      let by: Suppression | undefined;
      if (candidates !== undefined && (verdict.status === "fail" || verdict.status === "unknown")) {
        const waiver = waive(verdict, candidates);
        by = waiver.by;
        message = waiver.message;
      }
      if (by !== undefined) used.add(by);
      const status = by !== undefined ? "suppressed" : verdict.status;
      // Object literals of one shape, without spreads: this runs rules x resources times.
      const finding: Finding =
        target.constructPath !== undefined
          ? {
              ruleId: rule.id,
              title: rule.title,
              level,
              resource: target.resource,
              constructPath: target.constructPath,
              message,
              remediation: rule.remediation,
              status,
            }
          : {
              ruleId: rule.id,
              title: rule.title,
              level,
              resource: target.resource,
              message,
              remediation: rule.remediation,
              status,
            };
      this.findings.push(
        by !== undefined ? { ...finding, suppression: describeSuppression(by) } : finding,
      );
      for (const e of expired.get(rule.id) ?? []) {
        this.findings.push(expiredFinding(e, target, rule, verdict, this.levels));
      }
    }
    for (const s of kept) {
      const refusal = refused.find(([r]) => r === s)?.[1];
      const why =
        refusal ?? (isExpired(s, this.now) ? `it expired on ${s.expires ?? "?"}` : undefined);
      if (why === undefined) this.honoured.add(waiverKey(s));
      this.waivers.push(entryOf(s, target, why, used.has(s)));
    }
  }

  /** Lists the relaxations a container records that waive no rule, so every report shows them. */
  public recordRelaxations(
    target: Target,
    relaxations: readonly {
      readonly label: string;
      readonly reason: string;
      readonly waives: number;
    }[],
  ): void {
    for (const r of relaxations) {
      if (r.waives > 0) continue;
      this.waivers.push({
        resource: target.resource,
        ...(target.constructPath !== undefined ? { constructPath: target.constructPath } : {}),
        reason: r.reason,
        source: "label",
        scope: r.label,
        status: "honoured",
        used: false,
      });
    }
  }

  /** Adds the team policy's stack-wide finding when it carries more waivers than allowed. */
  public limit(policy: TeamPolicy | undefined): void {
    const max = policy?.maxWaivers;
    if (max === undefined || this.honoured.size <= max) return;
    this.findings.push({
      ruleId: WAIVER_POLICY_RULE.id,
      title: WAIVER_POLICY_RULE.title,
      level: this.levels[WAIVER_POLICY_RULE.id] ?? WAIVER_POLICY_RULE.level,
      status: "fail",
      resource: "(stack)",
      message: `${this.honoured.size} waivers are honoured here; the team policy allows at most ${max} (maxWaivers)`,
      remediation: WAIVER_POLICY_RULE.remediation,
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function entryOf(
  s: Suppression,
  target: Target,
  why: string | undefined,
  used: boolean,
): WaiverEntry {
  return {
    ruleId: s.ruleId,
    resource: target.resource,
    ...(target.constructPath !== undefined ? { constructPath: target.constructPath } : {}),
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
    source: s.source,
    scope: s.scope,
    ...(s.covers !== undefined ? { covers: s.covers } : {}),
    status: why === undefined ? "honoured" : "refused",
    ...(why !== undefined ? { why } : {}),
    used: why === undefined && used,
  };
}

function runCheck(_rule: AnyRule, check: () => Verdict): Verdict {
  let verdict: unknown;
  try {
    verdict = check();
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
  model: Target,
  rule: AnyRule,
  verdict: Verdict,
  levels: Readonly<Record<string, Level>>,
): Finding {
  const where =
    suppression.source === "label"
      ? `by label ${suppression.scope}`
      : suppression.source === "carrier"
        ? `carried on ${suppression.scope}`
        : `on ${suppression.scope}`;
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
  rules: readonly AnyRule[],
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
export const ENGINE_RULES: readonly RuleMetadata[] = [
  SUPPRESSION_EXPIRED_RULE,
  INPUT_PROBLEM_RULE,
  WAIVER_POLICY_RULE,
];

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
