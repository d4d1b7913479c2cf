import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { packageRoot, toolVersion } from "../policy/reports/tool-info";
import { ScaffoldTemplate } from "./templates";
import { Flavor, FLAVOR_SETUP } from "./versions";

/** One file of a new project: its path relative to the project folder, and its text. */
export interface ProjectFile {
  readonly path: string;
  readonly text: string;
}

/** What to scaffold. */
export interface ScaffoldOptions {
  /** The project's npm name. */
  readonly name: string;
  readonly template: ScaffoldTemplate;
  readonly flavor: Flavor;
  /** Today, for the expiry date main.ts writes (180 days ahead). */
  readonly now: Date;
}

/** A placeholder in production shape: a registry you trust, pinned by digest. */
const PLACEHOLDER_DIGEST =
  "sha256:4c1f3d0e3a7b9b6a2d5e8f0a1c3b5d7e9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e";
/** How far ahead the generated expiry is (the constructs allow at most 365 days). */
const EXPIRY_DAYS = 180;

/** An npm package name from a folder name: lower case, other characters as hyphens. */
export function projectName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "");
  return name === "" ? "hardened-app" : name.slice(0, 214);
}

/** Every file of a new project, in the order they are written. */
export function projectFiles(options: ScaffoldOptions): ProjectFile[] {
  const files: ProjectFile[] = [
    { path: "package.json", text: json(packageJson(options)) },
    { path: "cdktf.json", text: json(cdktfJson(options.name)) },
    { path: "tsconfig.json", text: json(TSCONFIG) },
    { path: ".gitignore", text: GITIGNORE },
    { path: "main.ts", text: mainTs(options) },
    { path: ".github/workflows/hardened-docker.yml", text: ciWorkflow(options.flavor) },
  ];
  if (options.template.stackClass !== undefined) {
    for (const file of ["index.ts", "README.md"]) {
      files.push({
        path: `${options.template.name}/${file}`,
        text: shippedFile("examples", options.template.name, file),
      });
    }
  }
  return files;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function packageJson(options: ScaffoldOptions): Record<string, unknown> {
  const setup = FLAVOR_SETUP[options.flavor];
  return {
    name: options.name,
    version: "0.1.0",
    private: true,
    scripts: {
      synth: `${setup.cli} synth`,
      audit: "hardened-docker audit --synth cdktf.out",
    },
    engines: { node: setup.node },
    dependencies: { ...setup.dependencies, "cdktf-hardened-docker": `^${toolVersion()}` },
    devDependencies: setup.devDependencies,
    ...(setup.overrides !== undefined ? { overrides: setup.overrides } : {}),
  };
}

function cdktfJson(name: string): Record<string, unknown> {
  return {
    language: "typescript",
    app: "npx ts-node main.ts",
    projectId: name,
    sendCrashReports: "false",
    // The Docker provider's bindings come prebuilt from @cdktf/provider-docker.
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "commonjs",
    moduleResolution: "node",
    lib: ["ES2022"],
    types: ["node"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

const GITIGNORE = [
  "node_modules/",
  "cdktf.out/",
  ".terraform/",
  "*.tfstate",
  "*.tfstate.*",
  "hardened-docker.sarif",
  "",
].join("\n");

function mainTs(options: ScaffoldOptions): string {
  const { template, flavor } = options;
  const cli = FLAVOR_SETUP[flavor].cli;
  const expires = new Date(options.now.getTime() + EXPIRY_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const head = [
    "/**",
    " * A hardened Docker stack, checked against the CIS Docker Benchmark when it is synthesized.",
    ` *   npx ${cli} synth                              Terraform JSON in cdktf.out/, reports in cdktf.out/hardened-docker/`,
    " *   npx hardened-docker audit --synth cdktf.out   the CI gate (.github/workflows/hardened-docker.yml)",
    ` *   npx ${cli} deploy                             ships it (Terraform and the kreuzwerker/docker provider)`,
    " */",
    'import { readFileSync } from "fs";',
  ];
  const inputs = [
    "",
    "// Your image, pinned by digest (CIS 4.5); `docker buildx imagetools inspect <image>:<tag>` prints it.",
    `const image = "registry.example.com/${options.name}/app@${PLACEHOLDER_DIGEST}";`,
    "// The last day it may run, at most 365 days ahead: a fixed date, so a reviewer sees it coming.",
    `const expires = "${expires}";`,
    "",
    "const app = new App();",
    "HardenedDockerChecks.applyTo(app); // every container of every stack, against the CIS rules",
  ];
  const body =
    template.stackClass === undefined
      ? [
          'import { App, TerraformStack } from "cdktf";',
          'import { DockerProvider } from "@cdktf/provider-docker/lib/provider";',
          'import { HardenedContainer, HardenedDockerChecks, HardenedNetwork } from "cdktf-hardened-docker";',
          ...inputs,
          `const stack = new TerraformStack(app, ${JSON.stringify(options.name)});`,
          'new DockerProvider(stack, "docker", {});',
          `const audit = { owner: "my-team", purpose: "serves the ${options.name} API", expires };`,
          "// Its own bridge network, not Docker's default one (CIS 5.30), inter-container traffic off.",
          'const network = HardenedNetwork.bridge(stack, "network", {',
          `  name: ${JSON.stringify(`${options.name}-net`)},`,
          "  internal: false, // a published port needs a network with a route out",
          "  audit,",
          "});",
          'new HardenedContainer(stack, "app", {',
          "  image,",
          "  audit,",
          "  ports: [{ internal: 8080, external: 18080 }], // bound to 127.0.0.1 unless hostIp is given",
          "  networks: [network],",
          "  resources: { memoryMiB: 256, cpus: 0.5, pids: 128 },",
          '  healthcheck: { test: ["CMD", "/bin/healthcheck"] },',
          "});",
        ]
      : [
          'import { App } from "cdktf";',
          'import { HardenedDockerChecks } from "cdktf-hardened-docker";',
          `import { ${template.stackClass} } from "./${template.name}";`,
          ...inputs,
          `new ${template.stackClass}(app, ${JSON.stringify(template.name)}, ${template.props ?? "{ image, expires }"});`,
        ];
  const tail = [
    "",
    "try {",
    "  app.synth(); // throws on blocking findings, naming each one",
    "} finally {",
    "  // The reports the checks wrote (also when synth threw): report.txt, report.json, report.sarif.",
    "  const reports = HardenedDockerChecks.reportsOf(app);",
    '  if (reports) process.stdout.write(readFileSync(reports.text, "utf8"));',
    "}",
    "",
  ];
  return [...head, ...body, ...tail].join("\n");
}

/** The GitHub Actions gate of examples/ci, set up for the flavor's Node and CLI. */
function ciWorkflow(flavor: Flavor): string {
  const workflow = shippedFile("examples", "ci", "github-actions.yml");
  const setup = FLAVOR_SETUP[flavor];
  return replaceOnce(
    replaceOnce(workflow, /node-version: \d+/g, `node-version: ${setup.ciNodeMajor}`),
    /run: npx cdktf synth/g,
    `run: npx ${setup.cli} synth`,
  );
}

/**
 * Replaces exactly one match of `pattern` (a global expression, so `match` counts them all); a
 * shipped file that no longer has it is a bug, not a default.
 */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(pattern) ?? [];
  if (matches.length !== 1) {
    throw new Error(
      `hardened-docker init: the shipped CI workflow has ${matches.length} matches of ${pattern}, expected 1`,
    );
  }
  return text.replace(pattern, replacement);
}

/** A file the package ships (examples/...), read from the package folder. */
function shippedFile(...segments: string[]): string {
  const root = packageRoot();
  const file = root === undefined ? undefined : join(root, ...segments);
  if (file === undefined || !existsSync(file)) {
    throw new Error(
      `hardened-docker init: ${segments.join("/")} is missing from the installed package` +
        (root === undefined ? "" : ` (${root})`) +
        "; reinstall cdktf-hardened-docker",
    );
  }
  return readFileSync(file, "utf8");
}
