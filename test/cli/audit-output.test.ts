import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Log } from "sarif";
import { FIXTURES, hasStackTrace, runCli } from "./cli-harness";

/**
 * A CI job uploads what the audit wrote: the file must never be empty. `--output` writes the
 * report whole; with `--format sarif`, an audit that cannot run (exit 2) still writes a valid SARIF
 * log, to `--output` or to stdout (a shell redirect), that says why.
 */

const hardened = join(FIXTURES, "hardened", "cdk.tf.json");
const privileged = join(FIXTURES, "privileged", "cdk.tf.json");

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-audit-output-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sarifAt(file: string): Log {
  return JSON.parse(readFileSync(file, "utf8")) as Log;
}

describe("hardened-docker audit --output", () => {
  it("writes the report to the file, not stdout, and keeps the exit code", async () => {
    const out = join(dir, "report.sarif");
    const result = await runCli([
      "audit",
      "--synth",
      privileged,
      "--format",
      "sarif",
      "--output",
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const log = sarifAt(out);
    expect(log.runs[0]?.results?.some((r) => r.ruleId === "CIS-5.5")).toBe(true);
    expect(readdirSync(dir)).toEqual(["report.sarif"]); // no temporary file left
  });

  it("on exit 2 with --format sarif writes a SARIF run with the reason as an error notification", async () => {
    const out = join(dir, "report.sarif");
    const missing = join(dir, "no-such-cdktf.out");
    const result = await runCli([
      "audit",
      "--synth",
      missing,
      "--format",
      "sarif",
      "--output",
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^hardened-docker: .*no-such-cdktf\.out/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const log = sarifAt(out);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]?.results).toEqual([]);
    const invocation = log.runs[0]?.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications?.[0]?.level).toBe("error");
    expect(invocation?.toolExecutionNotifications?.[0]?.message.text).toContain(
      "no-such-cdktf.out",
    );
  });

  it("on exit 2 with --format sarif and no --output, prints that SARIF run (a redirect is never empty)", async () => {
    const result = await runCli(["audit", "--synth", join(dir, "missing"), "--format", "sarif"]);
    expect(result.code).toBe(2);
    const log = JSON.parse(result.stdout) as Log;
    expect(log.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(false);
  });

  it("on exit 2 in text format writes no file at all rather than an empty one", async () => {
    const out = join(dir, "report.txt");
    const result = await runCli(["audit", "--synth", join(dir, "missing"), "--output", out]);
    expect(result.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("a clean stack gives exit 0 and the whole report in the file", async () => {
    const out = join(dir, "report.txt");
    const result = await runCli(["audit", "--synth", hardened, "--output", out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("Result: no blocking findings");
  });

  it("an unwritable --output is exit 2 with one line naming the file", async () => {
    const out = join(dir, "no-such-folder", "report.sarif");
    const result = await runCli(["audit", "--synth", hardened, "--output", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hardened-docker: --output .*no-such-folder.*cannot write/);
  });
});
