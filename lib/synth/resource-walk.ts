import { isUnknown } from "../policy/unknown";
import { isRecord, readNumber } from "./terraform-values";

/**
 * The walk over a canonical configuration's containers and services, with Terraform's
 * `count` and `for_each`: a resource with `count = 0` creates nothing and is skipped; one with
 * another `count` or a `for_each` may be several, all with the body as written, so it is checked
 * once as written (what differs between instances is an expression, which reads as unknown).
 */

/** The resource types the rules judge. */
export const DOCKER_WORKLOAD_TYPES = ["docker_container", "docker_service"] as const;
export type DockerWorkloadType = (typeof DOCKER_WORKLOAD_TYPES)[number];

/** One container or service resource of a configuration. */
export interface WorkloadResource {
  readonly type: DockerWorkloadType;
  readonly name: string;
  /** `docker_container.<name>` / `docker_service.<name>`. */
  readonly address: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The containers and services of `config` (containers first, each type in resource order). */
export function workloadResources(config: Readonly<Record<string, unknown>>): {
  resources: WorkloadResource[];
  problems: string[];
} {
  const resources: WorkloadResource[] = [];
  const problems: string[] = [];
  const section = isRecord(config.resource) ? config.resource : {};
  for (const type of DOCKER_WORKLOAD_TYPES) {
    const ofType = section[type];
    if (!isRecord(ofType)) continue;
    const what = type === "docker_container" ? "containers" : "services";
    for (const [name, body] of Object.entries(ofType)) {
      if (!isRecord(body)) continue;
      const address = `${type}.${name}`;
      const count = readNumber("count", body.count);
      if (count === 0) {
        problems.push(`${address} has count = 0: Terraform creates none of it; not checked`);
        continue;
      }
      if (isUnknown(count) || (count !== undefined && count !== 1)) {
        problems.push(`${address} uses count: it may be several ${what}; checked once, as written`);
      }
      if (body.for_each !== undefined && body.for_each !== null) {
        problems.push(
          `${address} uses for_each: it may be several ${what}; checked once, as written`,
        );
      }
      resources.push({ type, name, address, body });
    }
  }
  return { resources, problems };
}
