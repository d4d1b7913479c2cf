import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Construct } from "constructs";
import { fixedClock } from "../../../lib/audit/clock";
import {
  checkApp,
  checkStack,
  gateBypassed,
  HardenedDockerChecks,
} from "../../../lib/checks/app-checks";
import { jsonReportSchema } from "../../../lib/policy/reports/json";
import { Suppressions } from "../../../lib/checks/suppressions";
import { capAddRule, portsRule, privilegedRule } from "./models";

const rules = [privilegedRule, capAddRule, portsRule];
const REASON = "the network probe needs raw sockets until the agent is replaced";
const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;

let outdir: string;
const savedContinue = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "hd-app-checks-"));
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
  if (savedContinue === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = savedContinue;
  jest.restoreAllMocks();
});

function stackWith(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, "docker");
  return stack;
}

function rawContainer(scope: Construct, id: string, privileged = false): Container {
  return new Container(scope, id, { name: id, image: IMAGE, privileged });
}

function statusOf(findings: ReturnType<typeof checkApp>, ruleId: string, resource: string) {
  return findings.find((f) => f.ruleId === ruleId && f.resource === resource)?.status;
}

describe("checkApp / checkStack", () => {
  it("checks raw containers in every stack, including stacks created later", () => {
    const app = new App({ outdir });
    rawContainer(stackWith(app, "first"), "web", true);
    const findings1 = checkApp(app, { rules });
    rawContainer(stackWith(app, "second"), "api", true);
    const findings2 = checkApp(app, { rules });
    expect(findings1.filter((f) => f.ruleId === "CIS-5.5").map((f) => [f.stack, f.status])).toEqual(
      [["first", "fail"]],
    );
    expect(
      findings2.filter((f) => f.ruleId === "CIS-5.5").map((f) => [f.stack, f.resource, f.status]),
    ).toEqual([
      ["first", "docker_container.web", "fail"],
      ["second", "docker_container.api", "fail"],
    ]);
    expect(
      findings2.find((f) => f.stack === "second" && f.ruleId === "CIS-5.5")?.constructPath,
    ).toBe("second/api");
  });

  it("judges escape-hatch overrides: on a resource, on a nested resource and on the stack", () => {
    const app = new App({ outdir });
    const stack = stackWith(app, "shop");
    rawContainer(stack, "direct").addOverride("privileged", true);
    const group = new Construct(stack, "group");
    rawContainer(group, "nested").addOverride("capabilities.add", ["SYS_ADMIN"]);
    rawContainer(stack, "viaStack");
    stack.addOverride("resource.docker_container.viaStack.privileged", true);

    const findings = checkStack(stack, { rules });
    expect(statusOf(findings, "CIS-5.5", "docker_container.direct")).toBe("fail");
    const nested = findings.filter((f) => f.constructPath === "shop/group/nested");
    expect(nested.map((f) => [f.ruleId, f.status])).toEqual([
      ["CIS-5.5", "pass"],
      ["CIS-5.4", "fail"],
      ["CIS-5.14", "not-applicable"],
    ]);
    expect(nested[1]?.message).toContain("SYS_ADMIN");
    expect(statusOf(findings, "CIS-5.5", "docker_container.viaStack")).toBe("fail");
  });

  it("honours suppressions added on a construct above the container", () => {
    const app = new App({ outdir });
    const stack = stackWith(app, "shop");
    const group = new Construct(stack, "probe");
    rawContainer(group, "c").addOverride("capabilities.add", ["NET_RAW"]);
    Suppressions.add(group, [{ ruleId: "CIS-5.4", reason: REASON }]);
    const finding = checkStack(stack, { rules }).find((f) => f.ruleId === "CIS-5.4");
    expect(finding).toMatchObject({
      status: "suppressed",
      suppression: { reason: REASON, scope: "shop/probe" },
    });
  });

  it("reads the expiry of suppressions against the given clock", () => {
    const app = new App({ outdir });
    const stack = stackWith(app, "shop");
    const c = rawContainer(stack, "c");
    c.addOverride("capabilities.add", ["NET_RAW"]);
    Suppressions.add(c, [{ ruleId: "CIS-5.4", reason: REASON, expires: "2026-01-31" }]);
    const at = (day: string) =>
      checkStack(stack, { rules, clock: fixedClock(day) })
        .filter((f) => f.ruleId.startsWith("HD-") || f.ruleId === "CIS-5.4")
        .map((f) => [f.ruleId, f.status]);
    expect(at("2026-01-31")).toEqual([["CIS-5.4", "suppressed"]]);
    expect(at("2026-02-01")).toEqual([
      ["CIS-5.4", "fail"],
      ["HD-SUPPRESSION-EXPIRED", "fail"],
    ]);
  });

  it("refuses bad options with the field named", () => {
    const app = new App({ outdir });
    expect(() => checkApp(app, { failOn: "fatal" as never })).toThrow(
      /HardenedDockerChecks\.failOn/,
    );
  });
});

