/**
 * The real kreuzwerker/docker provider, offline: a Terraform filesystem mirror and the CLI
 * configuration that points Terraform at it, as an air-gapped team sets them up.
 *
 *   npx ts-node test/deploy/provider-mirror.ts      (.ci/run runs it; exit 0 ready, 3 unavailable)
 *
 * The binary comes from `go install <module>@<commit of tag v3.6.2>` through the Go module proxy
 * and is kept in a cache folder between runs on one machine. Nothing else is tried: no download
 * from a provider registry, no build from any other source. When the proxy refuses the module,
 * the command and its answer are printed and `npm run e2e:deploy` reports that it did not run.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

/** What `@cdktf/provider-docker` 12.0.3 binds, and where its source lives. */
export const PINNED_PROVIDER = {
  address: "registry.terraform.io/kreuzwerker/docker",
  version: "3.6.2",
  /** The module path its go.mod declares (the repository is kreuzwerker/terraform-provider-docker). */
  module: "github.com/terraform-providers/terraform-provider-docker",
  /**
   * The commit tag v3.6.2 points to. The v3 tags are not valid Go versions of a module path without
   * a /v3 suffix, so Go is asked for the commit, which it turns into a pseudo-version.
   */
  commit: "2f20f8c3ce8290fcd03d96e69c7bc6338897a479",
} as const;

/** Where the mirror and the CLI configuration live: HD_PROVIDER_CACHE, else ~/.cache/hardened-docker. */
export function providerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HD_PROVIDER_CACHE) return path.resolve(env.HD_PROVIDER_CACHE);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(homedir(), ".cache");
  return path.join(base, "hardened-docker");
}

export interface ProviderMirror {
  /** The folder given to `filesystem_mirror { path = ... }`. */
  readonly mirrorDir: string;
  readonly binary: string;
  /** The CLI configuration file for TF_CLI_CONFIG_FILE. */
  readonly cliConfig: string;
  /** Where the binary came from (the provenance file written beside it), if known. */
  readonly provenance: string | undefined;
}

/** The mirror's paths under `cacheDir` for one provider version (nothing is checked or created). */
export function mirrorPaths(
  cacheDir: string = providerCacheDir(),
  version: string = PINNED_PROVIDER.version,
): ProviderMirror {
  const mirrorDir = path.join(cacheDir, "provider-mirror");
  const binary = path.join(
    mirrorDir,
    PINNED_PROVIDER.address,
    version,
    "linux_amd64",
    `terraform-provider-docker_v${version}`,
  );
  const provenanceFile = `${binary}.provenance`;
  return {
    mirrorDir,
    binary,
    cliConfig: path.join(cacheDir, "terraform.rc"),
    provenance: existsSync(provenanceFile)
      ? readFileSync(provenanceFile, "utf8").trim()
      : undefined,
  };
}

/** The CLI configuration: the docker provider from the mirror only, everything else as usual. */
export function cliConfigText(mirrorDir: string): string {
  const address = PINNED_PROVIDER.address;
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${JSON.stringify(address)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(address)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The mirror when the binary of `version` is there, else the reason it is not. */
export function readyMirror(
  cacheDir: string = providerCacheDir(),
  version: string = PINNED_PROVIDER.version,
): ProviderMirror | string {
  const mirror = mirrorPaths(cacheDir, version);
  if (!isExecutable(mirror.binary)) {
    return `no kreuzwerker/docker ${version} binary at ${mirror.binary} (run \`npx ts-node test/deploy/provider-mirror.ts\`; .ci/run does)`;
  }
  if (!existsSync(mirror.cliConfig)) {
    return `no Terraform CLI configuration at ${mirror.cliConfig} (run \`npx ts-node test/deploy/provider-mirror.ts\`)`;
  }
  return mirror;
}

/** Builds the binary with `go install` into the mirror. Returns a one-line outcome or throws. */
function buildWithGo(mirror: ProviderMirror): string {
  const target = `${PINNED_PROVIDER.module}@${PINNED_PROVIDER.commit}`;
  const gobin = path.join(tmpdir(), `hd-provider-gobin-${process.pid}`);
  mkdirSync(gobin, { recursive: true });
  const started = Date.now();
  const result = spawnSync("go", ["install", target], {
    encoding: "utf8",
    env: { ...process.env, GOBIN: gobin, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
    timeout: 30 * 60_000,
  });
  if (result.error) throw new Error(`go install could not start: ${result.error.message}`);
  if (result.status !== 0) {
    const answer = `${result.stderr}${result.stdout}`.trim().split("\n").slice(-6).join("\n");
    throw new Error(
      `the Go module proxy did not give the pinned provider.\n  command: GOBIN=${gobin} go install ${target}\n  answer:  ${answer.replace(/\n/g, "\n           ")}`,
    );
  }
  mkdirSync(path.dirname(mirror.binary), { recursive: true });
  renameSync(path.join(gobin, "terraform-provider-docker"), mirror.binary);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  writeFileSync(
    `${mirror.binary}.provenance`,
    `built by provider-mirror.ts with \`go install ${target}\` (Go module proxy) in ${seconds} s on ${new Date().toISOString()}\n`,
  );
  return `built with go install ${target} in ${seconds} s`;
}

/** Makes the mirror ready: reuses a cached binary, else builds it. Exit 0 ready, 3 unavailable. */
function main(): void {
  const cacheDir = providerCacheDir();
  const mirror = mirrorPaths(cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(mirror.cliConfig, cliConfigText(mirror.mirrorDir));
  let how: string;
  if (isExecutable(mirror.binary)) {
    how = `cached (${mirror.provenance ?? "no provenance recorded"})`;
  } else {
    try {
      how = buildWithGo(mirror);
    } catch (error) {
      process.stderr.write(
        `provider-mirror: kreuzwerker/docker ${PINNED_PROVIDER.version} is NOT available: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 3;
      return;
    }
  }
  process.stdout.write(
    `provider-mirror: kreuzwerker/docker ${PINNED_PROVIDER.version} at ${mirror.binary}, ${how}\n` +
      `provider-mirror: TF_CLI_CONFIG_FILE=${mirror.cliConfig}\n`,
  );
}

if (require.main === module) main();
