import { readFileSync } from "fs";
import { join } from "path";
import { TerraformStack, Testing, DataResource } from "cdktf";
import { Construct } from "constructs";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Container, ContainerConfig } from "@cdktf/provider-docker/lib/container";
import { pidsLimitCommand } from "../../../../lib/container/pids-limit-step";
import { modelsFromTerraformJson } from "../../../../lib/synth/terraform-json";
import { ContainerModel } from "../../../../lib/policy/model";
import { Rule, RuleContext, Verdict } from "../../../../lib/policy/rule";

/** Helpers for the rule and adapter tests: raw `Container` synthesis and hand-written fixtures. */

export const NOW = new Date("2026-03-15T12:00:00Z");
export const CONTEXT: RuleContext = { now: NOW };
export const DIGEST = "sha256:" + "ab".repeat(32);
export const PINNED = `registry.example.com/payments/api@${DIGEST}`;

const FIXTURES = join(__dirname, "..", "..", "..", "fixtures", "terraform");

export type Json = Record<string, unknown>;

/** A hand-written fixture from test/fixtures/terraform, freshly parsed (safe to mutate). */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as Json;
}

/** The body of `resource.docker_container.<name>` in a stack JSON (mutable). */
export function containerBody(stack: Json, name?: string): Json {
  const containers = (stack.resource as Json).docker_container as Json;
  return containers[name ?? Object.keys(containers)[0]] as Json;
}

/** Models of a stack JSON; fails the test when the adapter reports problems. */
export function modelsOf(stack: unknown): ContainerModel[] {
  const { models, problems } = modelsFromTerraformJson(stack);
  expect(problems).toEqual([]);
  return models;
}

/** The one model of a stack JSON. */
export function modelOf(stack: unknown, resource?: string): ContainerModel {
  const models = modelsOf(stack);
  if (resource === undefined) {
    expect(models).toHaveLength(1);
    return models[0];
  }
  const found = models.find((m) => m.resource === `docker_container.${resource}`);
  if (!found) throw new Error(`no model for docker_container.${resource}`);
  return found;
}

/**
 * The compliant fixture (test/fixtures/terraform/compliant.tf.json) with `patch` applied to its
 * container's attributes (`undefined` deletes an attribute), as a model.
 */
export function fixtureModel(patch: Json = {}, file = "compliant.tf.json"): ContainerModel {
  const stack = fixture(file);
  const body = containerBody(stack);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete body[key];
    else body[key] = value;
  }
  return modelOf(stack);
}

/** The raw Container configuration every raw-synth test starts from: compliant with every rule. */
export function compliantConfig(): ContainerConfig {
  return {
    name: "raw",
    image: PINNED,
    user: "10001:10001",
    privileged: false,
    capabilities: { drop: ["ALL"], add: [] },
    securityOpts: ["no-new-privileges:true"],
    readOnly: true,
    tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
    memory: 256,
    memorySwap: 256,
    cpus: "0.5",
    cpuShares: 512,
    ulimit: [{ name: "nofile", soft: 1024, hard: 1024 }],
    restart: "on-failure",
    maxRetryCount: 3,
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    healthcheck: { test: ["CMD", "/bin/healthcheck"], interval: "30s" },
    ports: [{ internal: 8080, external: 18080, ip: "127.0.0.1" }],
    networkMode: "none",
    labels: [
      { label: "io.hardened-docker.owner", value: "payments-team" },
      { label: "io.hardened-docker.purpose", value: "tests" },
      { label: "io.hardened-docker.expires", value: "2026-06-30" },
    ],
  };
}

/** Options of {@link synthRaw}. */
export interface RawOptions {
  /** Attributes merged over {@link compliantConfig} (`undefined` removes one). */
  readonly config?: Partial<ContainerConfig>;
  /** Add the PIDs-limit `terraform_data` step for this limit. @default 128 */
  readonly pidsLimit?: number | false;
  /** Called with the container before synthesis (escape hatches, variables). */
  readonly customize?: (container: Container, stack: Construct) => void;
}

/** Synthesizes one raw `Container` with cdktf and returns the parsed stack JSON. */
export function synthRawJson(options: RawOptions = {}): Json {
  const stack = new TerraformStack(Testing.app(), "raw-stack");
  new DockerProvider(stack, "docker", {});
  const config: Json = { ...compliantConfig() };
  for (const [key, value] of Object.entries(options.config ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  const container = new Container(stack, "raw", config as unknown as ContainerConfig);
  const limit = options.pidsLimit ?? 128;
  if (limit !== false) {
    new DataResource(stack, "raw-pids", {
      input: { container_id: container.id, pids_limit: limit },
      triggersReplace: { container_id: container.id },
      provisioners: [{ type: "local-exec", command: pidsLimitCommand(limit, container.id) }],
    });
  }
  options.customize?.(container, stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

/** The model of one synthesized raw `Container`. */
export function rawModel(options: RawOptions = {}): ContainerModel {
  return modelOf(synthRawJson(options));
}

/** A rule's verdict. */
export function check(
  rule: Rule,
  model: ContainerModel,
  context: Partial<RuleContext> = {},
): Verdict {
  return rule.check(model, { ...CONTEXT, ...context });
}

/** One configuration and the verdict a rule must give it. */
export interface RuleCase {
  /** What the configuration is, e.g. "privileged: true". */
  readonly name: string;
  /** The configuration as a raw `Container` (synthesized with cdktf). */
  readonly raw?: RawOptions;
  /** The configuration as a patch of the hand-written compliant fixture. */
  readonly tf?: Json;
  readonly status: Verdict["status"];
  /** What the verdict's message must say. */
  readonly message?: RegExp;
  readonly context?: Partial<RuleContext>;
}

/**
 * Checks each case through both inputs it names: a synthesized raw `Container` and a patched
 * hand-written fixture. Every case must name at least one of them.
 */
export function ruleCases(rule: Rule, cases: readonly RuleCase[]): void {
  for (const c of cases) {
    if (c.raw === undefined && c.tf === undefined) throw new Error(`case "${c.name}" has no input`);
    if (c.raw !== undefined) {
      const raw = c.raw;
      it(`${c.status}: ${c.name} (raw Container)`, () => {
        const verdict = check(rule, rawModel(raw), c.context);
        expect(verdict.status).toBe(c.status);
        if (c.message) expect(verdict.message).toMatch(c.message);
      });
    }
    if (c.tf !== undefined) {
      const tf = c.tf;
      it(`${c.status}: ${c.name} (Terraform JSON fixture)`, () => {
        const verdict = check(rule, fixtureModel(tf), c.context);
        expect(verdict.status).toBe(c.status);
        if (c.message) expect(verdict.message).toMatch(c.message);
      });
    }
  }
}
