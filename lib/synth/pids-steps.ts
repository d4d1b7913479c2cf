import { parsePidsLimitStep } from "../container/pids-limit-step";
import { dockerEffects } from "./docker-commands";
import { isRecord, readString } from "./terraform-values";

/**
 * The PIDs limits a configuration's steps leave on each container. A step counts only when
 * Terraform will run it as the construct writes it (see `parsePidsLimitStep`: among other things
 * replaced with the container, so a replaced container gets the limit again), and only when its
 * `docker` CLI talks to the engine the container's provider creates it on. Any other provisioner
 * (any resource, any kind) that names a container (a destroy-time or `on_failure = continue`
 * step, a provisioner on the container itself), that runs `docker update --pids-limit` on it (by
 * reference or by its literal name), or that runs a `docker` command this reader cannot place (see
 * `dockerEffects`) makes the limit unknown: the audit cannot tell what it leaves.
 */

/** What the steps of a configuration do to one container's PIDs limit. */
export interface PidsLimitSteps {
  /** The limits recognised steps set. */
  readonly limits: ReadonlySet<number>;
  /** What else may change the limit, described. */
  readonly doubts: readonly string[];
}

const CONTAINER_REF_RE = /docker_container\.([A-Za-z0-9_-]+)/g;

function provisionerEntries(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** Every string in a value, at any depth (commands, inline scripts, environment values). */
function textsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) textsOf(v, out, depth + 1);
  else if (isRecord(value)) for (const v of Object.values(value)) textsOf(v, out, depth + 1);
  return out;
}

interface StepIndex {
  readonly byContainer: ReadonlyMap<string, { limits: Set<number>; doubts: string[] }>;
  /** Doubts about every container (a docker command on containers only known when it runs). */
  readonly everyContainer: readonly string[];
}

/** Indexed once per configuration object. */
const cache = new WeakMap<object, StepIndex>();

/** The provider a container is created with: `docker`, or `docker.<alias>`. */
function providerOf(body: Readonly<Record<string, unknown>>): string {
  const written = typeof body.provider === "string" ? body.provider : "docker";
  return written.replace(/^\$\{(.*)\}$/, "$1");
}

/**
 * Why the engine a provider block talks to may not be the one a plain `docker` command on the
 * deploying machine talks to, or undefined when both take it from the same environment.
 */
function providerEngineDoubt(
  config: Readonly<Record<string, unknown>>,
  provider: string,
): string | undefined {
  const alias = provider.startsWith("docker.") ? provider.slice("docker.".length) : undefined;
  const section = isRecord(config.provider) ? config.provider.docker : undefined;
  const blocks = Array.isArray(section)
    ? section.filter(isRecord)
    : isRecord(section)
      ? [section]
      : [];
  const block = blocks.find((b) =>
    alias === undefined ? b.alias === undefined : b.alias === alias,
  );
  if (block === undefined) {
    return alias !== undefined
      ? `the container uses provider ${provider}, which the configuration does not declare`
      : undefined;
  }
  for (const key of ["host", "context"]) {
    const value = block[key];
    if (value === undefined || value === null || value === "") continue;
    const shown = readString(`provider.docker.${key}`, value);
    return `the provider creates the container on ${typeof shown === "string" ? JSON.stringify(shown.slice(0, 120)) : `the engine of its ${key} (${JSON.stringify(String(value).slice(0, 120))})`}, while the PIDs-limit step's docker CLI talks to the engine of the deploying machine's environment (DOCKER_HOST or its docker context): the step may set the limit on another engine`;
  }
  return undefined;
}

function index(config: Readonly<Record<string, unknown>>): StepIndex {
  const cached = cache.get(config);
  if (cached !== undefined) return cached;
  const byContainer = new Map<string, { limits: Set<number>; doubts: string[] }>();
  const everyContainer: string[] = [];
  const entry = (name: string): { limits: Set<number>; doubts: string[] } => {
    let found = byContainer.get(name);
    if (found === undefined) {
      found = { limits: new Set(), doubts: [] };
      byContainer.set(name, found);
    }
    return found;
  };
  const resources = isRecord(config.resource) ? config.resource : {};
  // Literal container names, to place `docker update ... web`.
  const byLiteralName = new Map<string, string[]>();
  const containers = isRecord(resources.docker_container) ? resources.docker_container : {};
  for (const [name, body] of Object.entries(containers)) {
    const literal = isRecord(body) ? readString("name", body.name) : undefined;
    if (typeof literal === "string")
      byLiteralName.set(literal, [...(byLiteralName.get(literal) ?? []), name]);
  }
  for (const [type, ofType] of Object.entries(resources)) {
    if (!isRecord(ofType)) continue;
    for (const [name, body] of Object.entries(ofType)) {
      if (!isRecord(body) || body.provisioner === undefined || body.provisioner === null) continue;
      const address = `${type}.${name}`;
      const step = type === "terraform_data" ? parsePidsLimitStep(name, body) : undefined;
      if (step !== undefined) {
        entry(step.containerResourceName).limits.add(step.limit);
        continue;
      }
      const touched = new Map<string, string>();
      for (const provisioner of provisionerEntries(body.provisioner)) {
        for (const text of textsOf(provisioner)) {
          for (const match of text.matchAll(CONTAINER_REF_RE)) {
            touched.set(match[1] as string, "names this container");
          }
          if (type === "docker_container" && text.includes("self.")) {
            touched.set(name, "names this container");
          }
          const effects = dockerEffects(text);
          if (effects.all !== undefined) {
            everyContainer.push(
              `${address} has a provisioner that may change any container's PIDs limit: ${effects.all}`,
            );
          }
          for (const [target, why] of effects.touched) {
            const resourcesNamed = containers[target] !== undefined ? [target] : [];
            for (const resource of [...resourcesNamed, ...(byLiteralName.get(target) ?? [])]) {
              touched.set(resource, why);
            }
          }
        }
      }
      for (const [container, why] of touched) {
        entry(container).doubts.push(
          `${address} has a provisioner that ${why} and is not the PIDs-limit step as the construct writes it (one local-exec running "docker update --pids-limit N", replaced with the container, no count, lifecycle, when, interpreter, on_failure or environment): the PIDs limit it leaves is not known`,
        );
      }
    }
  }
  const built = { byContainer, everyContainer };
  cache.set(config, built);
  return built;
}

/**
 * What the steps of `config` (a canonical configuration) do to the PIDs limit of the
 * `docker_container` resource `resourceName`; undefined when nothing touches it.
 */
export function pidsLimitStepsOf(
  config: Readonly<Record<string, unknown>>,
  resourceName: string,
): PidsLimitSteps | undefined {
  const built = index(config);
  const own = built.byContainer.get(resourceName);
  if (own === undefined && built.everyContainer.length === 0) return undefined;
  const doubts = [...(own?.doubts ?? []), ...built.everyContainer];
  if (own !== undefined && own.limits.size > 0) {
    const containers = isRecord(config.resource) ? config.resource.docker_container : undefined;
    const body = isRecord(containers) ? containers[resourceName] : undefined;
    const engine = isRecord(body) ? providerEngineDoubt(config, providerOf(body)) : undefined;
    if (engine !== undefined) doubts.push(engine);
  }
  return { limits: own?.limits ?? new Set(), doubts };
}
