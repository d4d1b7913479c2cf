import type Docker from "dockerode";
import { sleep } from "./engine-calls";
import { DeploymentError, engineMessage, engineStatus } from "./errors";

/** Engine calls for Swarm objects, shared by `up` (preflight, rollback) and `down`. */

/** Poll interval while waiting for a removed service's containers to go. */
const POLL_MS = 250;
/** How long `down` waits for a removed service's task containers to disappear. */
export const SERVICE_REMOVAL_TIMEOUT_MS = 60_000;
/** How long a network removal is retried while Swarm releases its endpoints. */
const NETWORK_RELEASE_TIMEOUT_MS = 20_000;

/**
 * Refuses to go on unless this Engine is a manager of an active swarm: services, secrets and
 * overlay networks exist only there. The library never joins or creates a swarm by itself.
 * @param resources the addresses that need Swarm, named in the message.
 */
export async function requireSwarmManager(
  docker: Docker,
  resources: readonly string[],
): Promise<void> {
  const info = (await docker.info()) as {
    Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
  };
  const state = info.Swarm?.LocalNodeState ?? "inactive";
  const shown =
    resources.length > 3
      ? `${resources.slice(0, 3).join(", ")} and ${resources.length - 3} more`
      : resources.join(", ");
  if (state !== "active") {
    throw new DeploymentError(
      `${shown} need Docker Swarm, but this Docker Engine is not in swarm mode (state ${state}); nothing was created: run \`docker swarm init\` (on a single machine: docker swarm init --advertise-addr 127.0.0.1) and retry`,
    );
  }
  if (info.Swarm?.ControlAvailable !== true) {
    throw new DeploymentError(
      `${shown} need a Swarm manager, but this Docker Engine is a worker node; nothing was created: point DOCKER_HOST at a manager and retry`,
    );
  }
}

/** Task containers of a service on this node (Swarm labels them with the service ID). */
async function taskContainers(docker: Docker, serviceId: string): Promise<string[]> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.swarm.service.id=${serviceId}`] },
  });
  return list.map((c) => c.Id);
}

/**
 * Removes services and waits until Swarm has removed their task containers, so the networks
 * and secrets they used can be removed next. All are removed first and then awaited together:
 * each task gets its stop grace period, and waiting one by one would add those up. A service
 * already gone is fine.
 * @returns the services that could not be removed, with the reason.
 */
export async function removeServicesAndWait(
  docker: Docker,
  serviceIds: readonly string[],
  timeoutMs = SERVICE_REMOVAL_TIMEOUT_MS,
): Promise<{ id: string; error: string }[]> {
  const failures: { id: string; error: string }[] = [];
  const removed: string[] = [];
  for (const id of serviceIds) {
    try {
      await docker.getService(id).remove();
      removed.push(id);
    } catch (error) {
      if (engineStatus(error) === 404) removed.push(id);
      else failures.push({ id, error: engineMessage(error) });
    }
  }
  const deadline = Date.now() + timeoutMs;
  let waiting = removed;
  while (waiting.length > 0) {
    const left = await Promise.all(waiting.map((id) => taskContainers(docker, id)));
    waiting = waiting.filter((_, i) => left[i].length > 0);
    if (waiting.length === 0) break;
    if (Date.now() > deadline) {
      for (const id of waiting) {
        failures.push({
          id,
          error: `removed, but its task containers were still there after ${timeoutMs / 1000}s`,
        });
      }
      break;
    }
    await sleep(POLL_MS);
  }
  return failures;
}

/** {@link removeServicesAndWait} for one service; throws when it fails. */
export async function removeServiceAndWait(docker: Docker, serviceId: string): Promise<void> {
  const [failure] = await removeServicesAndWait(docker, [serviceId]);
  if (failure) {
    throw new DeploymentError(`service ${serviceId.slice(0, 12)}: ${failure.error}`);
  }
}

/**
 * Removes a network, retrying for a while when the Engine says it is still in use: after a
 * service is removed, Swarm releases its overlay endpoints a moment after the containers go.
 */
export async function removeNetworkWhenReleased(docker: Docker, id: string): Promise<void> {
  const deadline = Date.now() + NETWORK_RELEASE_TIMEOUT_MS;
  for (;;) {
    try {
      await docker.getNetwork(id).remove();
      return;
    } catch (error) {
      const status = engineStatus(error);
      const inUse =
        status === 403 || status === 409 || /in use|active endpoints/i.test(engineMessage(error));
      if (!inUse || Date.now() > deadline) throw error;
    }
    await sleep(POLL_MS * 2);
  }
}
