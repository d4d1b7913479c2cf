import { join } from "path";
import { AnnotationMetadataEntryType, App, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { z } from "zod";
import { Clock, systemClock } from "../audit/clock";
import { trustedRegistriesFromContext } from "../image/trusted-registries-context";
import { HardenedDockerValidationError, problemsFromZod } from "../validation/validation-error";
import { loadSynthesizedStacks } from "../synth";
import { AuditResult, auditStacksWithWaivers, stackFromObject } from "./audit-stacks";
import { onStackSeen } from "./stack-watch";
import { loadTeamPolicy } from "./team-policy-file";
import { blockingFindings, Finding, isAtLeast } from "../policy/findings";
import { AnyRule } from "../policy/engine";
import { NETWORK_RULES } from "../policy/network-rules";
import { TeamPolicy, teamPolicySchema } from "../policy/team-policy";
import { DEFAULT_RULES } from "../policy/pack";
import { writeReports, WrittenReports } from "../policy/reports";
import { Level, Rule } from "../policy/rule";
import { Suppressions } from "./suppressions";

/** Options of {@link HardenedDockerChecks}. */
export interface HardenedDockerChecksOptions {
  /**
   * The rules to apply: container rules and network rules (`target: "network"`) in one list.
   * @default DEFAULT_RULES and NETWORK_RULES — the full CIS-derived pack and the network rules.
   */
  readonly rules?: readonly AnyRule[];
  /**
   * The team policy, kept outside the stack code: the object, or the path of the JSON / YAML
   * file the security team owns (the same file `hardened-docker audit --policy` reads). It names
   * the rules no waiver in the stack may waive, the most waivers a stack may carry, and whether
   * suppressions must expire (see `TeamPolicy`).
   * @default DEFAULT_TEAM_POLICY — privileged mode, host namespaces, devices and the Docker socket
   * cannot be waived; no other limit.
   */
  readonly policy?: TeamPolicy | string;
  /** Per-rule level overrides, e.g. `{ "CIS-5.12": "error" }`. */
  readonly levels?: Readonly<Record<string, Level>>;
  /**
   * Where "now" comes from, for suppression expiry.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Registry/repository prefixes images may come from (CIS 4.2).
   * @default the app context `hardened-docker:trustedRegistries` (the same allowlist
   * HardenedContainer reads); without it, no allowlist is checked.
   */
  readonly trustedRegistries?: readonly string[];
  /**
   * The least severe level whose unsuppressed failures become error annotations (and so fail
   * `cdktf synth`). Less severe failures become warnings (info-level ones, info annotations).
   * @default "error"
   */
  readonly failOn?: Level;
  /**
   * Let `unknown` findings at or above `failOn` through: annotated as warnings instead of
   * errors, and every report says how many were let through.
   * @default false — a gate that cannot read a value does not pass it: an unknown at or above
   * `failOn` (a token only known at apply time, a `dynamic` block, a module) fails the synth
   * like a failure.
   */
  readonly allowUnknown?: boolean;
  /**
   * @deprecated unknown findings block by default; `true` is accepted and changes nothing, use
   * `allowUnknown: true` to let them through.
   */
  readonly failOnUnknown?: true;
  /**
   * Where `applyTo` writes the reports.
   * @default "<app outdir>/hardened-docker"
   */
  readonly reportDir?: string;
}

const optionsSchema = z
  .object({
    rules: z
      .array(
        z.custom<Rule>(
          (r) =>
            r !== null &&
            typeof r === "object" &&
            typeof (r as { id?: unknown }).id === "string" &&
            typeof (r as { check?: unknown }).check === "function",
          { error: "a rule needs an id and a check function" },
        ),
      )
      .optional(),
    levels: z.record(z.string(), z.enum(["error", "warning", "info"])).optional(),
    policy: z.union([z.string().min(1), teamPolicySchema]).optional(),
    clock: z
      .custom<Clock>(
        (c) => c !== null && typeof c === "object" && typeof (c as Clock).now === "function",
        { error: 'a clock is an object with a now(): Date method, e.g. fixedClock("2026-01-31")' },
      )
      .optional(),
    trustedRegistries: z.array(z.string().min(1)).optional(),
    failOn: z.enum(["error", "warning", "info"]).optional(),
    allowUnknown: z.boolean().optional(),
    failOnUnknown: z
      .literal(true, {
        error:
          "failOnUnknown is gone: unknown findings block by default; pass allowUnknown: true to let them through",
      })
      .optional(),
    reportDir: z.string().min(1).optional(),
  })
  .strict();

const APPLIED = Symbol.for("io.hardened-docker/checks-applied");

/**
 * Checks every container of a cdktf app against the policy pack, like cdk-nag's
 * `Aspects.of(app).add(new AwsSolutionsChecks())` (which cdktf 0.21 silently ignores at app
 * level: aspects only run from stacks).
 *
 * One call covers every stack, including stacks created after it, and raw `docker_container`
 * resources as well as HardenedContainers; it judges each stack's final Terraform JSON, after
 * aspects, escape-hatch overrides (`addOverride`) included.
 *
 * @example
 * const app = new App();
 * HardenedDockerChecks.applyTo(app);
 * new MyStack(app, "web");
 * app.synth(); // fails on unsuppressed error findings; reports in cdktf.out/hardened-docker/
 */
export class HardenedDockerChecks {
  /**
   * Wraps `app.synth()` so that, while each stack synthesizes (after its aspects and
   * validations, before its annotations are collected), its containers are evaluated and:
   * - each unsuppressed failure at or above `failOn` becomes an error annotation (what
   *   `Annotations.addError` records, without a stack trace) on the construct that made the
   *   resource, with construct path, rule ID, message and remediation; other failures and
   *   unknowns become warnings (info-level failures: info). `cdktf synth` (cdktf-cli 0.21) prints
   *   the annotations and exits 1 on an error one; a bare `app.synth()` throws (cdktf's
   *   "Encountered Annotations with level ERROR", listing each finding), so `node main.js`
   *   exits non-zero as well;
   * - after synthesis, reports are written to `<outdir>/hardened-docker/report.txt`,
   *   `report.json` and `report.sarif` (or `options.reportDir`), and a one-line summary goes to
   *   stderr when findings block.
   * Throws when called twice on the same app.
   */
  public static applyTo(app: App, options: HardenedDockerChecksOptions = {}): void {
    const checked = parseOptions(app, options);
    const marked = app as unknown as Record<symbol, unknown>;
    const refuse = (value: string, message: string): never => {
      throw new HardenedDockerValidationError([
        {
          constructPath: app.node.path || "(app)",
          field: "HardenedDockerChecks.applyTo",
          value,
          message,
        },
      ]);
    };
    if (marked[APPLIED] === true) {
      refuse(
        "called twice",
        "the checks are already applied to this app; call applyTo once, with all options",
      );
    }
    if (app.skipValidation) {
      refuse(
        "skipValidation: true",
        "the checks run as cdktf validations, which this app skips: create the App without skipValidation (or gate with `hardened-docker audit --synth` in CI)",
      );
    }
    Object.defineProperty(app, APPLIED, { value: true });

    // One synthesis: each stack's result as its validation saw it (after every aspect).
    const run = new Map<TerraformStack, AuditResult>();
    const reportDir = checked.reportDir ?? join(app.outdir, "hardened-docker");
    const write = (located: boolean): { blocking: Finding[]; written: WrittenReports } => {
      const findings = [...run.entries()].flatMap(([stack, result]) => {
        const relativePath = app.manifest.stacks[stack.node.id]?.synthesizedStackPath;
        const file = relativePath !== undefined ? join(app.outdir, relativePath) : undefined;
        if (file === undefined) return result.findings;
        // Lines only from a file this synth wrote (a failed synth may leave an older one).
        return located
          ? locatedIn(file, result.findings)
          : result.findings.map((f) => ({ ...f, file }));
      });
      const waivers = [...run.values()].flatMap((r) => r.waivers);
      const blocking = blockingFindings(findings, checked);
      const bypassed = gateBypassed(blocking.length);
      const written = writeReports(reportDir, findings, {
        rules: checked.rules ?? [...DEFAULT_RULES, ...NETWORK_RULES],
        failOn: checked.failOn,
        allowUnknown: checked.allowUnknown === true,
        waivers,
        ...(bypassed !== undefined ? { gateBypassed: bypassed } : {}),
      });
      lastReports.set(app, written);
      return { blocking, written };
    };
    // Writes the reports with what this synthesis judged, tells stderr when findings block, and
    // ends the run; returns why the gate is bypassed, if it is.
    const finish = (located: boolean): string | undefined => {
      const { blocking, written } = write(located);
      run.clear();
      const bypassed = gateBypassed(blocking.length);
      if (bypassed !== undefined) {
        process.stderr.write(`\nhardened-docker: WARNING: ${bypassed}\n\n`);
      }
      if (blocking.length > 0) {
        process.stderr.write(
          `hardened-docker: ${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} ` +
            `(${blocking.map((f) => `${f.ruleId} ${f.constructPath ?? f.resource}`).join(", ")}); ` +
            `see ${written.text}\n`,
        );
      }
      return bypassed;
    };
    const watched = new WeakSet<TerraformStack>();
    const watch = (stack: TerraformStack): void => {
      if (watched.has(stack)) return;
      watched.add(stack);
      // cdktf runs a stack's validations after its aspects and before it collects annotations:
      // the findings become annotations there (errors fail the synth), and the reports are
      // written so far, so a synth that fails on this stack still leaves them.
      stack.node.addValidation({
        validate: () => {
          const result = checkStackWithWaivers(stack, checked);
          run.set(stack, result);
          annotate(stack, result.findings, checked);
          write(false);
          return [];
        },
      });
    };
    for (const stack of stacksOf(app)) watch(stack);
    onStackSeen(app, watch);
    // cdktf has no public hook that runs for every stack, created before or after this call,
    // before the stack's annotations are collected (app-level aspects are not invoked by cdktf
    // 0.21): so app.synth is given a thin front that attaches the validation to every stack and
    // calls the real synth. Nothing depends on it for the verdict: a synth that goes round it
    // (App.prototype.synth.call(app)) is still judged by the app-level validation below.
    const originalSynth = app.synth.bind(app);
    const synth = (): void => {
      for (const stack of stacksOf(app)) watch(stack);
      try {
        originalSynth();
      } catch (error) {
        // A stack's error annotations stopped the synth before the app's validation ran.
        if (run.size > 0) finish(false);
        // cdktf throws on error annotations when run without its CLI: keep its message (which
        // lists each finding) and drop the trace through cdktf's internals.
        if (
          error instanceof Error &&
          /Annotations with level "ERROR"|validation failed/i.test(error.message)
        ) {
          error.stack = `${error.name}: ${error.message}`;
        }
        throw error;
      }
    };
    Object.defineProperty(app, "synth", { value: synth, configurable: true, writable: true });

    // The app's validations run after every stack is synthesized and written: stacks no
    // validation of ours saw (created after applyTo with raw resources only) are checked here,
    // and their blocking findings fail the synth as validation errors; then the reports are
    // written with the lines of the files this synth wrote.
    app.node.addValidation({
      validate: () => {
        const late: Finding[] = [];
        for (const stack of stacksOf(app)) {
          if (run.has(stack)) continue;
          const result = checkStackWithWaivers(stack, checked);
          run.set(stack, result);
          late.push(...blockingFindings(result.findings, checked));
        }
        const bypassed = finish(true);
        // Outside the cdktf CLI with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, cdktf lets error
        // annotations through; late stacks are treated alike (the warning says so).
        if (bypassed !== undefined) return [];
        return late.map(
          (f) =>
            `[${f.ruleId}] ${f.constructPath ?? f.resource}: ${f.message}. Fix: ${f.remediation}`,
        );
      },
    });
  }

  /** The report paths the last `app.synth()` of an app with checks applied wrote. */
  public static reportsOf(app: App): WrittenReports | undefined {
    return lastReports.get(app);
  }
}

const lastReports = new WeakMap<App, WrittenReports>();

/**
 * The findings with `file` set to the synthesized stack file and, when it can be read back,
 * `line` set to where each resource's body starts (for SARIF code-scanning locations).
 */
function locatedIn(file: string, findings: readonly Finding[]): Finding[] {
  let locate: ((address: string) => { line?: number } | undefined) | undefined;
  try {
    const [written] = loadSynthesizedStacks(file).stacks;
    locate = written?.locate.bind(written);
  } catch {
    locate = undefined; // not written (synth failed before): file only
  }
  return findings.map((f) => {
    const line = locate?.(f.resource)?.line;
    return { ...f, file, ...(line !== undefined ? { line } : {}) };
  });
}

/** The variable cdktf's own error message suggests; with it, error annotations do not fail synth. */
export const CONTINUE_SYNTH_VARIABLE = "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS";

/**
 * Why the gate's verdict does not stop this run, or undefined when it does. With
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, cdktf records error annotations instead of
 * throwing, so a bare `app.synth()` (`node main.js`, `npm start`) exits 0 whatever the findings.
 * The cdktf CLI sets the variable itself when it runs the app (with CDKTF_OUTDIR and its context
 * variable) and then fails on the recorded error annotations, so under it the gate holds.
 */
export function gateBypassed(
  blocking: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (env[CONTINUE_SYNTH_VARIABLE] === undefined) return undefined;
  const underCdktfCli =
    env.CDKTF_OUTDIR !== undefined &&
    (env.CDKTF_CONTEXT_JSON ?? "").includes("cdktfRelativeModules");
  if (underCdktfCli) return undefined;
  return (
    `${CONTINUE_SYNTH_VARIABLE} is set, so this synth succeeds whatever the findings,` +
    (blocking > 0
      ? ` although ${blocking} finding${blocking === 1 ? " blocks" : "s block"}; nothing here was gated`
      : "; the gate is off") +
    `. Unset it, or gate in CI with \`hardened-docker audit --synth cdktf.out\`.`
  );
}

/**
 * Evaluates one stack as it stands (`stack.toTerraform()`, overrides included; aspects are not
 * invoked here — `applyTo` checks after them). Pure apart from reading the construct tree:
 * adds no annotations, writes nothing. Findings carry `stack` (the stack's id).
 */
export function checkStack(
  stack: TerraformStack,
  options: HardenedDockerChecksOptions = {},
): Finding[] {
  return checkStackWithWaivers(stack, options).findings;
}

/** {@link checkStack}, with the waivers the engine met (honoured and refused). */
export function checkStackWithWaivers(
  stack: TerraformStack,
  options: HardenedDockerChecksOptions = {},
): AuditResult {
  const checked = parseOptions(stack, options);
  return auditStacksWithWaivers([stackFromObject(stack.node.id, stack.toTerraform())], {
    ...(checked.rules !== undefined ? { rules: checked.rules } : {}),
    ...(checked.levels !== undefined ? { levels: checked.levels } : {}),
    ...(typeof checked.policy === "object" ? { policy: checked.policy } : {}),
    suppressions: Suppressions.collect(stack),
    context: {
      now: (checked.clock ?? systemClock).now(),
      ...(checked.trustedRegistries !== undefined
        ? { trustedRegistries: checked.trustedRegistries }
        : {}),
    },
  });
}

/** Evaluates every stack of an app (see {@link checkStack}). */
export function checkApp(app: App, options: HardenedDockerChecksOptions = {}): Finding[] {
  const checked = parseOptions(app, options);
  return stacksOf(app).flatMap((stack) => checkStack(stack, checked));
}

function stacksOf(app: IConstruct): TerraformStack[] {
  return app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

function parseOptions(
  scope: IConstruct,
  options: HardenedDockerChecksOptions,
): HardenedDockerChecksOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    throw new HardenedDockerValidationError(
      problemsFromZod(scope.node.path || "(app)", result.error, options, "HardenedDockerChecks"),
    );
  }
  const trustedRegistries = options.trustedRegistries ?? trustedRegistriesFromContext(scope);
  const policy =
    typeof options.policy === "string" ? loadTeamPolicy(options.policy) : options.policy;
  return {
    ...options,
    ...(trustedRegistries !== undefined ? { trustedRegistries } : {}),
    ...(policy !== undefined ? { policy } : {}),
  };
}

function annotate(
  stack: TerraformStack,
  findings: readonly Finding[],
  options: HardenedDockerChecksOptions,
): void {
  const failOn = options.failOn ?? "error";
  const byPath = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) byPath.set(c.node.path, c);
  for (const f of findings) {
    if (f.status !== "fail" && f.status !== "unknown") continue;
    const target =
      (f.constructPath !== undefined ? byPath.get(f.constructPath) : undefined) ?? stack;
    const where = f.constructPath ?? `${stack.node.path}: ${f.resource}`;
    const text =
      `[${f.ruleId}] ${where}: ${f.status === "unknown" ? "could not be determined: " : ""}` +
      `${f.message}. Fix: ${f.remediation}`;
    const blocks =
      isAtLeast(f.level, failOn) && (f.status === "fail" || options.allowUnknown !== true);
    const type = blocks
      ? AnnotationMetadataEntryType.ERROR
      : f.level === "info" && f.status === "fail"
        ? AnnotationMetadataEntryType.INFO
        : AnnotationMetadataEntryType.WARN;
    // What Annotations.of(target).addError/addWarning/addInfo record, minus the stack trace
    // (it would point into this library, not at the user's code; the construct path does).
    target.node.addMetadata(type, text, { stackTrace: false });
  }
}
