import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { fixedClock } from "../../../lib/audit/clock";
import { HardenedNetwork } from "../../../lib/network/hardened-network";
import { checkStack } from "../../../lib/checks/app-checks";
import { auditStacks, stackFromObject } from "../../../lib/checks/audit-stacks";
import { Finding } from "../../../lib/policy/findings";
import { Suppressions } from "../../../lib/checks/suppressions";

// Networks are judged by the same pipeline as containers, whichever way the stack is read: from
// the construct tree (checkStack, app.synth()) and from the synthesized JSON (audit --synth).

const NOW = new Date("2026-12-01T00:00:00Z");
const clock = fixedClock(NOW);
const audit = { owner: "web-team", purpose: "the web tier", expires: "2027-03-31" };

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "hd-network-pipeline-"));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

function stackWith(build: (stack: TerraformStack) => void): { app: App; stack: TerraformStack } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "web");
  new DockerProvider(stack, "docker", {});
  build(stack);
  return { app, stack };
}

function fromSynthesizedJson(app: App): Finding[] {
  app.synth();
  const json: unknown = JSON.parse(
    readFileSync(join(outdir, "stacks", "web", "cdk.tf.json"), "utf8"),
  );
  return auditStacks([stackFromObject("web", json)], { context: { now: NOW } });
}

function statusOf(findings: readonly Finding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => f.status);
}

describe("network rules in the stack pipeline", () => {
  test("an unencrypted overlay fails HD-OVERLAY-ENCRYPTED in checkStack and in the synthesized JSON", () => {
    const { app, stack } = stackWith((s) => {
      HardenedNetwork.overlay(s, "net", { encrypted: false, audit, clock });
    });
    const inTree = checkStack(stack, { clock });
    expect(statusOf(inTree, "HD-OVERLAY-ENCRYPTED")).toEqual(["fail"]);
    expect(inTree.find((f) => f.ruleId === "HD-OVERLAY-ENCRYPTED")?.level).toBe("error");
    expect(statusOf(fromSynthesizedJson(app), "HD-OVERLAY-ENCRYPTED")).toEqual(["fail"]);
  });

  test("the default overlay (encrypted) passes", () => {
    const { stack } = stackWith((s) => {
      HardenedNetwork.overlay(s, "net", { audit, clock });
    });
    expect(statusOf(checkStack(stack, { clock }), "HD-OVERLAY-ENCRYPTED")).toEqual(["pass"]);
  });

  test("Suppressions.add on the network waives it, with its reason, both ways", () => {
    const reason = "a single-node swarm: nothing crosses a wire between hosts";
    const { app, stack } = stackWith((s) => {
      const net = HardenedNetwork.overlay(s, "net", { encrypted: false, audit, clock });
      Suppressions.add(net, [{ ruleId: "HD-OVERLAY-ENCRYPTED", reason }]);
    });
    const inTree = checkStack(stack, { clock });
    expect(statusOf(inTree, "HD-OVERLAY-ENCRYPTED")).toEqual(["suppressed"]);
    const fromJson = fromSynthesizedJson(app);
    expect(statusOf(fromJson, "HD-OVERLAY-ENCRYPTED")).toEqual(["suppressed"]);
    expect(fromJson.find((f) => f.ruleId === "HD-OVERLAY-ENCRYPTED")?.suppression?.reason).toBe(
      reason,
    );
  });

  test("a suppression for another rule, or an expired one, waives nothing", () => {
    const { stack } = stackWith((s) => {
      const net = HardenedNetwork.overlay(s, "net", { encrypted: false, audit, clock });
      Suppressions.add(net, [
        { ruleId: "HD-BRIDGE-ICC", reason: "names another rule than the failing one" },
        {
          ruleId: "HD-OVERLAY-ENCRYPTED",
          reason: "expired yesterday and must not count",
          expires: "2026-11-30",
        },
      ]);
    });
    expect(statusOf(checkStack(stack, { clock }), "HD-OVERLAY-ENCRYPTED")).toEqual(["fail"]);
  });

  test("--level for a network rule reaches the network findings and leaves the container engine alone", () => {
    const { stack } = stackWith((s) => {
      HardenedNetwork.bridge(s, "net", { interContainerTraffic: true, audit, clock });
    });
    const findings = checkStack(stack, { clock, levels: { "HD-BRIDGE-ICC": "error" } });
    const icc = findings.find((f) => f.ruleId === "HD-BRIDGE-ICC");
    expect(icc?.status).toBe("fail");
    expect(icc?.level).toBe("error");
  });
});
