import { NetworkModel } from "../policy/network-model";
import { Maybe, Unknown } from "../policy/unknown";
import { describeValue, isRecord } from "../synth/terraform-values";
import { stringMap } from "./json-readers";

/**
 * The live network adapter: an Engine API Network (`docker network inspect` / the networks list)
 * to the network model (a `docker_network` of synthesized JSON is read by
 * `lib/synth/terraform-network.ts`).
 */

/** Docker's predefined networks, which the daemon configures (not a user's network). */
export const PREDEFINED_NETWORKS: ReadonlySet<string> = new Set(["bridge", "host", "none"]);

/** A live network (an element of `GET /networks` or `docker network inspect`) to the model. */
export function modelFromNetworkInspect(inspect: unknown): NetworkModel {
  if (!isRecord(inspect)) {
    const why = new Unknown(
      `the network JSON should be an object but is ${describeValue(inspect)}`,
    );
    return {
      source: "inspect",
      resource: "network:(unreadable)",
      name: why,
      driver: why,
      options: why,
      internal: why,
      ingress: why,
    };
  }
  const name = typeof inspect.Name === "string" ? inspect.Name : undefined;
  const flag = (key: string): Maybe<boolean> => {
    const value = inspect[key];
    if (value === undefined || value === null) return false;
    return typeof value === "boolean"
      ? value
      : new Unknown(`${key} should be true or false but is ${describeValue(value)}`);
  };
  return {
    source: "inspect",
    resource: `network:${name ?? (typeof inspect.Id === "string" ? inspect.Id.slice(0, 12) : "(unnamed)")}`,
    name: name ?? new Unknown(`Name should be a string but is ${describeValue(inspect.Name)}`),
    driver:
      typeof inspect.Driver === "string" && inspect.Driver !== ""
        ? inspect.Driver
        : new Unknown(`Driver should be a string but is ${describeValue(inspect.Driver)}`),
    options: stringMap(inspect, "Network", "Options"),
    internal: flag("Internal"),
    ingress: flag("Ingress"),
  };
}
