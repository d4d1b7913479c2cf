import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing, TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Container } from "@cdktf/provider-docker/lib/container";
import { HardenedContainer } from "../../lib";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { MAX_PROP_TEXT_CHARS } from "../../lib/validation/schema-helpers";
import { runCli } from "../cli/cli-harness";
import { baseProps, validationErrorOf } from "../support/hardened-synth";
import { PINNED } from "../policy/rules/support/policy-harness";

/**
 * What synth writes, the gate reads: a HardenedContainer refuses a text prop beyond its bound,
 * and `audit --synth` reads a stack holding one at the bound, or a raw container with a
 * ten-million-character command (which its JSON tokenizer once overflowed the stack on).
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-bounds-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function auditStack(stack: TerraformStack, name: string) {
  const file = join(dir, `${name}.tf.json`);
  writeFileSync(file, Testing.synth(stack));
  const result = await runCli(["audit", "--synth", file, "--format", "json"]);
  expect(result.code).not.toBe(2); // 2: the input could not be read
  expect(result.stderr).not.toMatch(/not valid|Maximum call stack|cannot read/);
  return jsonReportSchema.parse(JSON.parse(result.stdout));
}

function stackWith(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "stack");
  new DockerProvider(stack, "docker", {});
  build(stack);
  return stack;
}

describe("HardenedContainer text bounds, and the gate reading what synth writes", () => {
  test("a command at the bound synthesizes and audit --synth reads it", async () => {
    const stack = stackWith(
      (s) =>
        new HardenedContainer(s, "api", baseProps({ command: ["x".repeat(MAX_PROP_TEXT_CHARS)] })),
    );
    const report = await auditStack(stack, "at-bound");
    const findings = report.findings.filter((f) => f.resource.startsWith("docker_container."));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.ruleId === "HD-INPUT")).toBe(false);
  });

  test.each([
    ["command", { command: ["x".repeat(MAX_PROP_TEXT_CHARS), "y"] }],
    ["entrypoint", { entrypoint: ["x".repeat(MAX_PROP_TEXT_CHARS + 1)] }],
    ["env", { env: { A: "x".repeat(MAX_PROP_TEXT_CHARS), B: "y" } }],
    ["labels", { labels: { "team.note": "x".repeat(MAX_PROP_TEXT_CHARS + 1) } }],
  ])("%s beyond the bound is refused at synth with path, field, value and fix", (field, props) => {
    const error = validationErrorOf(() =>
      stackWith((s) => new HardenedContainer(s, "api", baseProps(props))),
    );
    const problem = error.problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    expect(problem?.constructPath).toBe("stack/api");
    expect(problem?.message).toMatch(
      /at most 1,048,576 characters.*mount a script or a config file/,
    );
    expect(error.message).toMatch(new RegExp(`stack/api: ${field} = .{10,}\\.\\.\\.: `));
  });

  test("a raw container with a 10,000,000-character command is read, not refused", async () => {
    const stack = stackWith(
      (s) =>
        new Container(s, "raw", {
          name: "raw",
          image: PINNED,
          command: ["x".repeat(10_000_000), 'say "' + "\\".repeat(1_000_000) + '"'],
        }),
    );
    const report = await auditStack(stack, "ten-million");
    expect(report.findings.some((f) => f.ruleId === "CIS-5.29" && f.status === "fail")).toBe(true);
    expect(report.findings.some((f) => f.ruleId === "HD-INPUT")).toBe(false);
  });
});
