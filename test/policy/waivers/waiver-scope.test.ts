import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer, Relax, Suppressions } from "../../../lib";
import { checkStack, HardenedDockerChecks } from "../../../lib/checks/app-checks";
import { jsonReportSchema } from "../../../lib/policy/reports/json";
import { runCli } from "../../cli/cli-harness";
import { baseProps, TEST_NOW } from "../../support/hardened-synth";
import { fixedClock } from "../../../lib/audit/clock";

/**
 * Issue 17 §1: a waiver covers what it names, where it is written, and nothing else; the team
 * policy decides what no waiver may waive. Each verdict is read three ways: checkStack on the
 * construct tree, app.synth() with the checks, and `audit --synth` on the written output.
 */

const REASON = "binds port 80 because the legacy load balancer cannot be reconfigured";
const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;
const clock = fixedClock(TEST_NOW);

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "hd-waiver-scope-"));
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

async function audited(ruleId: string, extra: readonly string[] = []) {
  const result = await runCli(["audit", "--synth", outdir, "--format", "json", ...extra]);
  const report = jsonReportSchema.parse(JSON.parse(result.stdout));
  return { report, findings: report.findings.filter((f) => f.ruleId === ruleId) };
}

describe("a relaxation waives only the values it names", () => {
  function relaxedPlusOverride(withUnrelatedSuppression: boolean, dir = outdir) {
    const app = new App({ outdir: dir });
    const stack = new TerraformStack(app, "web");
    new DockerProvider(stack, "docker");
    const web = new HardenedContainer(
      stack,
      "api",
      baseProps({ relaxations: [Relax.addCapabilities(["NET_BIND_SERVICE"], REASON)] }),
    );
    web.container.addOverride("capabilities.add", ["NET_BIND_SERVICE", "SYS_ADMIN"]);
    if (withUnrelatedSuppression) {
      Suppressions.add(stack, [
        { ruleId: "CIS-5.12", reason: "the CPU weight is set by the platform scheduler here" },
      ]);
    }
    return { app, stack };
  }

  it.each([false, true])(
    "SYS_ADMIN added by addOverride fails CIS-5.4 (unrelated suppression: %s)",
    async (unrelated) => {
      const { app, stack } = relaxedPlusOverride(unrelated);
      expect(checkStack(stack, { clock }).find((f) => f.ruleId === "CIS-5.4")?.status).toBe("fail");
      app.synth(); // without the checks: what audit --synth reads
      const gated = relaxedPlusOverride(unrelated, join(outdir, "gated")).app;
      HardenedDockerChecks.applyTo(gated, { clock });
      expect(() => gated.synth()).toThrow(/CIS-5\.4/);
      const { findings } = await audited("CIS-5.4");
      expect(findings.map((f) => f.status)).toEqual(["fail"]);
      expect(findings[0]?.message).toContain('not covered: capability "SYS_ADMIN"');
    },
  );

  it("the relaxation is listed with its reason in every report, even when its rule passes", async () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "web");
    new DockerProvider(stack, "docker");
    new HardenedContainer(
      stack,
      "api",
      baseProps({
        relaxations: [
          Relax.addCapabilities(["NET_BIND_SERVICE"], REASON),
          Relax.writableBindMount(["/var/cache/app"], "the cache survives restarts on the node"),
        ],
        mounts: [{ source: "/srv/cache", target: "/var/cache/app", readOnly: false }],
      }),
    );
    HardenedDockerChecks.applyTo(app, { clock });
    app.synth();
    const reports = HardenedDockerChecks.reportsOf(app);
    if (reports === undefined) throw new Error("no reports written");
    const text = readFileSync(reports.text, "utf8");
    expect(text.split("\n").slice(1, 2)[0]).toMatch(/^## Waivers honoured: /);
    expect(text).toContain(REASON);
    expect(text).toContain("the cache survives restarts on the node");
    const json = jsonReportSchema.parse(JSON.parse(readFileSync(reports.json, "utf8")));
    expect(Object.keys(json)[2]).toBe("waivers");
    expect(json.waivers?.honoured.map((w) => w.reason)).toEqual(
      expect.arrayContaining([REASON, "the cache survives restarts on the node"]),
    );
    const sarif = JSON.parse(readFileSync(reports.sarif, "utf8")) as {
      runs: { properties: { waivers: { honoured: { reason: string }[] } } }[];
    };
    expect(sarif.runs[0]?.properties.waivers.honoured.map((w) => w.reason)).toContain(REASON);
    const cli = await runCli(["audit", "--synth", outdir]);
    expect(cli.stdout).toContain("the cache survives restarts on the node");
  });
});

