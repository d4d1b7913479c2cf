import fc from "fast-check";
import { modelFromInspect } from "../../../lib/host/inspect";
import { modelsFromTerraformJson } from "../../../lib/synth/terraform-json";
import { ContainerModel } from "../../../lib/policy/model";
import { DEFAULT_RULES } from "../../../lib/policy/pack";
import { RuleContext } from "../../../lib/policy/rule";
import { containerBody, fixture, Json, NOW } from "../rules/support/policy-harness";
import { compliantInspect } from "../rules/support/inspect-fixtures";

const STATUSES = ["pass", "fail", "unknown", "not-applicable"];

/** Every attribute slot the adapter reads, plus nested ones written as paths. */
const SLOTS = [
  "name",
  "image",
  "user",
  "privileged",
  "capabilities",
  "security_opts",
  "read_only",
  "tmpfs",
  "mounts",
  "volumes",
  "ports",
  "publish_all_ports",
  "network_mode",
  "networks_advanced",
  "pid_mode",
  "ipc_mode",
  "userns_mode",
  "cgroup_parent",
  "devices",
  "memory",
  "memory_swap",
  "cpus",
  "cpu_period",
  "cpu_quota",
  "cpu_shares",
  "ulimit",
  "restart",
  "max_retry_count",
  "healthcheck",
  "log_driver",
  "log_opts",
  "labels",
  "init",
  "dynamic",
  "//",
  "count",
];

const hugeString = fc
  .integer({ min: 10_000, max: 200_000 })
  .map((n) => "${".repeat(2) + "x".repeat(n));
const tokenish = fc.constantFrom(
  "${var.x}",
  "$${literal}",
  "%{ if x }",
  "${docker_image.nope.image_id}",
  "sha256:" + "a".repeat(64),
  "0",
  "-1",
  "true",
  "/etc",
  "docker.sock",
  "host",
  "NaN",
  "1e309",
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: tokenish },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, -0) },
);

function assertVerdicts(model: ContainerModel, context: RuleContext): void {
  for (const rule of DEFAULT_RULES) {
    const verdict = rule.check(model, context);
    expect(STATUSES).toContain(verdict.status);
    expect(typeof verdict.message).toBe("string");
    expect(verdict.message.length).toBeGreaterThan(0);
  }
}

const contexts = fc.record({
  now: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
  trustedRegistries: fc.option(fc.array(fc.string(), { maxLength: 3 }), { nil: undefined }),
  hostHasAppArmor: fc.option(fc.boolean(), { nil: undefined }),
  hostHasSELinux: fc.option(fc.boolean(), { nil: undefined }),
});

describe("adapters never throw and rules always give a verdict", () => {
  it("Terraform adapter: arbitrary values in every attribute slot of a compliant container", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...SLOTS), anyValue),
        contexts,
        (patch, context) => {
          const stack = fixture("compliant.tf.json");
          Object.assign(containerBody(stack), patch);
          const { models } = modelsFromTerraformJson(stack);
          // count = 0 creates no container: nothing to judge.
          const counted = (patch as { count?: unknown }).count;
          if (counted === 0 || counted === "0") {
            expect(models).toHaveLength(0);
            return;
          }
          expect(models).toHaveLength(1);
          assertVerdicts(models[0], context);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("Terraform adapter: arbitrary nested blocks", () => {
    const block = fc.dictionary(
      fc.constantFrom(
        "type",
        "source",
        "target",
        "read_only",
        "bind_options",
        "tmpfs_options",
        "host_path",
        "container_path",
        "volume_name",
        "from_container",
        "internal",
        "external",
        "ip",
        "protocol",
        "name",
        "soft",
        "hard",
        "test",
        "label",
        "value",
        "add",
        "drop",
      ),
      anyValue,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          "mounts",
          "volumes",
          "ports",
          "ulimit",
          "labels",
          "devices",
          "networks_advanced",
          "capabilities",
          "healthcheck",
        ),
        fc.array(block, { maxLength: 4 }),
        (slot, blocks) => {
          const stack = fixture("compliant.tf.json");
          containerBody(stack)[slot] = blocks;
          const { models } = modelsFromTerraformJson(stack);
          assertVerdicts(models[0], { now: NOW });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("Terraform adapter: arbitrary whole documents and resource tables", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ resource: fc.jsonValue() }),
          fc.record({
            resource: fc.record({
              docker_container: fc.dictionary(fc.string(), fc.jsonValue()),
              terraform_data: fc.dictionary(fc.string(), fc.jsonValue()),
              docker_image: fc.dictionary(fc.string(), fc.jsonValue()),
            }),
          }),
        ),
        (doc) => {
          const { models, problems } = modelsFromTerraformJson(doc);
          expect(Array.isArray(problems)).toBe(true);
          for (const model of models) assertVerdicts(model, { now: NOW });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("inspect adapter: arbitrary values in Config, HostConfig and the top level", () => {
    const keys = [
      "Image",
      "User",
      "Labels",
      "Healthcheck",
      "Privileged",
      "CapAdd",
      "CapDrop",
      "SecurityOpt",
      "ReadonlyRootfs",
      "Tmpfs",
      "Mounts",
      "PortBindings",
      "PublishAllPorts",
      "NetworkMode",
      "IpcMode",
      "PidMode",
      "UTSMode",
      "UsernsMode",
      "CgroupParent",
      "Devices",
      "Memory",
      "MemorySwap",
      "CpuShares",
      "NanoCpus",
      "CpuQuota",
      "CpuPeriod",
      "PidsLimit",
      "Ulimits",
      "RestartPolicy",
      "LogConfig",
      "Init",
    ];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys), anyValue),
        fc.dictionary(fc.constantFrom(...keys), anyValue),
        fc.dictionary(
          fc.constantFrom(
            "Name",
            "Mounts",
            "NetworkSettings",
            "AppArmorProfile",
            "Config",
            "HostConfig",
          ),
          anyValue,
        ),
        contexts,
        (config, host, top, context) => {
          const inspect = compliantInspect();
          Object.assign(inspect.Config as Json, config);
          Object.assign(inspect.HostConfig as Json, host);
          Object.assign(inspect, top);
          assertVerdicts(modelFromInspect(inspect, { processes: ["sshd"] }), context);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("inspect adapter: arbitrary documents", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        assertVerdicts(modelFromInspect(doc), { now: NOW });
      }),
      { numRuns: 200 },
    );
  });
});
