import { App, TerraformStack, Testing } from "cdktf";
import {
  CacheStack,
  InsecureRawStack,
  RelaxedLegacyStack,
  ScheduledJobStack,
  SwarmTwoTierStack,
  WebServiceStack,
  WorkerStack,
  defaultExpiry,
} from "../../../examples";
import { checkApp, checkStack, Finding, TRUSTED_REGISTRIES_CONTEXT } from "../../../lib";
import { testClock } from "../../support/hardened-synth";

type Json = Record<string, unknown>;

const IMAGE = `registry.example.com/examples/app@sha256:${"cd".repeat(32)}`;

function failing(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.status === "fail" || f.status === "unknown");
}

describe("the example stacks under the rule pack", () => {
  const app = Testing.app({ context: { [TRUSTED_REGISTRIES_CONTEXT]: ["registry.example.com/"] } });
  const expires = defaultExpiry(testClock);
  const props = { image: IMAGE, expires, clock: testClock, deployedBy: "examples-test" };
  new WebServiceStack(app as App, "web-service", props);
  new WorkerStack(app as App, "worker", props);
  new RelaxedLegacyStack(app as App, "relaxed-legacy", props);
  const job = new ScheduledJobStack(app as App, "scheduled-job", props);
  const cache = new CacheStack(app as App, "cache", props);
  new SwarmTwoTierStack(app as App, "swarm-two-tier", {
    webImage: IMAGE,
    apiImage: IMAGE,
    dbPassword: "not-a-real-password",
    expires,
    clock: testClock,
    deployedBy: "examples-test",
  });
  const findings = checkApp(app as App, { clock: testClock });
  const STACKS = [
    "web-service",
    "worker",
    "relaxed-legacy",
    "scheduled-job",
    "cache",
    "swarm-two-tier",
  ];

  test("report no unsuppressed failure and no unknown, on any of the templates", () => {
    expect(new Set(findings.map((f) => f.stack))).toEqual(new Set(STACKS));
    expect(failing(findings)).toEqual([]);
  });

  test("the Swarm template's one exception is publishing its web port on every interface", () => {
    const suppressed = findings.filter(
      (f) => f.status === "suppressed" && f.stack === "swarm-two-tier",
    );
    expect(suppressed.map((f) => f.ruleId)).toEqual(["CIS-5.14"]);
    expect(suppressed[0].suppression).toMatchObject({
      source: "relaxation",
      reason: expect.stringMatching(/.{20,}/),
    });
  });

  test("the scheduled job and the cache publish nothing; the job has no network at all", () => {
    const resources = (stack: TerraformStack) =>
      JSON.parse(Testing.synth(stack)).resource as Record<string, Record<string, Json>>;
    const [jobContainer] = Object.values(resources(job).docker_container);
    expect(jobContainer.network_mode).toBe("none");
    expect(jobContainer.ports).toBeUndefined();
    const cacheResources = resources(cache);
    const [cacheContainer] = Object.values(cacheResources.docker_container);
    expect(cacheContainer.ports).toBeUndefined();
    expect(cacheContainer.networks_advanced).toHaveLength(1);
    const [network] = Object.values(cacheResources.docker_network);
    expect(network.internal).toBe(true);
    expect(cacheContainer.tmpfs).toMatchObject({ "/data": expect.stringMatching(/noexec/) });
  });

  test("the relaxed example's two exceptions are suppressed findings with their reasons", () => {
    const suppressed = findings.filter(
      (f) => f.status === "suppressed" && f.stack === "relaxed-legacy",
    );
    expect(suppressed.map((f) => [f.stack, f.ruleId]).sort()).toEqual([
      ["relaxed-legacy", "CIS-5.8"],
      ["relaxed-legacy", "HD-TMPFS-OPTIONS"],
    ]);
    for (const f of suppressed) {
      expect(f.suppression).toMatchObject({
        source: "relaxation",
        reason: expect.stringMatching(/.{20,}/),
      });
    }
  });
});

describe("the deliberately insecure raw stack", () => {
  const stack = new InsecureRawStack(Testing.app(), "insecure", { image: "nginx:latest" });
  const findings = checkStack(stack as TerraformStack, { clock: testClock });
  const failedRules = (resource: string): string[] =>
    findings
      .filter((f) => f.resource === resource && f.status === "fail")
      .map((f) => f.ruleId)
      .sort();

  test("the privileged admin container fails every rule its shortcuts break", () => {
    const failed = failedRules("docker_container.admin");
    for (const ruleId of [
      "CIS-4.1", // root
      "CIS-4.5", // a tag, not a digest
      "CIS-5.4", // SYS_ADMIN and NET_ADMIN added, nothing dropped
      "CIS-5.5", // privileged
      "CIS-5.8", // host port 80
      "CIS-5.10", // host network
      "CIS-5.11", // no memory limit
      "CIS-5.13", // writable root filesystem
      "CIS-5.15", // restart always
      "CIS-5.16", // host PID namespace
      "CIS-5.22", // seccomp=unconfined
      "CIS-5.26", // no no-new-privileges
      "CIS-5.29", // no PIDs limit
      "CIS-5.32", // the Docker socket
      "HD-AUDIT-LABELS",
    ]) {
      expect(failed).toContain(ruleId);
    }
  });

  test("the tidy-looking app container is caught through its privileged override", () => {
    const failed = failedRules("docker_container.app");
    expect(failed).toEqual(expect.arrayContaining(["CIS-5.5", "CIS-5.14", "CIS-4.5", "CIS-5.11"]));
  });

  test("every finding names the construct that made the resource", () => {
    const paths = new Set(findings.map((f) => f.constructPath));
    expect(paths).toEqual(new Set(["insecure/admin", "insecure/app"]));
  });
});