describe("a // carrier applies to the resource it is written on alone", () => {
  function handWrittenCarrier(ruleIds: readonly string[]): void {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "web");
    new DockerProvider(stack, "docker");
    new Container(stack, "agent", {
      name: "agent",
      image: IMAGE,
      privileged: true,
      capabilities: { add: ["SYS_ADMIN"] },
    });
    new Network(stack, "net", { name: "net" });
    app.synth();
    const file = join(outdir, "stacks", "web", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as {
      resource: { docker_network: Record<string, Record<string, unknown>> };
    };
    const network = Object.values(json.resource.docker_network)[0] as Record<string, unknown>;
    network["//"] = {
      metadata: { path: "" },
      "hardened-docker": {
        suppressions: ruleIds.map((ruleId) => ({ ruleId, reason: REASON })),
      },
    };
    writeFileSync(file, JSON.stringify(json));
  }

  it("a carrier on a docker_network with path '' waives nothing on the containers", async () => {
    handWrittenCarrier(["CIS-5.5", "CIS-5.32", "CIS-5.4"]);
    for (const ruleId of ["CIS-5.5", "CIS-5.4"]) {
      const { findings } = await audited(ruleId);
      expect(findings.map((f) => [f.resource, f.status])).toEqual([
        ["docker_container.agent", "fail"],
      ]);
    }
  });
});

describe("the team policy", () => {
  function privilegedSuppressed(): TerraformStack {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "web");
    new DockerProvider(stack, "docker");
    const agent = new Container(stack, "agent", { name: "agent", image: IMAGE, privileged: true });
    Suppressions.add(agent, [{ ruleId: "CIS-5.5", reason: REASON }]);
    app.synth();
    return stack;
  }

  it("by default, Suppressions.add cannot waive privileged mode, and the report says it refused", async () => {
    const stack = privilegedSuppressed();
    expect(checkStack(stack).find((f) => f.ruleId === "CIS-5.5")?.status).toBe("fail");
    const { report, findings } = await audited("CIS-5.5");
    expect(findings[0]?.status).toBe("fail");
    expect(report.waivers?.refused).toEqual([
      expect.objectContaining({
        ruleId: "CIS-5.5",
        resource: "docker_container.agent",
        source: "carrier",
        why: expect.stringContaining("not waivable"),
      }),
    ]);
  });

  it("a policy file lets the team decide, and refuses too many waivers", async () => {
    privilegedSuppressed();
    const open = join(outdir, "policy.yaml");
    writeFileSync(open, "nonWaivable: []\n");
    expect((await audited("CIS-5.5", ["--policy", open])).findings[0]?.status).toBe("suppressed");
    const strict = join(outdir, "strict.json");
    writeFileSync(strict, JSON.stringify({ nonWaivable: [], maxWaivers: 0 }));
    const { findings } = await audited("HD-WAIVER-POLICY", ["--policy", strict]);
    expect(findings.map((f) => [f.status, f.level])).toEqual([["fail", "error"]]);
  });

  it("requireExpiry refuses a waiver without an expiry", async () => {
    privilegedSuppressed();
    const file = join(outdir, "policy.json");
    writeFileSync(file, JSON.stringify({ nonWaivable: [], requireExpiry: true }));
    const { report, findings } = await audited("CIS-5.5", ["--policy", file]);
    expect(findings[0]?.status).toBe("fail");
    expect(report.waivers?.refused[0]?.why).toMatch(/requires an expiry/);
  });

  it("a bad policy file is refused naming the field, the value and the fix", async () => {
    privilegedSuppressed();
    const file = join(outdir, "policy.yaml");
    writeFileSync(file, "maxWaivers: many\nnonWaivable: [privileged]\n");
    const result = await runCli(["audit", "--synth", outdir, "--policy", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('maxWaivers = "many": a whole number of waivers');
    expect(result.stderr).toContain('nonWaivable.0 = "privileged": not a rule ID');
  });

  it("HardenedDockerChecks.applyTo takes the same policy", () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "web");
    new DockerProvider(stack, "docker");
    const agent = new Container(stack, "agent", { name: "agent", image: IMAGE, privileged: true });
    Suppressions.add(agent, [{ ruleId: "CIS-5.5", reason: REASON }]);
    expect(
      checkStack(stack, { policy: { nonWaivable: [] } }).find((f) => f.ruleId === "CIS-5.5")
        ?.status,
    ).toBe("suppressed");
    expect(() => HardenedDockerChecks.applyTo(app, { policy: { maxWaivers: -1 } })).toThrow(
      /policy/,
    );
  });
});
