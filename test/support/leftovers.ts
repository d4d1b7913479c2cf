/**
 * The objects the stacks of `npm run e2e:deploy` and of the end-to-end suites create are named
 * `<stack>` or `<stack>-...` (containers, networks, secrets, services). These find what is left of
 * them, and remove leftovers of an interrupted earlier run before a new one starts (Terraform's
 * state of that run is gone with its folder).
 */
import { docker, sleep } from "../e2e/support/engine";

function ours(name: string, stacks: readonly string[]): boolean {
  const bare = name.replace(/^\//, "");
  return stacks.some((s) => bare === s || bare.startsWith(`${s}-`) || bare.startsWith(`${s}_`));
}

async function swarmActive(): Promise<boolean> {
  const info = (await docker().info()) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState === "active";
}

/** The stacks' objects on the engine, by kind. */
export interface StackObjects {
  /** `swarmTask`: a container Swarm runs for a service, not one a stack declares. */
  readonly containers: { id: string; name: string; swarmTask: boolean }[];
  readonly services: { id: string; name: string }[];
  readonly secrets: { id: string; name: string }[];
  readonly networks: { id: string; name: string }[];
}

/** Every container, network, service and secret named after one of the stacks. */
export async function findStackObjects(stacks: readonly string[]): Promise<StackObjects> {
  const containers = (await docker().listContainers({ all: true }))
    .filter((c) => c.Names.some((n) => ours(n, stacks)))
    .map((c) => ({
      id: c.Id,
      name: c.Names[0].replace(/^\//, ""),
      swarmTask: c.Labels?.["com.docker.swarm.service.id"] !== undefined,
    }));
  const networks = (await docker().listNetworks())
    .filter((n) => ours(n.Name, stacks))
    .map((n) => ({ id: n.Id, name: n.Name }));
  const services: StackObjects["services"] = [];
  const secrets: StackObjects["secrets"] = [];
  if (await swarmActive()) {
    for (const s of (await docker().listServices()) as { ID: string; Spec?: { Name?: string } }[]) {
      if (ours(s.Spec?.Name ?? "", stacks)) services.push({ id: s.ID, name: s.Spec?.Name ?? "" });
    }
    for (const s of (await docker().listSecrets()) as { ID: string; Spec?: { Name?: string } }[]) {
      if (ours(s.Spec?.Name ?? "", stacks)) secrets.push({ id: s.ID, name: s.Spec?.Name ?? "" });
    }
  }
  return { containers, services, secrets, networks };
}

/**
 * What is left of the stacks, as `kind name` strings. Swarm removes a service's task containers
 * a moment after the service, so this waits up to 30 s for containers to go.
 */
export async function leftovers(stacks: readonly string[]): Promise<string[]> {
  let found = await findStackObjects(stacks);
  for (let i = 0; i < 60 && found.containers.length > 0; i++) {
    await sleep(500);
    found = await findStackObjects(stacks);
  }
  return [
    ...found.containers.map((c) => `container ${c.name}`),
    ...found.services.map((s) => `service ${s.name}`),
    ...found.secrets.map((s) => `secret ${s.name}`),
    ...found.networks.map((n) => `network ${n.name}`),
  ];
}

/** Removes every container, service, secret and network of the stacks (best effort). */
export async function sweepDeployObjects(stacks: readonly string[]): Promise<void> {
  const found = await findStackObjects(stacks);
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
  for (const s of found.services) await quietly(docker().getService(s.id).remove());
  for (const c of found.containers) {
    await quietly(docker().getContainer(c.id).remove({ force: true, v: true }));
  }
  if (found.services.length > 0) await leftovers(stacks);
  for (const s of found.secrets) await quietly(docker().getSecret(s.id).remove());
  for (const n of found.networks) await quietly(docker().getNetwork(n.id).remove());
}
