import { execFileSync, spawnSync } from "child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "fs";
import { load } from "js-yaml";
import { tmpdir } from "os";
import { join } from "path";
import { App } from "cdktf";
import { defaultExpiry, WebServiceStack, WorkerStack } from "../../examples";

/**
 * The CI gate in examples/ci/: each workflow file is valid YAML with the steps docs/ci.md
 * describes, and the audit command line both run, word for word, gives the documented exit code
 * and a SARIF 2.1.0 report against synthesized stacks, in a project where `npx hardened-docker`
 * is this repository's compiled CLI (as `npm ci` installs the package's bin).
 */

const ROOT = join(__dirname, "..", "..");
const CI = join(ROOT, "examples", "ci");
const MAIN = join(ROOT, "dist", "lib", "cli", "main.js");
const IMAGE = `registry.example.com/team/app@sha256:${"ab".repeat(32)}`;

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
}

const github = load(readFileSync(join(CI, "github-actions.yml"), "utf8")) as {
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};
const gitlab = load(readFileSync(join(CI, "gitlab-ci.yml"), "utf8")) as Record<
  string,
  { script: string[]; artifacts: { when: string; paths: string[] } }
>;

const steps = Object.values(github.jobs)[0].steps;
const auditStep = steps.find((s) => s.id === "audit") as Step;
const auditLine = (auditStep.run ?? "").split("\n").find((l) => /hardened-docker audit/.test(l));
const gitlabAuditLine = gitlab["hardened-docker"].script.find((l) =>
  /hardened-docker audit/.test(l),
);

let work = "";

/** A consumer project with `cdktf.out` copied or synthesized into it and the CLI as its bin. */
function project(name: string, fill: (outdir: string) => void): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true }));
  const bin = join(dir, "node_modules", ".bin", "hardened-docker");
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(bin, 0o755);
  fill(join(dir, "cdktf.out"));
  return dir;
}

/** Runs a shell script as the CI runner does, with GITHUB_OUTPUT pointing at a file. */
function runScript(script: string, cwd: string): { code: number | null; outputs: string } {
  const outputs = join(cwd, "github-output");
  writeFileSync(outputs, "");
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GITHUB_OUTPUT: outputs, npm_config_yes: "false" },
  });
  return { code: result.status, outputs: readFileSync(outputs, "utf8") };
}

function sarifOf(dir: string): { version: string; runs: { results: { level: string }[] }[] } {
  return JSON.parse(readFileSync(join(dir, "hardened-docker.sarif"), "utf8")) as {
    version: string;
    runs: { results: { level: string }[] }[];
  };
}

beforeAll(() => {
  if (!existsSync(MAIN)) {
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: ROOT, stdio: "pipe" },
    );
  }
  work = mkdtempSync(join(tmpdir(), "hd-ci-examples-"));
}, 180_000);

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

describe("examples/ci/github-actions.yml", () => {
  test("checks out, sets up Node 20, installs with npm ci and synthesizes with cdktf", () => {
    expect(steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
    const node = steps.find((s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ""));
    expect(node?.with?.["node-version"]).toBe(20);
    const runs = steps.map((s) => s.run?.trim());
    expect(runs.indexOf("npm ci")).toBeGreaterThan(-1);
    expect(runs.indexOf("npx cdktf synth")).toBeGreaterThan(runs.indexOf("npm ci"));
    expect(steps.indexOf(auditStep)).toBeGreaterThan(runs.indexOf("npx cdktf synth"));
  });

  test("uploads the audit's SARIF to code scanning whatever the verdict, then fails on it", () => {
    expect(auditLine).toBe(
      "npx hardened-docker audit --synth cdktf.out --format sarif --output hardened-docker.sarif",
    );
    const upload = steps.find((s) => s.uses === "github/codeql-action/upload-sarif@v3") as Step;
    expect(upload.if).toMatch(/^always\(\)/);
    expect(upload.with?.sarif_file).toBe("hardened-docker.sarif");
    expect(github.permissions["security-events"]).toBe("write");
    const last = steps[steps.length - 1];
    expect(steps.indexOf(last)).toBeGreaterThan(steps.indexOf(upload));
    expect(last.if).toContain("steps.audit.outputs.exit-code != '0'");
    expect(last.run).toMatch(/exit 1\s*$/);
  });
});

describe("examples/ci/gitlab-ci.yml", () => {
  test("runs the same audit command after synth and keeps the SARIF even when the job fails", () => {
    const job = gitlab["hardened-docker"];
    expect(gitlabAuditLine).toBe(auditLine);
    expect(job.script.indexOf("npx cdktf synth")).toBeGreaterThan(job.script.indexOf("npm ci"));
    expect(job.script.indexOf(gitlabAuditLine as string)).toBeGreaterThan(
      job.script.indexOf("npx cdktf synth"),
    );
    expect(job.artifacts.when).toBe("always");
    expect(job.artifacts.paths).toEqual(["hardened-docker.sarif"]);
  });
});

describe("the audit command of both workflows, run as written", () => {
  test("exits 0 with a SARIF 2.1.0 report for the templates' synthesized stacks", () => {
    const dir = project("compliant", (outdir) => {
      const app = new App({ outdir });
      const expires = defaultExpiry();
      new WebServiceStack(app, "web-service", { image: IMAGE, expires });
      new WorkerStack(app, "worker", { image: IMAGE, expires });
      app.synth();
    });
    const { code } = runScript(auditLine as string, dir);
    expect(code).toBe(0);
    const sarif = sarifOf(dir);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.filter((r) => r.level === "error")).toEqual([]);
  }, 60_000);

  test("exits 1 with the blocking findings in the SARIF for an insecure stack", () => {
    const dir = project("insecure", (outdir) =>
      cpSync(join(ROOT, "test", "cli", "fixtures", "two-stacks-out"), outdir, {
        recursive: true,
      }),
    );
    const { code } = runScript(auditLine as string, dir);
    expect(code).toBe(1);
    const sarif = sarifOf(dir);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.some((r) => r.level === "error")).toBe(true);
  }, 60_000);

  test("the GitHub step records the exit code for the final step instead of stopping", () => {
    const dir = project("step", (outdir) =>
      cpSync(join(ROOT, "test", "cli", "fixtures", "two-stacks-out"), outdir, {
        recursive: true,
      }),
    );
    const { code, outputs } = runScript(auditStep.run as string, dir);
    expect(code).toBe(0);
    expect(outputs.trim()).toBe("exit-code=1");
    expect(sarifOf(dir).version).toBe("2.1.0");
  }, 60_000);

  test("exits 2 when there is nothing synthesized to read, still leaving a SARIF run saying why", () => {
    const dir = project("empty", () => undefined);
    expect(runScript(auditLine as string, dir).code).toBe(2);
    const sarif = JSON.parse(readFileSync(join(dir, "hardened-docker.sarif"), "utf8")) as {
      version: string;
      runs: {
        results: unknown[];
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { level: string }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].level).toBe("error");
  }, 60_000);
});
