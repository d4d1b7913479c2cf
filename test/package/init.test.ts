import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The README's quick start, as a newcomer runs it, from the packed tarball in an empty folder:
 * `npx hardened-docker init`, `npm install`, `npx cdktf synth`, `npx hardened-docker audit
 * --synth cdktf.out`: each exits 0, and nothing warns. Slow (a real npm install of the whole
 * toolchain, cdktf-cli included): `npm test` runs it, `npm run test:unit` does not.
 */

const ROOT = path.resolve(__dirname, "..", "..");

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work = "";
let env: NodeJS.ProcessEnv = {};

function run(command: string, args: readonly string[], cwd: string): Ran {
  const result = spawnSync(command, [...args], { cwd, encoding: "utf8", env, timeout: 600_000 });
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) {
    throw new Error(`${what} exited ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

const steps: Record<string, Ran> = {};

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "hd-quickstart-"));
  // A Terraform CLI configuration of its own, so no machine setting leaks into the output.
  const terraformrc = path.join(work, "terraformrc");
  writeFileSync(terraformrc, "");
  env = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: terraformrc,
    npm_config_yes: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_prefer_offline: "true",
  };
  // `npm test` built dist/ first; --ignore-scripts packs it as it is.
  const tarball = path.join(
    work,
    ok(run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], ROOT), "npm pack")
      .stdout.trim()
      .split("\n")
      .pop() as string,
  );
  // The package is not on the registry: npx takes it from the tarball, as it would by name.
  steps.init = ok(
    run("npx", ["--package", tarball, "hardened-docker", "init", "my-service"], work),
    "npx hardened-docker init",
  );
  const project = path.join(work, "my-service");
  // `npm install` with the tarball named, as the registry would answer for the package's name.
  steps.install = ok(run("npm", ["install", tarball], project), "npm install");
  steps.synth = ok(run("npx", ["cdktf", "synth"], project), "npx cdktf synth");
  steps.audit = run("npx", ["hardened-docker", "audit", "--synth", "cdktf.out"], project);
}, 1_500_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the quick start from the packed tarball", () => {
  test("init names the next steps", () => {
    expect(steps.init.stdout).toContain("npm install");
    expect(steps.init.stdout).toContain("npx cdktf synth");
  });

  test("npm install keeps the pinned toolchain: TypeScript 5.9, cdktf 0.21", () => {
    const project = path.join(work, "my-service");
    const version = (name: string): string =>
      (
        JSON.parse(
          readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8"),
        ) as { version: string }
      ).version;
    expect(version("typescript")).toMatch(/^5\.9\./);
    expect(version("cdktf")).toBe("0.21.0");
    expect(version("cdktf-cli")).toBe("0.21.0");
  });

  test("npx cdktf synth passes every check with nothing to warn about", () => {
    const report = JSON.parse(
      readFileSync(
        path.join(work, "my-service", "cdktf.out", "hardened-docker", "report.json"),
        "utf8",
      ),
    ) as { findings: { ruleId: string; status: string }[] };
    expect(report.findings.length).toBeGreaterThan(40);
    expect(report.findings.filter((f) => f.status === "fail" || f.status === "unknown")).toEqual(
      [],
    );
    expect(steps.synth.stdout + steps.synth.stderr).not.toMatch(/\bWARN|warning/i);
  });

  test("npx hardened-docker audit --synth cdktf.out exits 0 and warns about nothing", () => {
    expect(steps.audit.stderr).toBe("");
    expect(steps.audit.code).toBe(0);
    expect(steps.audit.stdout).not.toContain("[WARN]");
    expect(steps.audit.stdout).toContain("Result: no blocking findings");
  });
});
