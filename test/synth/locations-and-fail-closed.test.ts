import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import type { Log } from "sarif";
import { HardenedDockerChecks } from "../../lib/checks/app-checks";
import { runCli } from "../cli/cli-harness";

const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;

let dir: string;
const savedContinue = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-locations-"));
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedContinue !== undefined) {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = savedContinue;
  }
  jest.restoreAllMocks();
});

describe("SARIF results point at the file and line of the resource", () => {
  it("gives the line where the container's body starts", async () => {
    const text =
      '{\n  "resource": {\n    "docker_network": { "n": { "name": "n" } },\n' +
      '    "docker_container": {\n      "web": {\n        "name": "web",\n' +
      '        "image": "nginx",\n        "privileged": true\n      }\n    }\n  }\n}\n';
    const file = join(dir, "stack.tf.json");
    writeFileSync(file, text);
    const result = await runCli(["audit", "--synth", file, "--format", "sarif"]);
    const log = JSON.parse(result.stdout) as Log;
    const privileged = log.runs[0]?.results?.find((r) => r.ruleId === "CIS-5.5");
    const physical = privileged?.locations?.[0]?.physicalLocation;
    expect(physical?.region?.startLine).toBe(5);
    // Outside the working directory: an absolute file: URI (inside it, a relative one).
    expect(physical?.artifactLocation?.uri).toBe(`file://${file}`);
  });
});

describe("app.synth() fails closed on unknowns", () => {
  function app(options: { allowUnknown?: boolean } = {}): App {
    const a = new App({ outdir: dir });
    HardenedDockerChecks.applyTo(a, { rules: undefined, ...options });
    const stack = new TerraformStack(a, "web");
    new DockerProvider(stack, "docker");
    const c = new Container(stack, "api", { name: "api", image: IMAGE });
    c.addOverride("user", "${var.user}");
    return a;
  }

  it("fails the synth on an error-level unknown", () => {
    expect(() => app().synth()).toThrow(/CIS-4\.1/);
  });

  it("lets it through with allowUnknown and the report says so", () => {
    const a = app({ allowUnknown: true });
    try {
      a.synth();
    } catch {
      // other rules may still fail this bare container; what matters is CIS-4.1 is not an error
    }
    const report = readFileSync(join(dir, "hardened-docker", "report.txt"), "utf8");
    expect(report).toMatch(/unknown findings? (was|were) let through at level error/);
  });
});
