import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SCAFFOLD_TEMPLATES } from "../../lib/scaffold/templates";

/**
 * Every template folder, copied alone into a fresh project by the packed package's own
 * `hardened-docker init --template <name>` (the folder exactly as shipped, no edit), compiles and
 * synthesizes against the packed library and the peer packages it names. Slow (an npm install):
 * `npm test` runs it, `npm run test:unit` does not.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");

function versionOf(pkg: string): string {
  const file = path.join(ROOT, "node_modules", ...pkg.split("/"), "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function run(file: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(file, [...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${path.basename(file)} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`,
    );
  }
}

const templates = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(EXAMPLES, d.name, "index.ts")))
  .map((d) => d.name)
  .sort();
/** Scaffolded by init; insecure-raw (for the policy tests, not offered) is copied by hand. */
const offered = new Set(SCAFFOLD_TEMPLATES.map((t) => t.name));

describe("templates copied alone into a project that installs the packed library", () => {
  let work = "";
  const synthesized = new Map<string, string>();

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "hd-consumer-"));
    // `npm test` built dist/ first; --ignore-scripts packs it as it is.
    const tarball = run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], ROOT)
      .trim()
      .split("\n")
      .pop() as string;
    writeFileSync(
      path.join(work, "package.json"),
      JSON.stringify({ name: "consumer", private: true }),
    );
    // One install for every project below: Node resolves each project's imports up to here.
    run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        path.join(work, tarball),
        `cdktf@${versionOf("cdktf")}`,
        `constructs@${versionOf("constructs")}`,
        `@cdktf/provider-docker@${versionOf("@cdktf/provider-docker")}`,
        `@types/node@${versionOf("@types/node")}`,
      ],
      work,
    );
    const cli = path.join(
      work,
      "node_modules",
      "cdktf-hardened-docker",
      "dist",
      "lib",
      "cli",
      "main.js",
    );
    for (const name of templates) {
      const project = path.join(work, "projects", name);
      if (offered.has(name)) {
        run(process.execPath, [cli, "init", project, "--template", name], work);
      } else {
        mkdirSync(project, { recursive: true });
        cpSync(path.join(EXAMPLES, name), path.join(project, name), { recursive: true });
        writeFileSync(
          path.join(project, "main.ts"),
          `import { App } from "cdktf";\nimport { InsecureRawStack } from "./${name}";\n` +
            `const app = new App();\nnew InsecureRawStack(app, "${name}", { image: "nginx:1.27" });\napp.synth();\n`,
        );
      }
    }
    writeFileSync(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "commonjs",
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          outDir: "dist",
          rootDir: ".",
          types: ["node"],
        },
        include: ["projects"],
      }),
    );
    run(
      process.execPath,
      [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", work],
      work,
    );
    for (const name of templates) {
      const project = path.join(work, "projects", name);
      const compiled = path.join(work, "dist", "projects", name, "main.js");
      synthesized.set(name, run(process.execPath, [compiled], project));
    }
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("every template folder but insecure-raw is offered by init", () => {
    expect(templates.filter((t) => !offered.has(t))).toEqual(["insecure-raw"]);
    expect(templates.length).toBeGreaterThanOrEqual(7);
  });

  test.each(templates)("%s imports nothing from outside its folder but packages", (name) => {
    const source = readFileSync(path.join(EXAMPLES, name, "index.ts"), "utf8");
    const relative = [...source.matchAll(/from "(\.[^"]*)"/g)].map((m) => m[1]);
    expect(relative.filter((r) => !r.startsWith("./"))).toEqual([]);
  });

  test.each(templates)("%s compiles and synthesizes in its own project", (name) => {
    const outdir = path.join(work, "projects", name, "cdktf.out", "stacks", name, "cdk.tf.json");
    const stack = JSON.parse(readFileSync(outdir, "utf8")) as {
      resource?: Record<string, unknown>;
    };
    const types = Object.keys(stack.resource ?? {});
    expect(types.some((t) => t === "docker_container" || t === "docker_service")).toBe(true);
  });

  test.each(templates.filter((t) => offered.has(t)))(
    "%s passes the checks init's main.ts applies (the report it prints has no blocking finding)",
    (name) => {
      expect(synthesized.get(name)).toContain("Result: no blocking findings");
    },
  );
});
