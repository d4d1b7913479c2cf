import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { checkStack } from "../../lib/checks/app-checks";
import { Suppressions } from "../../lib/checks/suppressions";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { runCli } from "../cli/cli-harness";

/** One verdict per stack: `Suppressions.add` holds in `audit --synth` of the synthesized JSON. */

const REASON = "the legacy agent sizes its own heap until it is replaced in Q3";
// CIS-5.11 (no memory limit) fails on the raw container and is waivable; privileged mode
// (CIS-5.5) is not waivable under the default team policy.
const RULE = "CIS-5.11";
const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "hd-carry-"));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

function synthesized(suppress: (stack: TerraformStack, container: Container) => void): {
  stack: TerraformStack;
  out: string;
} {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "web");
  new DockerProvider(stack, "docker");
  const container = new Container(stack, "agent", {
    name: "agent",
    image: IMAGE,
  });
  suppress(stack, container);
  app.synth();
  return { stack, out: outdir };
}

async function auditStatus(out: string, ruleId: string) {
  const result = await runCli(["audit", "--synth", out, "--format", "json"]);
  const report = jsonReportSchema.parse(JSON.parse(result.stdout));
  return report.findings.filter((f) => f.ruleId === ruleId);
}

it("a suppression on the container is suppressed in checkStack and in audit --synth alike", async () => {
  const { stack, out } = synthesized((_, c) =>
    Suppressions.add(c, [{ ruleId: RULE, reason: REASON }]),
  );
  expect(checkStack(stack).find((f) => f.ruleId === RULE)?.status).toBe("suppressed");
  const [finding] = await auditStatus(out, RULE);
  expect(finding?.status).toBe("suppressed");
  // Read back from the "//" carrier the construct wrote on the resource: it sits there alone.
  expect(finding?.suppression).toMatchObject({
    reason: REASON,
    source: "carrier",
    scope: "docker_container.agent",
  });
});

it("a suppression on the stack reaches the container in the JSON", async () => {
  const { out } = synthesized((stack) =>
    Suppressions.add(stack, [{ ruleId: RULE, reason: REASON }]),
  );
  expect((await auditStatus(out, RULE))[0]?.status).toBe("suppressed");
});

it("an expired carried suppression does not suppress", async () => {
  const { out } = synthesized((_, c) =>
    Suppressions.add(c, [{ ruleId: RULE, reason: REASON, expires: "2020-01-01" }]),
  );
  expect((await auditStatus(out, RULE))[0]?.status).toBe("fail");
  expect((await auditStatus(out, "HD-SUPPRESSION-EXPIRED")).length).toBe(1);
});

it("a hand-written carried entry without a valid reason suppresses nothing", async () => {
  const { out } = synthesized(() => undefined);
  const file = join(out, "stacks", "web", "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    resource: { docker_container: Record<string, { "//": Record<string, unknown> }> };
  };
  const body = Object.values(json.resource.docker_container)[0];
  if (body === undefined) throw new Error("no container synthesized");
  body["//"]["hardened-docker"] = { suppressions: [{ ruleId: RULE, reason: "x" }] };
  writeFileSync(file, JSON.stringify(json));
  expect((await auditStatus(out, RULE))[0]?.status).toBe("fail");
});
