import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { loadSynthesizedStacks, SynthInputError } from "../../lib/synth";
import { runCli } from "../cli/cli-harness";

/** Hand-written `.tf` files and `cdktf synth --hcl` output are read, not skipped. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-hcl-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PRIVILEGED = `
variable "user" { type = string }
resource "docker_container" "web" {
  name          = "web"
  image         = "nginx@sha256:${"a".repeat(64)}"
  privileged    = true
  user          = var.user
  security_opts = ["no-new-privileges=1"]
  dynamic "mounts" {
    for_each = var.m
    content {
      type   = "bind"
      target = mounts.value
      source = "/var/run/docker.sock"
    }
  }
}
`;

async function findings(path: string) {
  const result = await runCli(["audit", "--synth", path, "--format", "json"]);
  return {
    code: result.code,
    stderr: result.stderr,
    report: result.stdout ? jsonReportSchema.parse(JSON.parse(result.stdout)) : undefined,
  };
}

function statusOf(
  report: { findings: { ruleId: string; status: string }[] } | undefined,
  ruleId: string,
) {
  return report?.findings.filter((f) => f.ruleId === ruleId).map((f) => f.status);
}

it("reads a hand-written .tf file: privileged fails, expressions and dynamic blocks are unknown", async () => {
  const file = join(dir, "main.tf");
  writeFileSync(file, PRIVILEGED);
  const { code, report } = await findings(file);
  expect(code).toBe(1);
  expect(statusOf(report, "CIS-5.5")).toEqual(["fail"]);
  expect(statusOf(report, "CIS-4.1")).toEqual(["unknown"]);
  expect(statusOf(report, "CIS-5.32")).toEqual(["unknown"]);
  expect(statusOf(report, "CIS-5.26")).toEqual(["pass"]);
});

it("reads the .tf files of a stack folder beside cdk.tf.json", async () => {
  const folder = join(dir, "stacks", "web");
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, "cdk.tf.json"),
    readFileSync(join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json")),
  );
  writeFileSync(join(folder, "extra.tf"), PRIVILEGED);
  const { report } = await findings(dir);
  expect(
    report?.findings.some(
      (f) => f.ruleId === "CIS-5.5" && f.resource === "docker_container.web" && f.status === "fail",
    ),
  ).toBe(true);
  // The synchronous reader (the app checks) refuses what it cannot read.
  expect(() => loadSynthesizedStacks(dir)).toThrow(SynthInputError);
});

it("refuses HCL that does not parse, in one line and without quoting it", async () => {
  const file = join(dir, "bad.tf");
  writeFileSync(file, 'resource "docker_container" "x" { TOPSECRET = = }');
  const { code, stderr } = await findings(file);
  expect(code).toBe(2);
  expect(stderr).toMatch(/bad\.tf: not valid HCL/);
  expect(stderr).not.toContain("TOPSECRET");
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
});

describe("cdktf synth --hcl of a fully hardened stack", () => {
  test("passes CIS-5.29: the PIDs-limit step is read in hcl2json's array form", async () => {
    const { Testing, TerraformStack } = await import("cdktf");
    const { DockerProvider } = await import("@cdktf/provider-docker/lib/provider");
    const { HardenedContainer } = await import("../../lib");
    const { baseProps } = await import("../support/hardened-synth");
    const stack = new TerraformStack(Testing.app(), "stack");
    new DockerProvider(stack, "docker", {});
    new HardenedContainer(stack, "api", baseProps());
    const hcl = String(Testing.synthHcl(stack));
    expect(hcl).toContain('provisioner "local-exec"');
    const file = join(dir, "main.tf");
    writeFileSync(file, hcl);
    const { report } = await findings(file);
    const pids = report?.findings.find((f) => f.ruleId === "CIS-5.29");
    expect(pids).toMatchObject({ status: "pass" });
  });
});
