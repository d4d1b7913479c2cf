import { modelFromNetworkInspect, PREDEFINED_NETWORKS } from "./network-inspect";
import { modelFromServiceSpec } from "./service-spec";
import { ContainerModel } from "../policy/model";
import { NetworkModel } from "../policy/network-model";
import { ContainerFilters } from "./container-filters";
import { EngineClient } from "./engine-client";
import { shortMessage } from "./engine-errors";

/**
 * The Swarm services and networks of an engine, for `audit --host`: one list call each (the
 * networks list carries driver options, the services list each service's full spec). A node
 * that is not a swarm manager has no services to audit; any other failure is reported, never
 * taken as "none".
 */
export interface SwarmAndNetworks {
  readonly services: ContainerModel[];
  readonly networks: NetworkModel[];
  /** Lists that could not be read, each a one-line reason. */
  readonly problems: string[];
}

const NOT_A_MANAGER_RE = /not a swarm manager|swarm is not initialized|not part of a swarm/i;

function plainFilters(filters: ContainerFilters): Record<string, string[]> {
  return Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, [...v]]));
}

/** Reads the services and the user-defined networks (label and name filters apply to both). */
export async function readSwarmAndNetworks(
  client: EngineClient,
  filters: ContainerFilters,
): Promise<SwarmAndNetworks> {
  const problems: string[] = [];
  const networks: NetworkModel[] = [];
  const names: Record<string, string> = {};
  if (client.listNetworks !== undefined) {
    try {
      const list = await client.listNetworks({ filters: plainFilters(filters) });
      for (const raw of list) {
        const model = modelFromNetworkInspect(raw);
        const record = raw as { Id?: unknown; Name?: unknown };
        if (typeof record.Id === "string" && typeof record.Name === "string") {
          names[record.Id] = record.Name;
        }
        if (typeof model.name === "string" && PREDEFINED_NETWORKS.has(model.name)) continue;
        networks.push(model);
      }
    } catch (error) {
      problems.push(`networks not listed: ${shortMessage(error)}`);
    }
  }
  const services: ContainerModel[] = [];
  if (client.listServices !== undefined) {
    try {
      const list = await client.listServices({ filters: plainFilters(filters) });
      for (const raw of list) services.push(modelFromServiceSpec(raw, { networkNames: names }));
    } catch (error) {
      const reason = shortMessage(error);
      if (!NOT_A_MANAGER_RE.test(reason)) problems.push(`services not listed: ${reason}`);
    }
  }
  return { services, networks, problems };
}

/**
 * The driver options of the engine's named volumes, by name (one `GET /volumes`), so a volume
 * whose options bind a host path is judged as that bind. A failed list is reported.
 */
export async function readVolumeOptions(client: EngineClient): Promise<{
  options: Record<string, Record<string, string>>;
  problems: string[];
}> {
  const options: Record<string, Record<string, string>> = {};
  if (client.listVolumes === undefined) return { options, problems: [] };
  try {
    const answer = (await client.listVolumes()) as { Volumes?: unknown };
    const list = Array.isArray(answer?.Volumes) ? answer.Volumes : [];
    for (const v of list as { Name?: unknown; Options?: unknown }[]) {
      if (typeof v.Name !== "string" || typeof v.Options !== "object" || v.Options === null) {
        continue;
      }
      options[v.Name] = Object.fromEntries(
        Object.entries(v.Options).filter((e): e is [string, string] => typeof e[1] === "string"),
      );
    }
    return { options, problems: [] };
  } catch (error) {
    return { options, problems: [`volumes not listed: ${shortMessage(error)}`] };
  }
}
