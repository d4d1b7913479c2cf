import { parsePidsLimitStep } from "../container/pids-limit-step";
import { isRecord } from "./terraform-values";

/**
 * The PIDs limits a configuration's steps leave on each container. A step counts only when
 * Terraform will run it as the construct writes it (see `parsePidsLimitStep`); any other
 * provisioner that names a container (a second step with `--pids-limit -1`, a destroy-time or
 * `on_failure = continue` step, a provisioner on the container itself) makes that container's
 * limit unknown: the audit cannot tell what it leaves.
 */

/** What the steps of a configuration do to one container's PIDs limit. */
export interface PidsLimitSteps {
  /** The limits recognised steps set. */
  readonly limits: ReadonlySet<number>;
  /** Provisioners that touch the container and are not a recognised step, described. */
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

/** Indexed once per configuration object. */
const cache = new WeakMap<object, ReadonlyMap<string, PidsLimitSteps>>();

/** The steps of `config` (a canonical configuration), by `docker_container` resource name. */
export function pidsLimitSteps(
  config: Readonly<Record<string, unknown>>,
): ReadonlyMap<string, PidsLimitSteps> {
  const cached = cache.get(config);
  if (cached !== undefined) return cached;
  const index = new Map<string, { limits: Set<number>; doubts: string[] }>();
  const entry = (name: string): { limits: Set<number>; doubts: string[] } => {
    let found = index.get(name);
    if (found === undefined) {
      found = { limits: new Set(), doubts: [] };
      index.set(name, found);
    }
    return found;
  };
  const resources = isRecord(config.resource) ? config.resource : {};
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
      const touched = new Set<string>();
      for (const provisioner of provisionerEntries(body.provisioner)) {
        for (const text of textsOf(provisioner)) {
          for (const match of text.matchAll(CONTAINER_REF_RE)) touched.add(match[1] as string);
          if (type === "docker_container" && text.includes("self.")) touched.add(name);
        }
      }
      for (const container of touched) {
        entry(container).doubts.push(
          `${address} has a provisioner that names this container and is not the PIDs-limit step as the construct writes it (one local-exec running "docker update --pids-limit N", no count, when, interpreter, on_failure or environment): the PIDs limit it leaves is not known`,
        );
      }
    }
  }
  cache.set(config, index);
  return index;
}
