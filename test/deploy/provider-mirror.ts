/**
 * `npm run provider:mirror`: the real kreuzwerker/docker provider, offline. Lays out a Terraform
 * filesystem mirror with every supported version this machine can get, and the CLI configuration
 * that points Terraform at it, as an air-gapped team sets them up:
 *
 * - 4.6.0 is built from the Go module proxy: `go mod download -json` of the pinned
 *   pseudo-version, its module sum checked against the pinned one, the module copied to a
 *   writable folder, `CGO_ENABLED=0 go build -trimpath` there (`go install` refuses the module:
 *   its go.mod declares the terraform-providers path). About 10 minutes once; cached after.
 * - 3.6.2 is used when a binary is already in the cache (the proxy refuses every form of it).
 *
 * Everything lives under HD_PROVIDER_CACHE (default ~/.cache/hardened-docker). Exit 0 when 4.6.0
 * is ready, 3 when it could not be built (the command and Go's answer are printed).
 */
import { spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import {
  DockerProviderVersion,
  SUPPORTED_DOCKER_PROVIDER_VERSIONS,
} from "../../lib/provider/provider-version";

export const PROVIDER_ADDRESS = "registry.terraform.io/kreuzwerker/docker";

/** The version every fresh machine builds and `.ci/run` requires. */
export const REQUIRED_VERSION: DockerProviderVersion = "4.6.0";

/** 4.6.0 on the Go module proxy (its CHANGELOG and docs say 4.6.0, released 2026-09-01). */
export const PROXY_MODULE = {
  version: REQUIRED_VERSION,
  /** The repository's path; its go.mod declares github.com/terraform-providers/... */
  module: "github.com/kreuzwerker/terraform-provider-docker",
  pseudoVersion: "v0.0.0-20260916201441-96d331c98ff4",
  /** The go.sum hash of the module's files: a different answer from the proxy is refused. */
  sum: "h1:T3HvvZCRd4h2qkMl+SXA2zza26Rdz8xqV81skikQWy4=",
} as const;

/** Where the mirror and the CLI configuration live: HD_PROVIDER_CACHE, else ~/.cache/hardened-docker. */
export function providerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HD_PROVIDER_CACHE) return path.resolve(env.HD_PROVIDER_CACHE);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(homedir(), ".cache");
  return path.join(base, "hardened-docker");
}

/** One provider binary in the mirror. */
export interface MirroredProvider {
  readonly version: DockerProviderVersion;
  readonly binary: string;
  /** Where it came from (the provenance file written beside it), if known. */
  readonly provenance: string | undefined;
}

export interface ProviderMirror {
  /** The folder given to `filesystem_mirror { path = ... }`. */
  readonly mirrorDir: string;
  /** The CLI configuration file for TF_CLI_CONFIG_FILE. */
  readonly cliConfig: string;
  /** The supported versions whose binary is there, oldest first. */
  readonly providers: readonly MirroredProvider[];
}

/** Where Terraform's filesystem mirror looks for `version`'s binary. */
export function binaryPath(mirrorDir: string, version: string): string {
  return path.join(
    mirrorDir,
    PROVIDER_ADDRESS,
    version,
    "linux_amd64",
    `terraform-provider-docker_v${version}`,
  );
}

