import { execFileSync } from "node:child_process";
import {
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

/**
 * Every template folder, copied alone into a fresh consumer project that installs the packed
 * library (and the peer packages it names), compiles and synthesizes with no edit but the one its
 * README asks for: import from `cdktf-hardened-docker` instead of `../../lib`.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");
const IMAGE = `registry.example.com/team/app@sha256:${"ab".repeat(32)}`;
const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

/** How the consumer's app instantiates each template: class, and inputs. */
const USE: Readonly<Record<string, { cls: string; props: string }>> = {
  "web-api": { cls: "WebServiceStack", props: `{ image: IMAGE, expires: EXPIRES }` },
  worker: { cls: "WorkerStack", props: `{ image: IMAGE, expires: EXPIRES }` },
  "relaxed-legacy": { cls: "RelaxedLegacyStack", props: `{ image: IMAGE, expires: EXPIRES }` },
  "scheduled-job": { cls: "ScheduledJobStack", props: `{ image: IMAGE, expires: EXPIRES }` },
  cache: { cls: "CacheStack", props: `{ image: IMAGE, expires: EXPIRES }` },
  database: {
    cls: "DatabaseStack",
    props: `{ image: IMAGE, expires: EXPIRES, passwordFile: "/srv/secrets/db-password" }`,
  },
  "swarm-two-tier": {
    cls: "SwarmTwoTierStack",
    props: `{ webImage: IMAGE, apiImage: IMAGE, dbPassword: "not-a-secret", expires: EXPIRES }`,
  },
  "insecure-raw": { cls: "InsecureRawStack", props: `{ image: "nginx:1.27" }` },
};

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

describe("templates copied alone into a project that installs the packed library", () => {
  let work = "";
  let outdir = "";

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "hd-consumer-"));
    const project = path.join(work, "consumer");
    mkdirSync(path.join(project, "src"), { recursive: true });
    // `npm test` built dist/ first; --ignore-scripts packs it as it is.
    const tarball = run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], ROOT)
      .trim()
      .split("\n")
      .pop() as string;
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "consumer", private: true }),
    );
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
      project,
    );
    const lines = [
      `import { App } from "cdktf";`,
      `const IMAGE = ${JSON.stringify(IMAGE)};`,
      `const EXPIRES = ${JSON.stringify(EXPIRES)};`,
      `const app = new App({ outdir: ${JSON.stringify(path.join(work, "cdktf.out"))} });`,
    ];
    for (const name of templates) {
      const source = readFileSync(path.join(EXAMPLES, name, "index.ts"), "utf8").replace(
        /from "\.\.\/\.\.\/lib"/g,
        'from "cdktf-hardened-docker"',
      );
      mkdirSync(path.join(project, "src", name));
      writeFileSync(path.join(project, "src", name, "index.ts"), source);
      const use = USE[name];
      if (use === undefined) continue; // reported by the test below
      lines.splice(1, 0, `import { ${use.cls} } from "./${name}";`);
      lines.push(`new ${use.cls}(app, ${JSON.stringify(name)}, ${use.props});`);
    }
    lines.push("app.synth();");
    writeFileSync(path.join(project, "src", "main.ts"), lines.join("\n") + "\n");
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "commonjs",
          strict: true,
          esModuleInterop: true,
          outDir: "dist",
          rootDir: "src",
          types: ["node"],
        },
        include: ["src"],
      }),
    );
    run(
      process.execPath,
      [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project],
      project,
    );
    run(process.execPath, [path.join(project, "dist", "main.js")], project);
    outdir = path.join(work, "cdktf.out");
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("every template folder is instantiated by this test", () => {
    expect(templates.filter((t) => USE[t] === undefined)).toEqual([]);
    expect(templates.length).toBeGreaterThanOrEqual(7);
  });

  test.each(templates)("%s imports nothing from outside its folder but packages", (name) => {
    const source = readFileSync(path.join(EXAMPLES, name, "index.ts"), "utf8");
    const relative = [...source.matchAll(/from "(\.[^"]*)"/g)].map((m) => m[1]);
    expect(relative.filter((r) => r !== "../../lib" && !r.startsWith("./"))).toEqual([]);
  });

  test.each(templates)("%s compiles and synthesizes in the consumer project", (name) => {
    const stack = JSON.parse(
      readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"),
    ) as {
      resource?: Record<string, unknown>;
    };
    const types = Object.keys(stack.resource ?? {});
    expect(types.some((t) => t === "docker_container" || t === "docker_service")).toBe(true);
  });
});
