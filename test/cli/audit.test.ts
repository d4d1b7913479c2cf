import { join } from "path";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { FIXTURES, hasStackTrace, runCli } from "./cli-harness";

const hardened = join(FIXTURES, "hardened", "cdk.tf.json");
const privileged = join(FIXTURES, "privileged", "cdk.tf.json");
const relaxed = join(FIXTURES, "relaxed", "cdk.tf.json");
const twoStacks = join(FIXTURES, "two-stacks-out");
const LEGACY = "docker_container.legacy_container_5E6F7A8B";

function expectOneLineUsageError(result: { code: number; stdout: string; stderr: string }): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.endsWith("\n")).toBe(true);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr.startsWith("hardened-docker: ")).toBe(true);
  expect(hasStackTrace(result.stderr)).toBe(false);
}

describe("hardened-docker audit --synth (in-process)", () => {
  it("exits 0 for a hardened container, with a text report by default", async () => {
    const result = await runCli(["audit", "--synth", hardened]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("[PASS] 5.5  - ");
    expect(result.stdout).toContain("Result: no blocking findings (at level error or above)");
  });

  it("exits 1 for a privileged container and names it under CIS 5.5", async () => {
    const result = await runCli(["audit", "--synth", privileged]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("[WARN] 5.5  - "));
    expect(header).toBeGreaterThan(-1);
    expect(lines[header + 1]).toMatch(
      new RegExp(`^ {5}\\* ${LEGACY} \\(legacy/legacy/container\\): .*privileged`),
    );
    expect(result.stderr).toMatch(
      /^hardened-docker: \d+ blocking findings?: .*CIS-5\.5 docker_container\.legacy/,
    );
  });

  it("audits every stack of a cdktf.out folder, naming stack and file", async () => {
    const result = await runCli(["audit", "--synth", twoStacks, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    const privilegedFindings = report.findings.filter((f) => f.ruleId === "CIS-5.5");
    expect(privilegedFindings.map((f) => [f.stack, f.resource, f.status])).toEqual(
      expect.arrayContaining([
        ["web", "docker_container.web_container_1A2B3C4D", "pass"],
        ["legacy", LEGACY, "fail"],
      ]),
    );
    expect(privilegedFindings.find((f) => f.stack === "legacy")?.file).toBe(
      join(twoStacks, "stacks", "legacy", "cdk.tf.json"),
    );
  });

  it("honours a reasoned relaxation label as a suppression shown with its reason", async () => {
    const result = await runCli(["audit", "--synth", relaxed, "--format", "json"]);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.findings.find((f) => f.ruleId === "CIS-5.4")).toMatchObject({
      status: "suppressed",
      suppression: { reason: "the VPN sidecar must configure routes in its namespace" },
    });
    expect(result.code).toBe(0);
  });

  it("writes SARIF 2.1.0 with the failing rule as an error result", async () => {
    const result = await runCli(["audit", "--synth", privileged, "--format", "sarif"]);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string }[] }[];
    };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]?.tool.driver.name).toBe("hardened-docker");
    expect(log.runs[0]?.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: "CIS-5.5", level: "error" })]),
    );
  });

  it("changes a rule's level with --level and the threshold with --fail-on", async () => {
    const lowered = await runCli([
      "audit",
      "--synth",
      privileged,
      // Privileged mode also grants every capability and device and disables seccomp, which
      // CIS-5.4, CIS-5.18, CIS-5.22 and HD-SECCOMP-DENYLIST report (error), and unmasks /proc and
      // /sys, which HD-CONFINEMENT reports (error).
      "--level",
      "CIS-5.5=warning",
      "--level",
      "CIS-5.4=warning",
      "--level",
      "CIS-5.18=warning",
      "--level",
      "CIS-5.22=warning",
      "--level",
      "HD-SECCOMP-DENYLIST=warning",
      "--level",
      "HD-CONFINEMENT=warning",
      "--format",
      "json",
    ]);
    const report = jsonReportSchema.parse(JSON.parse(lowered.stdout));
    expect(report.findings.find((f) => f.ruleId === "CIS-5.5")).toMatchObject({
      level: "warning",
      status: "fail",
    });
    expect(report.findings.find((f) => f.ruleId === "HD-SECCOMP-DENYLIST")?.level).toBe("warning");
    expect(lowered.code).toBe(0);
    const strict = await runCli([
      "audit",
      "--synth",
      privileged,
      "--level",
      "CIS-5.5=warning",
      "--level",
      "HD-SECCOMP-DENYLIST=warning",
      "--fail-on",
      "warning",
    ]);
    expect(strict.code).toBe(1);
  });

  it("colours the text report only with --color", async () => {
    const plain = await runCli(["audit", "--synth", hardened]);
    const coloured = await runCli(["audit", "--synth", hardened, "--color"]);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(coloured.stdout).toContain("\u001b[1;32m[PASS]\u001b[0m");
  });

  it("judges a stack without any docker_container by its network alone, exit 0 (the ICC finding is a warning)", async () => {
    const result = await runCli(["audit", "--synth", join(FIXTURES, "no-containers.json")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("on 0 containers and 1 network:");
    expect(result.stdout).toMatch(
      /\[WARN\] HD-BRIDGE-ICC[^\n]*\n\s+\* docker_network\.app: com\.docker\.network\.bridge\.enable_icc is not set/,
    );
  });

  describe("exit 2 with one line on stderr", () => {
    it.each([
      ["no --synth", ["audit"], /audit needs --synth <path>/],
      ["a missing path", ["audit", "--synth", join(FIXTURES, "nope.json")], /nope\.json/],
      [
        "malformed JSON",
        ["audit", "--synth", join(FIXTURES, "malformed-json.txt")],
        /malformed-json\.txt/,
      ],
      [
        "JSON that is not Terraform",
        ["audit", "--synth", join(FIXTURES, "not-terraform.json")],
        /not-terraform\.json.*(not a Terraform JSON configuration|Terraform)/,
      ],
      ["an unknown format", ["audit", "--synth", hardened, "--format", "xml"], /xml/],
      [
        "a malformed --level",
        ["audit", "--synth", hardened, "--level", "CIS-5.5"],
        /write RULE=LEVEL/,
      ],
      [
        "a level that is not one",
        ["audit", "--synth", hardened, "--level", "CIS-5.5=fatal"],
        /"fatal" is not a level/,
      ],
      [
        "a level for an unknown rule",
        ["audit", "--synth", hardened, "--level", "CIS-9.99=error"],
        /unknown rule "CIS-9\.99"/,
      ],
      [
        "an unknown option",
        ["audit", "--synth", hardened, "--frmat", "json"],
        /unknown option '--frmat'/,
      ],
      ["no command", [], /name a command: audit/],
      ["an unknown command", ["audti"], /unknown command 'audti'/],
    ])("for %s", async (_label, argv, message) => {
      const result = await runCli(argv as string[]);
      expectOneLineUsageError(result);
      expect(result.stderr).toMatch(message as RegExp);
    });
  });

  it("prints help and exits 0 for --help", async () => {
    const result = await runCli(["audit", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--synth <path>");
    expect(result.stdout).toContain("--trusted-registry <prefix>");
  });
});

describe("--trusted-registry", () => {
  it("checks images against the allowlist (CIS 4.2), repeatable", async () => {
    const judge = async (args: string[]) => {
      const result = await runCli(["audit", "--synth", hardened, "--format", "json", ...args]);
      return jsonReportSchema
        .parse(JSON.parse(result.stdout))
        .findings.find((f) => f.ruleId === "CIS-4.2")?.status;
    };
    expect(await judge([])).toBe("not-applicable");
    expect(await judge(["--trusted-registry", "registry.example.com/"])).toBe("fail");
    expect(
      await judge([
        "--trusted-registry",
        "registry.example.com/",
        "--trusted-registry",
        "127.0.0.1:5000/hd/",
      ]),
    ).toBe("pass");
  });
});
