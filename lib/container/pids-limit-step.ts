/**
 * The PIDs-limit step. The Docker provider has no `pids_limit` attribute, so a HardenedContainer
 * synthesizes, beside its `docker_container`, a built-in `terraform_data` resource (no provider
 * to download) whose `local-exec` provisioner runs `docker update --pids-limit N <id>` each time
 * the container is (re)created. This module is the single definition of that step's shape: the
 * construct renders it, and the policy adapter, the `up` harness and drift recognise it here.
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

/**
 * Recognises a synthesized `terraform_data` resource as a PIDs-limit step by the command its
 * `local-exec` provisioner actually runs (not by labels or inputs, which run nothing). Returns
 * undefined for anything else, so a resource that merely looks similar is never trusted.
 */
export function parsePidsLimitStep(
  resourceName: string,
  resource: unknown,
): PidsLimitStep | undefined {
  if (typeof resource !== "object" || resource === null) return undefined;
  const provisioners = (resource as { provisioner?: unknown }).provisioner;
  if (!Array.isArray(provisioners)) return undefined;
  for (const entry of provisioners) {
    if (typeof entry !== "object" || entry === null) continue;
    const localExec = (entry as Record<string, unknown>)["local-exec"];
    if (typeof localExec !== "object" || localExec === null) continue;
    const command = (localExec as { command?: unknown }).command;
    if (typeof command !== "string") continue;
    const match = COMMAND_RE.exec(command.trim());
    if (match) {
      return { resourceName, containerResourceName: match[2], limit: Number(match[1]) };
    }
  }
  return undefined;
}
