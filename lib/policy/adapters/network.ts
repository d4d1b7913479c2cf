import { NetworkModel } from "../network-model";
import { Maybe, Unknown, isUnknown } from "../unknown";
import { stringMap } from "./json-readers";
import { constructPathOf, field } from "./terraform-common";
import {
  describeValue,
  isRecord,
  readBoolean,
  readString,
  readStringMap,
} from "./terraform-values";

/**
 * The network adapters: a `docker_network` resource of synthesized JSON and a live network
 * (`docker network inspect` / the networks list, Engine API Network) to the network model.
 */

/** Every `docker_network` of one stack's synthesized JSON, as models (resource order). */
export function networksFromTerraformJson(stackJson: unknown): NetworkModel[] {
  if (!isRecord(stackJson) || !isRecord(stackJson.resource)) return [];
  const ofType = stackJson.resource.docker_network;
  if (!isRecord(ofType)) return [];
  return Object.entries(ofType).map(([resourceName, body]) => {
    const resource = `docker_network.${resourceName}`;
    if (!isRecord(body)) {
      const why = new Unknown(`${resource} should be an object but is ${describeValue(body)}`);
      return {
        source: "terraform",
        resource,
        name: why,
        driver: why,
        options: why,
        internal: why,
        ingress: why,
      };
    }
    const constructPath = constructPathOf(body);
    const driver = field("driver", () => readString("driver", body.driver));
    return {
      source: "terraform",
      resource,
      ...(constructPath !== undefined ? { constructPath } : {}),
      name: field("name", () => {
        const name = readString("name", body.name);
        return name === undefined ? new Unknown("name is not set") : name;
      }),
      driver: isUnknown(driver) ? driver : driver || "bridge",
      options: field("options", () => {
        const options = readStringMap("options", body.options);
        return options === undefined ? {} : options;
      }),
      internal: field("internal", () => withFalse(readBoolean("internal", body.internal))),
      ingress: field("ingress", () => withFalse(readBoolean("ingress", body.ingress))),
    };
  });
}

function withFalse(value: Maybe<boolean | undefined>): Maybe<boolean> {
  return value === undefined ? false : value;
}

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
