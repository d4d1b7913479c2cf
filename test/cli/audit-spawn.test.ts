import { execFileSync, spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { FIXTURES, hasStackTrace } from "./cli-harness";

const ROOT = join(__dirname, "..", "..");
const MAIN = join(ROOT, "dist", "lib", "cli", "main.js");

/** Runs the compiled CLI as a user would (`npm test` builds dist/ first; build here if not). */
function cli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(MAIN)) {
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", ROOT],
      {
        stdio: "pipe",
      },
    );
  }
}, 180_000);

/**
 * Runs the CLI with a reader that has already gone, as `hardened-docker ... | head -1` does once
 * head has its line: stdout is a pipe whose read end is closed, so every write fails with EPIPE.
 */
function cliIntoClosedPipe(
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("the compiled hardened-docker CLI", () => {
  // `audit --format json | head` crashed: "Error: write EPIPE" with a stack trace, exit 1.
  it("exits quietly with its own code when the reader of its output goes away (EPIPE)", async () => {
    const result = await cliIntoClosedPipe([
      "audit",
      "--synth",
      join(FIXTURES, "privileged", "cdk.tf.json"),
      "--format",
      "json",
    ]);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(1); // the fixture's blocking findings, as without the pipe
  });

  it("starts with a node shebang, as package.json's bin needs", () => {
    expect(readFileSync(MAIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("exits 0 on a hardened stack", () => {
    const result = cli(["audit", "--synth", join(FIXTURES, "hardened", "cdk.tf.json")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("[PASS] 5.5  - ");
  });

  it("exits 1 on a privileged container, reporting it", () => {
    const result = cli(["audit", "--synth", join(FIXTURES, "two-stacks-out"), "--format", "sarif"]);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toContain("CIS-5.5");
  });

  it("exits 2 with one line and no stack trace on unreadable input", () => {
    for (const input of ["malformed-json.txt", "not-terraform.json", "does-not-exist"]) {
      const result = cli(["audit", "--synth", join(FIXTURES, input)]);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
  });

  it("prints its version from package.json", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = cli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it("loads neither cdktf, the HCL parser nor the YAML reader for a command that does not need them", () => {
    // Loading the HCL parser compiles its WebAssembly (about 0.5 s) and cdktf is about 0.15 s:
    // the start-up that the host audit's speed is mostly made of.
    const loaded = (args: readonly string[], expectedCode = 0): string[] => {
      const script = [
        `const { run } = require(${JSON.stringify(MAIN)});`,
        "const quiet = { write: () => true };",
        `run(${JSON.stringify(args)}, { stdout: quiet, stderr: quiet }).then((code) => {`,
        "  process.stdout.write(JSON.stringify({ code, modules: Object.keys(require.cache) }));",
        "});",
      ].join("\n");
      const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
      const parsed = JSON.parse(out) as { code: number; modules: string[] };
      // The command ran to its end (an argument error would load nothing and prove nothing); the
      // .tf control's loose container fails the audit (1).
      expect([args, parsed.code]).toEqual([args, expectedCode]);
      return parsed.modules.map((m) => m.split("/node_modules/").pop() ?? m);
    };
    const heavy = (m: string) => /^(cdktf|@cdktf\/hcl2json|js-yaml)\//.test(m);
    expect(loaded(["--version"]).filter(heavy)).toEqual([]);
    expect(
      loaded(["audit", "--synth", join(FIXTURES, "hardened", "cdk.tf.json")]).filter(heavy),
    ).toEqual([]);
    // The control: the same check sees the HCL parser once a .tf file is read.
    const dir = mkdtempSync(join(tmpdir(), "hd-startup-"));
    try {
      writeFileSync(
        join(dir, "main.tf"),
        'resource "docker_container" "web" {\n  name  = "web"\n  image = "busybox"\n}\n',
      );
      expect(loaded(["audit", "--synth", join(dir, "main.tf")], 1)).toContain(
        "@cdktf/hcl2json/lib/index.js",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
