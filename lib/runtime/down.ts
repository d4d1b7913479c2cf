import type { RemovedStack } from "./deployed-stack";
import { removeContainer } from "./engine-calls";
import { DeploymentError, engineMessage, engineStatus } from "./errors";
import { containerRemovalSettings, stackNameOf } from "./stack-plan";
import { removeNetworkWhenReleased, removeServicesAndWait } from "./swarm-calls";
import { UpLabel, stackLabelFilters } from "./up-labels";
import { resolveUpOptions, type UpOptions } from "./up-options";

/**
 * Removes what `upStack` created for a stack: every Swarm service (first, waiting until its task
 * containers are gone), container, Swarm secret, network and volume carrying
 * `io.hardened-docker.up.stack=<stack>` (and `options.labels`), then the images `up` pulled for
 * `docker_image` resources with `keep_locally = false` (listed on the stack's containers).
 * Containers are stopped with their `destroy_grace_seconds` and removed with their anonymous
 * volumes unless `remove_volumes = false`. An image still used by another container stays.
 * Objects without the stack label are never touched.
 *
 * @throws StackInputError (from ./errors) without a stack name; DeploymentError when the Engine refuses a removal.
 */
export async function downStack(
  stackJson: unknown,
  options: UpOptions = {},
): Promise<RemovedStack> {
  const resolved = resolveUpOptions(options);
  const stackName = stackNameOf(stackJson, resolved.stackName);
  const { docker, log } = resolved;
  const filters = { label: stackLabelFilters(stackName, resolved.labels) };
  const settings = containerRemovalSettings(stackJson);
  const failures: string[] = [];
  const removed = {
    containers: [] as string[],
    networks: [] as string[],
    volumes: [] as string[],
    images: [] as string[],
    services: [] as string[],
    secrets: [] as string[],
  };
  const info = (await docker.info().catch((error: unknown) => {
    throw new DeploymentError(`cannot reach the Docker Engine: ${engineMessage(error)}`);
  })) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const manager = info.Swarm?.LocalNodeState === "active" && info.Swarm.ControlAvailable === true;
  if (manager) {
    const services = await docker.listServices({ filters });
    const nameOf = new Map(services.map((x) => [x.ID, x.Spec?.Name ?? x.ID]));
    const failed = await removeServicesAndWait(
      docker,
      services.map((x) => x.ID),
    );
    for (const { id, error } of failed) failures.push(`service ${nameOf.get(id)}: ${error}`);
    for (const x of services) {
      if (failed.some((f) => f.id === x.ID)) continue;
      removed.services.push(nameOf.get(x.ID) ?? x.ID);
      log(`removed service ${nameOf.get(x.ID)}`);
    }
  }

  let containers;
  try {
    containers = await docker.listContainers({ all: true, filters });
  } catch (error) {
    throw new DeploymentError(`cannot reach the Docker Engine: ${engineMessage(error)}`);
  }
  const images = new Set<string>();
  for (const c of containers) {
    const name = (c.Names[0] ?? c.Id).replace(/^\//, "");
    for (const ref of (c.Labels?.[UpLabel.removeImages] ?? "").split(",")) if (ref) images.add(ref);
    const s = settings.get(name);
    try {
      await removeContainer(docker.getContainer(c.Id), {
        stopTimeoutSeconds: s?.destroyGraceSeconds,
        removeVolumes: s?.removeVolumes ?? true,
      });
      removed.containers.push(name);
      log(`removed container ${name}`);
    } catch (error) {
      failures.push(`container ${name}: ${engineMessage(error)}`);
    }
  }
  if (manager) {
    for (const secret of await docker.listSecrets({ filters })) {
      const name = secret.Spec?.Name ?? secret.ID;
      try {
        await docker.getSecret(secret.ID).remove();
        removed.secrets.push(name);
        log(`removed secret ${name}`);
      } catch (error) {
        if (engineStatus(error) !== 404) failures.push(`secret ${name}: ${engineMessage(error)}`);
      }
    }
  }
  for (const n of await docker.listNetworks({ filters })) {
    try {
      await removeNetworkWhenReleased(docker, n.Id);
      removed.networks.push(n.Name);
      log(`removed network ${n.Name}`);
    } catch (error) {
      if (engineStatus(error) !== 404) failures.push(`network ${n.Name}: ${engineMessage(error)}`);
    }
  }
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  for (const v of volumes) {
    try {
      await docker.getVolume(v.Name).remove();
      removed.volumes.push(v.Name);
      log(`removed volume ${v.Name}`);
    } catch (error) {
      if (engineStatus(error) !== 404) failures.push(`volume ${v.Name}: ${engineMessage(error)}`);
    }
  }
  for (const reference of images) {
    try {
      await docker.getImage(reference).remove();
      removed.images.push(reference);
      log(`removed image ${reference}`);
    } catch (error) {
      const status = engineStatus(error);
      if (status === 409) log(`kept image ${reference}: still in use (${engineMessage(error)})`);
      else if (status !== 404) failures.push(`image ${reference}: ${engineMessage(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new DeploymentError(
      `down of stack ${stackName} left objects behind: ${failures.join("; ")}`,
    );
  }
  const count =
    removed.containers.length +
    removed.networks.length +
    removed.volumes.length +
    removed.services.length +
    removed.secrets.length;
  if (count === 0) {
    log(`nothing labelled ${UpLabel.stack}=${stackName} was found`);
  }
  return { stackName, ...removed };
}
