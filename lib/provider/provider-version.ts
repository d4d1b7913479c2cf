import { IConstruct } from "constructs";
import { checkWithStack, StackCheck } from "../construct/stack-check";
import { TerraformProvider, TerraformStack } from "cdktf";
import { HardenedDockerValidationError } from "../validation/validation-error";

/**
 * The kreuzwerker/docker versions every template has been deployed on for real (`npm run
 * e2e:deploy`): 3.6.2, the one `@cdktf/provider-docker` 12.0.3 binds, and 4.6.0, what teams
 * starting today run (bindings from `cdktf get`, or 12.0.3 with the version overridden).
 */
export const SUPPORTED_DOCKER_PROVIDER_VERSIONS = ["3.6.2", "4.6.0"] as const;
export type DockerProviderVersion = (typeof SUPPORTED_DOCKER_PROVIDER_VERSIONS)[number];

/** The version `@cdktf/provider-docker` 12.0.3 writes: a stack that declares no docker provider. */
export const BOUND_DOCKER_PROVIDER_VERSION: DockerProviderVersion = "3.6.2";

const FIELD = "terraform.required_providers.docker.version";
const SOURCES = ["kreuzwerker/docker", "registry.terraform.io/kreuzwerker/docker"];

/** What a stack declares for `terraform.required_providers.docker`, as cdktf writes it. */
export interface DeclaredDockerProvider {
  readonly version: string | undefined;
  readonly source: string | undefined;
}

interface RequiredProvider {
  version?: unknown;
  source?: unknown;
}

function requiredDocker(value: unknown): RequiredProvider | undefined {
  const terraform = (value as { terraform?: unknown } | undefined)?.terraform;
  const required = (terraform as { required_providers?: unknown } | undefined)?.required_providers;
  const docker = (required as { docker?: unknown } | undefined)?.docker;
  return docker !== null && typeof docker === "object" ? (docker as RequiredProvider) : undefined;
}

/**
 * `terraform.required_providers.docker` of the stack holding `scope`, as cdktf 0.21 synthesizes
 * it: each `docker` provider writes its bindings' version (`providerVersion`, else the
 * constraint; 12.0.3 writes "3.6.2", bindings from `cdktf get` the version they were generated
 * for), then the stack's `addOverride("terraform.required_providers.docker...")` is merged over
 * it. Read at synth time, after the app's code has run.
 */
export function declaredDockerProvider(scope: IConstruct): DeclaredDockerProvider | undefined {
  const stack = TerraformStack.of(scope);
  let declared: RequiredProvider | undefined;
  for (const node of stack.node.findAll()) {
    if (!TerraformProvider.isTerraformProvider(node)) continue;
    if (node.terraformResourceType !== "docker") continue;
    // Only providers of this stack: a nested stack writes its own configuration.
    if (TerraformStack.of(node) !== stack) continue;
    const meta = node.terraformGeneratorMetadata;
    declared = {
      version: meta?.providerVersion || meta?.providerVersionConstraint,
      source: node.terraformProviderSource,
    };
  }
  // cdktf keeps the stack's overrides in a private field and deep-merges them last.
  const overridden = requiredDocker((stack as unknown as { rawOverrides?: unknown }).rawOverrides);
  if (overridden !== undefined) declared = { ...declared, ...overridden };
  if (declared === undefined) return undefined;
  return {
    version: typeof declared.version === "string" ? declared.version : undefined,
    source: typeof declared.source === "string" ? declared.source : undefined,
  };
}

/** "4.6.0" and "= 4.6.0" pin one version; anything else ("~> 4.6", ">= 4") does not. */
function exactVersion(constraint: string): string | undefined {
  // Trimmed first: a leading \s* beside the optional "=" and its own \s* would backtrack
  // quadratically on a long run of spaces.
  const match = /^=?\s*v?(\d+\.\d+\.\d+)$/.exec(constraint.trim());
  return match?.[1];
}

/**
 * The kreuzwerker/docker version the stack holding `scope` deploys with, or a
 * HardenedDockerValidationError naming the construct, the declared value and the supported
 * versions. A stack that declares no docker provider gets the bound version (it cannot deploy
 * without one; unit tests synthesize such stacks).
 */
export function dockerProviderVersionOf(scope: IConstruct): DockerProviderVersion {
  return versionFromDeclared(scope, declaredDockerProvider(scope));
}

function versionFromDeclared(
  scope: IConstruct,
  declared: DeclaredDockerProvider | undefined,
): DockerProviderVersion {
  if (declared === undefined) return BOUND_DOCKER_PROVIDER_VERSION;
  const problem = (value: unknown, message: string) =>
    new HardenedDockerValidationError([
      { constructPath: scope.node.path, field: FIELD.replace(".version", ""), value, message },
    ]);
  if (
    declared.source !== undefined &&
    !SOURCES.includes(
      declared.source
        .trim()
        .toLowerCase()
        .replace(/^\/+|\/+$/g, ""),
    )
  ) {
    throw problem(
      { source: declared.source },
      `hardened-docker synthesizes for the kreuzwerker/docker provider only: declare source "kreuzwerker/docker"`,
    );
  }
  const supported = SUPPORTED_DOCKER_PROVIDER_VERSIONS.join(" and ");
  const exact = declared.version === undefined ? undefined : exactVersion(declared.version);
  const version = SUPPORTED_DOCKER_PROVIDER_VERSIONS.find((v) => v === exact);
  if (version === undefined) {
    throw problem(
      { version: declared.version },
      `hardened-docker is proven on kreuzwerker/docker ${supported} only (deployed for real by ` +
        `npm run e2e:deploy): pin one of them exactly, e.g. ` +
        `stack.addOverride("${FIELD}", "4.6.0") or bindings from \`cdktf get\` for kreuzwerker/docker@4.6.0`,
    );
  }
  return version;
}

/** True from 4.0: `networks_advanced.name` of a service is deprecated and read back into `id`. */
export function isProvider4(version: DockerProviderVersion): boolean {
  return version.startsWith("4.");
}

/**
 * Makes synthesis of `construct`'s stack fail, naming the construct, when the stack declares a
 * docker provider version hardened-docker has not been proven on (a cdktf validation: `cdktf
 * synth` and `app.synth()` run it after the app's code, before anything is written).
 *
 * One validation per stack judges every construct registered here (`checkWithStack`): reading the
 * declaration walks the whole stack, and a validation per construct walked it once per
 * HardenedContainer (1,000 containers: 1,000 walks, synth 1.45x a raw Container instead of 1.2x).
 * Each message still names its construct's path.
 */
export function requireProvenDockerProvider(construct: IConstruct): void {
  checkWithStack(construct, PROVEN_PROVIDER, construct);
}

/** One reading of the stack's declaration judges every registered construct. */
const PROVEN_PROVIDER: StackCheck<IConstruct> = {
  validate: (stack, constructs) => {
    const declared = declaredDockerProvider(stack);
    const problems: string[] = [];
    for (const c of constructs) {
      try {
        versionFromDeclared(c, declared);
      } catch (error) {
        if (!(error instanceof HardenedDockerValidationError)) throw error;
        problems.push(error.message);
      }
    }
    return problems;
  },
};
