import type Docker from "dockerode";
import { docker } from "./engine";

/** Single-node Swarm for the end-to-end suite: init only when needed, and clean up by label. */

/**
 * Puts the engine in swarm mode on loopback unless it already is. Returns true when this call
 * initialised the swarm (then the caller must leave it again), false when one was active.
 */
export async function ensureSwarm(): Promise<boolean> {
  const info = (await docker().info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState === "active") return false;
  // What `docker swarm init --advertise-addr 127.0.0.1` sends; the listener stays on loopback.
  await docker().swarmInit({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" });
  return true;
}

/**
 * Leaves the swarm (force: this is its only manager), as `docker swarm leave --force`, and
 * removes the `docker_gwbridge` network the engine made for published task ports unless it was
 * there before.
 */
export async function leaveSwarm(keepGatewayBridge: boolean): Promise<void> {
  await docker().swarmLeave({ force: true });
  if (keepGatewayBridge) return;
  await docker()
    .getNetwork("docker_gwbridge")
    .remove()
    .catch(() => undefined);
}

/** A task of a service and its container, once Swarm has started one. */
export interface RunningTask {
  readonly taskId: string;
  readonly state: string;
  readonly containerId: string;
  readonly health?: string;
}

/** The service's task that Swarm wants running, with its state and container health. */
export async function currentTask(serviceId: string): Promise<RunningTask | undefined> {
  const tasks = (await docker().listTasks({
    filters: { service: [serviceId], "desired-state": ["running"] },
  })) as {
    ID: string;
    Status?: { State?: string; ContainerStatus?: { ContainerID?: string } };
  }[];
  const task = tasks.find((t) => t.Status?.ContainerStatus?.ContainerID);
  if (!task) return undefined;
  const containerId = task.Status?.ContainerStatus?.ContainerID ?? "";
  let health: string | undefined;
  try {
    const info: Docker.ContainerInspectInfo = await docker().getContainer(containerId).inspect();
    health = info.State.Health?.Status;
  } catch {
    health = undefined;
  }
  return { taskId: task.ID, state: task.Status?.State ?? "", containerId, health };
}