function provenanceOf(binary: string): string | undefined {
  const file = `${binary}.provenance`;
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The mirror's paths under `cacheDir`, and the supported versions whose binary is there. */
export function mirrorPaths(cacheDir: string = providerCacheDir()): ProviderMirror {
  const mirrorDir = path.join(cacheDir, "provider-mirror");
  const providers = SUPPORTED_DOCKER_PROVIDER_VERSIONS.map((version) => {
    const binary = binaryPath(mirrorDir, version);
    return { version, binary, provenance: provenanceOf(binary) };
  }).filter((p) => isExecutable(p.binary));
  return { mirrorDir, cliConfig: path.join(cacheDir, "terraform.rc"), providers };
}

/** The CLI configuration: the docker provider from the mirror only, everything else as usual. */
export function cliConfigText(mirrorDir: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${JSON.stringify(PROVIDER_ADDRESS)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(PROVIDER_ADDRESS)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/** The mirror when it holds at least one supported version, else the reason it does not. */
export function readyMirror(cacheDir: string = providerCacheDir()): ProviderMirror | string {
  const mirror = mirrorPaths(cacheDir);
  if (mirror.providers.length === 0) {
    return `no kreuzwerker/docker ${SUPPORTED_DOCKER_PROVIDER_VERSIONS.join(" or ")} binary under ${mirror.mirrorDir} (run \`npm run provider:mirror\`; .ci/run does)`;
  }
  if (!existsSync(mirror.cliConfig)) {
    return `no Terraform CLI configuration at ${mirror.cliConfig} (run \`npm run provider:mirror\`)`;
  }
  return mirror;
}

/** One provider of a ready mirror, or why it is not there. */
export function mirroredProvider(
  version: DockerProviderVersion,
  cacheDir: string = providerCacheDir(),
): { mirror: ProviderMirror; provider: MirroredProvider } | string {
  const mirror = readyMirror(cacheDir);
  if (typeof mirror === "string") return mirror;
  const provider = mirror.providers.find((p) => p.version === version);
  return provider
    ? { mirror, provider }
    : `no kreuzwerker/docker ${version} binary at ${binaryPath(mirror.mirrorDir, version)} (run \`npm run provider:mirror\`)`;
}

/** A 4.6.0 binary this script built from the pinned module (its provenance names the sum). */
function isPinnedBuild(binary: string): boolean {
  const provenance = provenanceOf(binary);
  return (
    isExecutable(binary) &&
    provenance !== undefined &&
    provenance.includes(PROXY_MODULE.pseudoVersion) &&
    provenance.includes(PROXY_MODULE.sum)
  );
}

/** Runs Go; throws with the command and the end of its answer when it fails. */
function go(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync("go", [...args], {
    cwd,
    encoding: "utf8",
    env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 40 * 60_000,
  });
  if (result.error) throw new Error(`go ${args[0]} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    const answer = `${result.stderr}${result.stdout}`.trim().split("\n").slice(-8).join("\n");
    throw new Error(
      `\n  command: (cd ${cwd} && go ${args.join(" ")})\n  answer:  ${answer.replace(/\n/g, "\n           ")}`,
    );
  }
  return result.stdout;
}

/** What `go mod download -json` prints for one module (the fields read here). */
interface DownloadedModule {
  readonly Dir?: string;
  readonly Sum?: string;
  readonly Error?: string;
}

/**
 * Builds 4.6.0 from the Go module proxy into the mirror, checking the module sum first. Returns
 * a one-line outcome or throws.
 */
export function buildFromProxy(mirrorDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), "hd-provider-build-"));
  const goEnv = { ...env, GO111MODULE: "on", CGO_ENABLED: "0", GOFLAGS: "-buildvcs=false" };
  try {
    const target = `${PROXY_MODULE.module}@${PROXY_MODULE.pseudoVersion}`;
    // Outside any module: `go mod download` then fetches exactly the named version.
    const answer = JSON.parse(go(["mod", "download", "-json", target], work, goEnv)) as
      DownloadedModule | undefined;
    if (answer?.Error) throw new Error(`go mod download ${target}: ${answer.Error}`);
    if (answer?.Sum !== PROXY_MODULE.sum) {
      throw new Error(
        `go mod download ${target} reports the module sum ${answer?.Sum ?? "(none)"}, not the pinned ${PROXY_MODULE.sum}: refusing to build it`,
      );
    }
    if (!answer.Dir || !existsSync(answer.Dir)) {
      throw new Error(`go mod download ${target} gave no module folder (Dir: ${answer.Dir})`);
    }
    // The module cache is read-only: build in a writable copy, as its own main module.
    const src = path.join(work, "src");
    cpSync(answer.Dir, src, { recursive: true });
    chmodSync(src, 0o755);
    spawnSync("chmod", ["-R", "u+w", src]);
    const built = path.join(work, "terraform-provider-docker");
    go(["build", "-trimpath", "-o", built, "."], src, goEnv);
    const binary = binaryPath(mirrorDir, PROXY_MODULE.version);
    mkdirSync(path.dirname(binary), { recursive: true });
    // Via a name in the same folder, so a half-copied binary is never the mirror's.
    cpSync(built, `${binary}.partial`);
    chmodSync(`${binary}.partial`, 0o755);
    renameSync(`${binary}.partial`, binary);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const goVersion = spawnSync("go", ["version"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(
      `${binary}.provenance`,
      `built by provider-mirror.ts from the Go module proxy: ${target} (${PROXY_MODULE.sum}), ` +
        `CGO_ENABLED=0 go build -trimpath with ${goVersion}, in ${seconds} s on ${new Date().toISOString()}\n`,
    );
    return `built from ${target} (sum checked) in ${seconds} s`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes the mirror ready: 4.6.0 cached or built, 3.6.2 if cached. Exit 0 ready, 3 not. */
function main(): void {
  const cacheDir = providerCacheDir();
  const { mirrorDir, cliConfig } = mirrorPaths(cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cliConfig, cliConfigText(mirrorDir));
  const required = binaryPath(mirrorDir, REQUIRED_VERSION);
  const say = (line: string) => process.stdout.write(`provider-mirror: ${line}\n`);
  if (isPinnedBuild(required)) {
    say(`kreuzwerker/docker ${REQUIRED_VERSION}: cached (${provenanceOf(required)})`);
  } else {
    say(
      `kreuzwerker/docker ${REQUIRED_VERSION}: building from the Go module proxy (about 10 minutes once)`,
    );
    try {
      say(`kreuzwerker/docker ${REQUIRED_VERSION}: ${buildFromProxy(mirrorDir)}`);
    } catch (error) {
      process.stderr.write(
        `provider-mirror: kreuzwerker/docker ${REQUIRED_VERSION} is NOT available: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 3;
      return;
    }
  }
  for (const version of SUPPORTED_DOCKER_PROVIDER_VERSIONS) {
    if (version === REQUIRED_VERSION) continue;
    const binary = binaryPath(mirrorDir, version);
    say(
      isExecutable(binary)
        ? `kreuzwerker/docker ${version}: cached (${provenanceOf(binary) ?? "no provenance recorded"})`
        : `kreuzwerker/docker ${version}: not in the cache (the Go module proxy refuses it); e2e:deploy runs without it`,
    );
  }
  say(`mirror ${mirrorDir}`);
  say(`TF_CLI_CONFIG_FILE=${cliConfig}`);
}

if (require.main === module) main();
