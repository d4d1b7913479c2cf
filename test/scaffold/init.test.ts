import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { load } from "js-yaml";
import { tmpdir } from "os";
import { join } from "path";
import { runCli } from "../cli/cli-harness";
import { SCAFFOLD_TEMPLATES } from "../../lib/scaffold/templates";
import { FLAVOR_SETUP } from "../../lib/scaffold/versions";
import { initProject, ScaffoldError } from "../../lib/scaffold/write-project";

/**
 * `hardened-docker init` writes a project that synthesizes at once, without overwriting anything.
 * That it installs, synthesizes and passes the gate from the packed tarball is
 * test/package/init.test.ts (slow, `npm test` only); here, what it writes.
 */

const ROOT = join(__dirname, "..", "..");
const NOW = new Date("2026-12-07T12:00:00Z");

let work = "";
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "hd-init-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

describe("hardened-docker init", () => {
  test("writes package.json, cdktf.json, tsconfig.json, .gitignore, main.ts and the CI gate", () => {
    const dir = join(work, "My Service");
    const result = initProject({ dir, now: NOW });
    expect(result.files).toEqual([
      "package.json",
      "cdktf.json",
      "tsconfig.json",
      ".gitignore",
      "main.ts",
      ".github/workflows/hardened-docker.yml",
    ]);
    const pkg = readJson(join(dir, "package.json")) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe("my-service");
    expect(pkg.dependencies).toEqual({
      cdktf: "0.21.0",
      constructs: "10.8.1",
      "@cdktf/provider-docker": "12.0.3",
      "cdktf-hardened-docker": `^${readJson(join(ROOT, "package.json")).version as string}`,
    });
    expect(pkg.devDependencies).toMatchObject({
      "cdktf-cli": "0.21.0",
      typescript: "~5.9.3",
      "ts-node": "10.9.2",
    });
    expect(readJson(join(dir, "cdktf.json"))).toMatchObject({
      language: "typescript",
      app: "npx ts-node main.ts",
    });
    const main = readFileSync(join(dir, "main.ts"), "utf8");
    expect(main).toContain('from "cdktf-hardened-docker"');
    expect(main).toContain("HardenedDockerChecks.applyTo(app)");
    expect(main).toContain("networks: [network]"); // not Docker's default bridge (CIS 5.30)
    expect(main).toContain('const expires = "2027-06-05";'); // 180 days after NOW, fixed
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/^cdktf\.out\/$/m);
    const workflow = readFileSync(join(dir, ".github/workflows/hardened-docker.yml"), "utf8");
    expect(workflow).toBe(readFileSync(join(ROOT, "examples", "ci", "github-actions.yml"), "utf8"));
  });

  test("pins the versions this repository installs and tests, inside the package's peer ranges", () => {
    const installed = (name: string): string =>
      readJson(join(ROOT, "node_modules", ...name.split("/"), "package.json")).version as string;
    const cdktf = FLAVOR_SETUP.cdktf;
    for (const name of ["cdktf", "constructs", "@cdktf/provider-docker"]) {
      expect([name, cdktf.dependencies[name]]).toEqual([name, installed(name)]);
    }
    expect(cdktf.devDependencies["cdktf-cli"]).toBe(installed("cdktf-cli"));
    expect(cdktf.devDependencies["ts-node"]).toBe(installed("ts-node"));
    const own = readJson(join(ROOT, "package.json")) as {
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(cdktf.devDependencies.typescript).toBe(own.devDependencies.typescript);
    expect(own.peerDependencies.cdktf).toBe("~0.21.0 || ~0.24.0");
    expect(own.peerDependencies.constructs).toBe("^10.6.0"); // cdktn 0.24: >= 10.6.0 < 10.8.0
  });

  test("--flavor cdktn aliases cdktf to CDK Terrain, on Node 22, with cdktn synth in CI", () => {
    const dir = join(work, "terrain");
    initProject({ dir, flavor: "cdktn", now: NOW });
    const pkg = readJson(join(dir, "package.json")) as {
      engines: { node: string };
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      overrides: Record<string, string>;
    };
    expect(pkg.dependencies.cdktf).toBe("npm:cdktn@0.24.0");
    expect(pkg.dependencies.constructs).toMatch(/^10\.[67]\./);
    expect(pkg.devDependencies["cdktn-cli"]).toBe("0.24.0");
    expect(pkg.overrides).toEqual({ cdktf: "$cdktf" });
    expect(pkg.engines.node).toBe(">=22.19.0");
    const workflow = load(
      readFileSync(join(dir, ".github/workflows/hardened-docker.yml"), "utf8"),
    ) as { jobs: Record<string, { steps: { run?: string; with?: Record<string, unknown> }[] }> };
    const steps = Object.values(workflow.jobs)[0].steps;
    expect(steps.some((s) => s.with?.["node-version"] === 22)).toBe(true);
    expect(steps.map((s) => s.run?.trim())).toContain("npx cdktn synth");
    expect(steps.map((s) => s.run?.trim())).not.toContain("npx cdktf synth");
  });

  test.each(SCAFFOLD_TEMPLATES.filter((t) => t.stackClass !== undefined).map((t) => t.name))(
    "--template %s copies the template folder as it is and instantiates its stack",
    (name) => {
      const dir = join(work, name);
      const result = initProject({ dir, template: name, now: NOW });
      expect(result.files).toEqual(
        expect.arrayContaining([`${name}/index.ts`, `${name}/README.md`]),
      );
      expect(readFileSync(join(dir, name, "index.ts"), "utf8")).toBe(
        readFileSync(join(ROOT, "examples", name, "index.ts"), "utf8"),
      );
      const template = SCAFFOLD_TEMPLATES.find((t) => t.name === name);
      expect(readFileSync(join(dir, "main.ts"), "utf8")).toContain(
        `import { ${template?.stackClass} } from "./${name}";`,
      );
    },
  );

  test("every template folder of examples/ but insecure-raw can be scaffolded", () => {
    const folders = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "ci" && d.name !== "insecure-raw")
      .map((d) => d.name)
      .sort();
    expect(
      SCAFFOLD_TEMPLATES.map((t) => t.name)
        .filter((n) => n !== "container")
        .sort(),
    ).toEqual(folders);
  });

  test("overwrites nothing: a folder that has one of the files is refused before any write", () => {
    const dir = join(work, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "main.ts"), "// the team's own\n");
    expect(() => initProject({ dir })).toThrow(ScaffoldError);
    expect(() => initProject({ dir })).toThrow(/already has main\.ts: .*overwrites nothing/);
    expect(readdirSync(dir)).toEqual(["main.ts"]);
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toBe("// the team's own\n");
  });

  test("the CLI: exit 0 with the next steps; exit 2 on one line for a bad template or a used folder", async () => {
    const dir = join(work, "cli");
    const ok = await runCli(["init", dir, "--template", "worker"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("npm install");
    expect(ok.stdout).toContain("npx cdktf synth");
    const again = await runCli(["init", dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^hardened-docker: .*already has package\.json/);
    const bad = await runCli(["init", join(work, "x"), "--template", "databse"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--template.*databse.*web-api/);
  });
});
