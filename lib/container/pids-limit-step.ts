/**
 * The PIDs-limit step. The Docker provider has no `pids_limit` attribute, so a HardenedContainer
 * synthesizes, beside its `docker_container`, a built-in `terraform_data` resource (no provider
 * to download) whose `local-exec` provisioner runs `docker update --pids-limit N <id>` each time
 * the container is (re)created. This module is the single definition of that step's shape: the
 * construct renders it, and the policy adapter and drift recognise it here.
 */

/** Reference expression to a container's id in synthesized JSON. */
export function containerIdReference(containerResourceName: string): string {
  return "${docker_container." + containerResourceName + ".id}";
}

/** The shell command the provisioner runs. `containerId` is a token or reference. */
export function pidsLimitCommand(limit: number, containerId: string): string {
  return `docker update --pids-limit ${limit} ${containerId}`;
}

const COMMAND_RE =
  /^docker update --pids-limit (\d+) \$\{docker_container\.([A-Za-z0-9_-]+)\.id\}$/;

/** A PIDs-limit step found in synthesized JSON. */
export interface PidsLimitStep {
  /** Name of the `terraform_data` resource. */
  readonly resourceName: string;
  /** Name of the `docker_container` resource it updates. */
  readonly containerResourceName: string;
  readonly limit: number;
}

/** The only keys a step's `local-exec` block may hold: no interpreter, `when`, `on_failure`, environment. */
const STEP_KEYS: ReadonlySet<string> = new Set(["command"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one block of a block value (an object, or an array of exactly one object). */
function onlyBlock(value: unknown): Record<string, unknown> | undefined {
  if (isObject(value)) return value;
  if (Array.isArray(value) && value.length === 1 && isObject(value[0])) return value[0];
  return undefined;
}

/**
 * The only keys the step's resource may hold: no `count`/`for_each`, and no `lifecycle` (an
 * `ignore_changes` of `triggers_replace` would keep the step from running for a new container).
 */
const RESOURCE_KEYS: ReadonlySet<string> = new Set([
  "//",
  "input",
  "triggers_replace",
  "provisioner",
  "depends_on",
]);

/** Every string in a value, at any depth. */
function textsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) textsIn(v, out, depth + 1);
  else if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) textsIn(v, out, depth + 1);
  }
  return out;
}

/**
 * Recognises a synthesized `terraform_data` resource as a PIDs-limit step by the command its
 * `local-exec` provisioner actually runs (not by labels or inputs, which run nothing). The step
 * counts only as the construct writes it: one `local-exec` provisioner with a command and nothing
 * else, so Terraform runs it at creation with the default shell and fails the apply when it fails
 * (no `when = destroy`, no other `interpreter`, no `on_failure = continue`, no `environment`
 * pointing `docker` elsewhere), a resource without `count`, `for_each` or `lifecycle`, and
 * `triggers_replace` holding the container's id (so a replaced container gets the limit again:
 * Terraform runs a provisioner only when it creates the resource). Returns undefined
 * for anything else, so a resource that merely looks similar is never trusted.
 */
export function parsePidsLimitStep(
  resourceName: string,
  resource: unknown,
): PidsLimitStep | undefined {
  if (typeof resource !== "object" || resource === null || Array.isArray(resource))
    return undefined;
  const body = resource as Record<string, unknown>;
  if (Object.keys(body).some((key) => !RESOURCE_KEYS.has(key))) return undefined;
  // Terraform's JSON syntax writes a block as an object or as an array of objects, and hcl2json
  // (`cdktf synth --hcl`, `.tf` files) uses the arrays: `{"local-exec": [{...}]}`. Both are one
  // block when the array holds exactly one.
  const entry = onlyBlock(body.provisioner);
  if (entry === undefined) return undefined;
  const kinds = Object.keys(entry);
  if (kinds.length !== 1 || kinds[0] !== "local-exec") return undefined;
  const localExec = onlyBlock(entry["local-exec"]);
  if (localExec === undefined) return undefined;
  if (Object.keys(localExec).some((key) => !STEP_KEYS.has(key))) return undefined;
  const command = (localExec as { command?: unknown }).command;
  if (typeof command !== "string") return undefined;
  const match = COMMAND_RE.exec(command.trim());
  if (!match) return undefined;
  // Terraform runs a provisioner when the resource is created: only a step replaced with the
  // container (its id among the triggers) sets the limit again on a replaced container.
  const id = containerIdReference(match[2] as string);
  if (!textsIn(body.triggers_replace).some((text) => text.includes(id))) return undefined;
  return { resourceName, containerResourceName: match[2] as string, limit: Number(match[1]) };
}