describe("HardenedDockerChecks.applyTo", () => {
  it("makes app.synth() fail on an error finding in any stack, including one added after the call", () => {
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { rules });
    rawContainer(stackWith(app, "good"), "web");
    rawContainer(stackWith(app, "late"), "api").addOverride("privileged", true);

    expect(() => app.synth()).toThrow(/\[CIS-5\.5\] late\/api: privileged is true/);
    const report = jsonReportSchema.parse(
      JSON.parse(readFileSync(join(outdir, "hardened-docker", "report.json"), "utf8")),
    );
    expect(
      report.findings.filter((f) => f.status === "fail").map((f) => [f.stack, f.resource]),
    ).toEqual([["late", "docker_container.api"]]);
    expect(existsSync(join(outdir, "hardened-docker", "report.txt"))).toBe(true);
    expect(existsSync(join(outdir, "hardened-docker", "report.sarif"))).toBe(true);
    expect(process.stderr.write).toHaveBeenCalledWith(
      expect.stringContaining("hardened-docker: 1 blocking finding (CIS-5.5 late/api)"),
    );
  });

  // cdktf's own error message suggests this variable; with it a bare app.synth() exits 0.
  it("with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS outside the cdktf CLI: warns loudly and marks every report", () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "1";
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { rules });
    rawContainer(stackWith(app, "shop"), "bad", true);
    expect(() => app.synth()).not.toThrow();

    expect(process.stderr.write).toHaveBeenCalledWith(
      expect.stringMatching(
        /WARNING: CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set.*although 1 finding blocks; nothing here was gated/,
      ),
    );
    const dir = join(outdir, "hardened-docker");
    expect(readFileSync(join(dir, "report.txt"), "utf8").split("\n")[0]).toMatch(
      /^WARNING: CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set/,
    );
    const report = jsonReportSchema.parse(
      JSON.parse(readFileSync(join(dir, "report.json"), "utf8")),
    );
    expect(report.gateBypassed).toMatch(/nothing here was gated/);
    const sarif = JSON.parse(readFileSync(join(dir, "report.sarif"), "utf8")) as {
      runs: {
        invocations?: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { level: string }[];
        }[];
      }[];
    };
    expect(sarif.runs[0]?.invocations?.[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: "error" }],
    });
  });

  it("does not mark the reports when the variable is unset or set by the cdktf CLI itself", () => {
    expect(gateBypassed(3, {})).toBeUndefined();
    expect(
      gateBypassed(3, {
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
        CDKTF_OUTDIR: "cdktf.out",
        CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
      }),
    ).toBeUndefined();
    expect(gateBypassed(0, { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "1" })).toMatch(
      /the gate is off/,
    );
  });

  it("under the cdktf CLI (errors collected, not thrown) records error annotations in the manifest", () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { rules });
    const stack = stackWith(app, "shop");
    rawContainer(stack, "bad", true);
    rawContainer(stack, "open").addOverride("ports", [{ internal: 80, external: 8080 }]);
    app.synth();

    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<
        string,
        { annotations: { constructPath: string; level: string; message: string }[] }
      >;
    };
    const annotations = manifest.stacks.shop?.annotations ?? [];
    expect(annotations.map((a) => [a.level, a.constructPath, a.message.split(":")[0]])).toEqual([
      ["@cdktf/error", "shop/bad", "[CIS-5.5] shop/bad"],
      ["@cdktf/warn", "shop/open", "[CIS-5.14] shop/open"],
    ]);
    expect(annotations[0]?.message).toContain(`Fix: ${privilegedRule.remediation}`);
    // The reports point at the synthesized stack file.
    const report = jsonReportSchema.parse(
      JSON.parse(readFileSync(join(outdir, "hardened-docker", "report.json"), "utf8")),
    );
    expect(report.findings[0]?.file).toBe(join(outdir, "stacks", "shop", "cdk.tf.json"));
    expect(existsSync(join(outdir, "stacks", "shop", "cdk.tf.json"))).toBe(true);
  });

  it("lets a suppressed finding through synth and keeps it in the reports with its reason", () => {
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { rules, reportDir: join(outdir, "custom") });
    const stack = stackWith(app, "shop");
    const c = rawContainer(stack, "probe");
    c.addOverride("capabilities.add", ["NET_RAW"]);
    Suppressions.add(c, [{ ruleId: "CIS-5.4", reason: REASON }]);
    expect(() => app.synth()).not.toThrow();
    const text = readFileSync(join(outdir, "custom", "report.txt"), "utf8");
    expect(text).toContain(`suppressed (adds NET_RAW); reason: ${REASON}`);
    expect(HardenedDockerChecks.reportsOf(app)?.json).toBe(join(outdir, "custom", "report.json"));
  });

  it("turns failOn: warning into errors for warning-level failures", () => {
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { rules, failOn: "warning" });
    rawContainer(stackWith(app, "shop"), "open").addOverride("ports", [
      { internal: 80, external: 8080 },
    ]);
    expect(() => app.synth()).toThrow(/\[CIS-5\.14\] shop\/open/);
  });

  it("refuses to be applied twice to the same app", () => {
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app);
    expect(() => HardenedDockerChecks.applyTo(app)).toThrow(/already applied/);
  });
});
